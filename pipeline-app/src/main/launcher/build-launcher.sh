#!/usr/bin/env bash
# Called by `mvn package` (pipeline-app, exec-maven-plugin, after the shade plugin) with the
# target directory: records the class-data-sharing archive target/cropcast.jsa from a training
# run of the demo pipeline (hindcast, fit-production, forecast on the embedded store, then
# `runs list`) and installs the launcher target/cropcast. The training run uses the launcher's
# own JVM options, so the archive matches what the launcher runs.
set -euo pipefail
target="$(cd "$1" && pwd)"
launcher_src="$(cd "$(dirname "$0")" && pwd)/cropcast"
jar="$target/cropcast.jar"
archive="$target/cropcast.jsa"
[[ -f "$jar" ]] || { echo "build-launcher.sh: $jar is missing" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -f "$archive"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
flags=(-XX:ArchiveClassesAtExit="$archive" -Xlog:disable -Xlog:all=warning:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData)
( cd "$work" && "$java" "${flags[@]}" -jar "$jar" demo demo --run --no-progress > training.log 2>&1 ) \
  || { echo "build-launcher.sh: the training run failed:" >&2; tail -20 "$work/training.log" >&2; exit 1; }
[[ -s "$archive" ]] || { echo "build-launcher.sh: the JVM wrote no archive $archive" >&2; exit 1; }
install -m 0755 "$launcher_src" "$target/cropcast"
