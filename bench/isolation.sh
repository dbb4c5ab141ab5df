#!/usr/bin/env bash
# Benchmark: fused vs per-processor execution of a three-processor stateless chain (filter ->
# project -> filter), exactly once, parallelism 1: input records/s over a backlog and p50/p99
# latency at a steady rate. Not part of the tests.
# Usage: bench/isolation.sh [records, default 1000000] [rate/s, default 1000] [seconds, default 20] [result file, default target/bench/isolation.json]
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
  -cp "$cp" dev.sluice.bench.IsolationBenchmark "${1:-1000000}" "${2:-1000}" "${3:-20}" "${4:-target/bench/isolation.json}"
