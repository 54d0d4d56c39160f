#!/usr/bin/env bash
# Called by `mvn package` (pipeline-app, exec-maven-plugin, after the shade plugin) with the
# target directory: records the class-data-sharing archive target/cropcast.jsa from a training
# run of the demo pipeline (hindcast, fit-production, forecast on the embedded store, then
# `runs list`) and installs the launcher target/cropcast. The training run uses the launcher's
# own JVM options, so the archive matches what the launcher runs.
# It also unpacks this platform's SQLite and Snappy JNI libraries from the jar into
# target/native/{sqlite,snappy}/ (the folder each library's own OSInfo names), which the launcher
# points sqlite-jdbc and snappy-java at: otherwise each process writes the library into
# java.io.tmpdir again and compares it byte by byte with the jar's copy (about 0.1 s of CPU).
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
native="$target/native"
rm -rf "$native"
unpack() { # directory os-info-class resource-prefix library
  local folder
  if ! command -v unzip > /dev/null; then
    echo "build-launcher.sh: no unzip on PATH: the launcher leaves $4 to its library (unpacked into java.io.tmpdir per process)" >&2
    return
  fi
  folder="$("$java" -cp "$jar" "$2")" || { echo "build-launcher.sh: $2 failed" >&2; exit 1; }
  mkdir -p "$native/$1"
  # a platform the jar has no library for: no directory, and the launcher leaves that library to itself
  if ! unzip -q -o -j "$jar" "$3/$folder/$4" -d "$native/$1" 2>/dev/null; then
    echo "build-launcher.sh: the jar has no $3/$folder/$4: the launcher leaves it to its library" >&2
    rm -rf "${native:?}/$1"
  fi
}
unpack sqlite org.sqlite.util.OSInfo org/sqlite/native libsqlitejdbc.so
unpack snappy org.xerial.snappy.OSInfo org/xerial/snappy/native libsnappyjava.so
# the launcher's options (keep in step with ./cropcast)
native_flags=()
[[ -f "$native/sqlite/libsqlitejdbc.so" ]] \
  && native_flags+=(-Dorg.sqlite.lib.path="$native/sqlite" -Dorg.sqlite.lib.name=libsqlitejdbc.so)
[[ -f "$native/snappy/libsnappyjava.so" ]] \
  && native_flags+=(-Dorg.xerial.snappy.lib.path="$native/snappy" -Dorg.xerial.snappy.lib.name=libsnappyjava.so)
flags=(-XX:ArchiveClassesAtExit="$archive" -Xlog:disable -Xlog:all=warning:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData
  -Dguice_bytecode_gen_option=DISABLED "${native_flags[@]}")
( cd "$work" && "$java" "${flags[@]}" -jar "$jar" demo demo --run --no-progress > training.log 2>&1 ) \
  || { echo "build-launcher.sh: the training run failed:" >&2; tail -20 "$work/training.log" >&2; exit 1; }
[[ -s "$archive" ]] || { echo "build-launcher.sh: the JVM wrote no archive $archive" >&2; exit 1; }
install -m 0755 "$launcher_src" "$target/cropcast"
