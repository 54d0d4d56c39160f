#!/usr/bin/env bash
# Benchmarks of the embedded SQLite store (section "Embedded SQLite store" of docs/BENCHMARKS.md).
# Usage, from the repository root:   bench/sqlite/run.sh            (writes docs/BENCHMARKS.md)
#                                    bench/sqlite/run.sh --print     (only prints the section)
# Needs the pinned Python MLflow venv (the build's ensure-mlflow-venv step installs it).
# Knobs (system properties via BENCH_OPTS): -Dbench.bulkRows -Dbench.rounds -Dbench.repeats -Dbench.pyRepeats -Dbench.writers
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version="$(sed -n 's:.*<mlflow.python.version>\(.*\)</mlflow.python.version>.*:\1:p' pom.xml)"
venv="${CROPCAST_MLFLOW_VENV:-${CROPCAST_CACHE_DIR:-$HOME/.cache/cropcast}/mlflow-$version}"
work="$(mktemp -d /tmp/cropcast-bench-sqlite.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# one reactor for the compile and the class path, so cropcast's modules come from this tree (~/.m2 needs none of them)
mvn -B -q -o -pl tracking-mlflow-adapter -am test-compile dependency:build-classpath -DskipTests=false -Dmlflow.venv="$venv" \
    -Dmdep.outputFile=target/bench-sqlite-classpath.txt -Dmdep.includeScope=test >&2
cp tracking-mlflow-adapter/target/bench-sqlite-classpath.txt "$work/cp.txt"
cp="$root/tracking-mlflow-adapter/target/test-classes:$root/tracking-mlflow-adapter/target/classes:$root/tracking-core/target/classes:$(cat "$work/cp.txt")"

section="$work/section.md"
{
  echo "## Embedded SQLite store"
  echo
  echo "Command: \`bench/sqlite/run.sh\` (from the repository root). Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load average $(cut -d" " -f1-3 /proc/loadavg) at the start;"
  echo "Java $(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/'), sqlite-jdbc $(sed -n 's:.*<sqlite-jdbc.version>\(.*\)</sqlite-jdbc.version>.*:\1:p' pom.xml), Python MLflow $version (its SqlAlchemyStore on SQLite $("$venv/bin/python" -c 'import sqlite3; print(sqlite3.sqlite_version)'))."
  echo "Every figure is measured in the same run as its peer. Both stores run with their defaults (cropcast: WAL, synchronous=NORMAL; MLflow: rollback journal, its own busy_timeout of 20 s)."
  echo "How to read these figures, and why log_batch of 1,000 metrics stays below its 20x target: docs/SQLITE-STORE.md, section Benchmarks."
  echo
  java ${BENCH_OPTS:-} -cp "$cp" "$root/bench/sqlite/SqliteStoreBench.java" "$work" "$venv/bin/python" "$root/bench/sqlite/python_peer.py" "$cp"
} > "$section"

if [[ "${1:-}" == "--print" ]]; then
  cat "$section"
  exit 0
fi
doc="$root/docs/BENCHMARKS.md"
mkdir -p "$(dirname "$doc")"
[[ -f "$doc" ]] || printf '# Benchmarks\n\n' > "$doc"
# replace (or append) this section only, leaving the other sections alone
python3 - "$doc" "$section" <<'PY'
import re, sys
doc, section = open(sys.argv[1]).read(), open(sys.argv[2]).read().rstrip() + "\n"
pattern = re.compile(r"^## Embedded SQLite store\n.*?(?=^## |\Z)", re.S | re.M)
doc = pattern.sub(lambda m: section + "\n", doc) if pattern.search(doc) else doc.rstrip() + "\n\n" + section
open(sys.argv[1], "w").write(doc)
PY
cat "$section"
