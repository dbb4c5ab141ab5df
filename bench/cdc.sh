#!/usr/bin/env bash
# Benchmark: change data capture from a real PostgreSQL (embedded binaries) on the embedded platform:
# snapshot rows/s of a table into its source topic, and commit-to-topic latency p50/p99 at a steady
# rate of single-row inserts (exactly once). Not part of the tests.
# Usage: bench/cdc.sh [rows, default 1000000] [changes/s, default 1000] [seconds, default 20] [result file, default target/bench/cdc.json]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
echo "Building (tests skipped) ..." >&2
mvn -q -B -o -DskipTests -Dspotless.check.skip=true install 2>/dev/null || mvn -q -B -DskipTests -Dspotless.check.skip=true install
mvn -q -B -o -pl integration-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt 2>/dev/null \
  || mvn -q -B -pl integration-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="integration-tests/target/test-classes:$(cat integration-tests/target/bench-classpath.txt)"
opens=$(sed -n 's:.*<sluice.jvm.opens>\(.*\)</sluice.jvm.opens>.*:\1:p' pom.xml | head -1)
# shellcheck disable=SC2086
exec java -Xms1g -Xmx2g -XX:+UseG1GC $opens -Dlog4j2.configurationFile=controller/src/main/resources/log4j2.xml \
  -cp "$cp" dev.sluice.bench.CdcBenchmark "${1:-1000000}" "${2:-1000}" "${3:-20}" "${4:-target/bench/cdc.json}"
