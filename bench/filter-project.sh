#!/usr/bin/env bash
# Benchmark: input records/s of the filter+project pipeline (exactly once, parallelism 1) against a
# hand-written Flink job doing the same work, on the embedded platform. Not part of the tests.
# Usage: bench/filter-project.sh [records, default 2000000] [result file, default target/bench/filter-project.json]
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
  -cp "$cp" dev.sluice.bench.FilterProjectBenchmark "${1:-2000000}" "${2:-target/bench/filter-project.json}"
