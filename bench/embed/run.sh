#!/usr/bin/env bash
# The per-call cost of core's embedding entry point (Tracking + EmbeddedRun) against calling
# SqliteRunStore directly, same JVM, same database, same run (section "Embedded entry point" of
# docs/BENCHMARKS.md). Prints the section as Markdown on stdout.
# Usage, from the repository root:  bench/embed/run.sh
# Knobs (system properties via BENCH_OPTS): -Dbench.rounds -Dbench.calls -Dbench.warmup;
# CROPCAST_BENCH_MODE=quick runs fewer calls.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$(mktemp -d /tmp/cropcast-bench-embed.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# the build writes the class path a tool embedding the adapter gets (its runtime scope: no Guice, no
# test jars, this checkout's tracking-core) to tracking-mlflow-adapter/target/runtime-classpath.txt
mvn -B -q -o -pl tracking-mlflow-adapter -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >&2
cp="$root/tracking-mlflow-adapter/target/classes:$(cat "$root/tracking-mlflow-adapter/target/runtime-classpath.txt")"
opts=${BENCH_OPTS:-}
[[ "${CROPCAST_BENCH_MODE:-full}" == quick && -z "$opts" ]] && opts="-Dbench.rounds=5 -Dbench.calls=300"
java $opts -cp "$cp" "$root/bench/embed/EmbedBench.java" "$work"
