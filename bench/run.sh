#!/usr/bin/env bash
# Every cropcast benchmark, one command. Writes docs/BENCHMARKS.md, docs/benchmarks.json (each goal of the
# performance issue: figure, peer, ratio) and docs/img/*.png.
#
#   bench/run.sh            full mode (the committed docs/BENCHMARKS.md; about 40 minutes on 2 cores)
#   bench/run.sh --quick    fewer repetitions and smaller sizes (10-20 minutes)
#   bench/run.sh [--quick] --only rest,pipeline   re-run some parts, keeping the last results of the others
#   ... --no-build                                 with --only: reuse the last build of this tree
#
# Parts (each logged to bench/results/<part>.log; a part that fails or is missing is reported as
# such in BENCHMARKS.md, never silently dropped):
#   ops-latency ops-search ops-ingest concurrency footprint   bench/ops (this directory's harness)
#   sqlite     bench/sqlite/run.sh --print    (embedded store vs raw SQLite and Python MLflow)
#   rest       bench/rest/run.sh              (tracking server: footprint, 1 GiB upload vs the Python client)
#   embed      bench/embed/run.sh             (core's embedding entry point vs SqliteRunStore called directly)
#   s3         bench/s3/run.sh                (S3-to-S3 logging: server-side copy vs staging)
#   pipeline   bench/pipeline/run.sh          (stage timings, 5,000 regions x 40 years x 24 features)
#   sync       bench/sync/run.sh              (runs sync vs mlflow-export-import, same experiment, same server)
#   sync-scale PEER=0 bench/sync/run.sh       (runs sync alone: 2,000 runs x 10,000 points; 100 runs in quick mode)
#   sweep      bench/sweep/run.sh             (16-child sweep, --parallel 8 vs 1, vs Python MLflow nested runs in 8 processes)
# Sub-benchmarks get CROPCAST_BENCH_MODE=quick|full in their environment.
#
# Needs JDK 17, Maven, and the pinned Python MLflow venv (~/.cache/cropcast/mlflow-<version>, installed
# here with the build's own script if missing). Benchmarks are never part of `mvn test` or CI.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

mode=full
only=""
no_build=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --only) only="$2"; shift ;;
    --no-build) no_build=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
all_parts="ops-latency ops-search ops-ingest concurrency footprint sqlite rest s3 pipeline embed sync sync-scale sweep"
parts="${only//,/ }"
parts="${parts:-$all_parts}"
for p in $parts; do
  [[ " $all_parts " == *" $p "* ]] || { echo "bench/run.sh: unknown part '$p' (parts: $all_parts)" >&2; exit 2; }
done
command_line="bench/run.sh"
[[ "$mode" == quick ]] && command_line="bench/run.sh --quick"
[[ -n "$only" ]] && command_line="$command_line --only $only"
[[ -n "$no_build" ]] && command_line="$command_line --no-build"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

results="$root/bench/results"
if [[ -z "$only" || ! -f "$results/started" ]]; then
  rm -rf "$results"          # a full invocation starts afresh; --only adds to (replaces parts of) the last one
  mkdir -p "$results"
  date -u +%Y-%m-%dT%H:%M:%SZ > "$results/started"
  cat /proc/loadavg > "$results/loadavg.start"
fi
rm -rf "$results/classes"
mkdir -p "$results/classes"
echo "$command_line" >> "$results/commands"
export CROPCAST_BENCH_MODE="$mode"

# --- the pinned Python MLflow
version="$(sed -n 's:.*<mlflow.python.version>\(.*\)</mlflow.python.version>.*:\1:p' pom.xml | head -1)"
venv="${CROPCAST_MLFLOW_VENV:-${CROPCAST_CACHE_DIR:-$HOME/.cache/cropcast}/mlflow-$version}"
if [[ ! -x "$venv/bin/python" ]]; then
  log "installing the pinned MLflow $version into $venv"
  bash tracking-mlflow-adapter/src/test/python/ensure-venv.sh "$venv" "$version" || { log "cannot install the MLflow venv"; exit 1; }
fi
py="$venv/bin/python"
export CROPCAST_MLFLOW_VENV="$venv"

# --- build once: every module's jars (tests compiled, not run) and the CLI's fat jar
if [[ -n "$no_build" && -n "$only" && -s "$results/deps.txt" && -f pipeline-app/target/cropcast.jar ]]; then
  log "reusing the last build (--no-build)"
else
  log "building (mvn package -DskipTests)"
  # the class path is resolved in the same reactor as the package (each module writes its own
  # target/bench-deps.txt), so cropcast's modules come from this tree and ~/.m2 needs none of them
  build=(-B -q package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-deps.txt)
  if ! mvn -o "${build[@]}" > "$results/build.log" 2>&1; then
    log "offline build failed; retrying online"
    mvn "${build[@]}" > "$results/build.log" 2>&1 || { log "build failed, see $results/build.log"; tail -30 "$results/build.log" >&2; exit 1; }
  fi
  cp tracking-mlflow-adapter/target/bench-deps.txt "$results/deps.txt" || { log "cannot resolve the class path"; exit 1; }
fi
# cropcast's own classes from this work tree, not from ~/.m2 (which other builds may replace mid-run)
cp="$results/classes:$root/tracking-mlflow-adapter/target/classes:$root/tracking-core/target/classes"
cp="$cp:$(tr ':' '\n' < "$results/deps.txt" | grep -v '/org/cropcast/' | paste -sd: -)"
javac -d "$results/classes" -cp "$cp" bench/ops/OpsBench.java bench/ops/Versions.java 2>>"$results/build.log" \
    || { log "bench/ops does not compile, see $results/build.log"; exit 1; }
jar="$root/pipeline-app/target/cropcast.jar"

# --- the machine and versions
{
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "disk=$(df -h --output=fstype,size,avail "$results" | tail -1 | awk '{print $1", "$2" ("$3" free)"}')"
  echo "jdk=$(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/') ($(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.name = //p'))"
  echo "maven=$(mvn -B -v 2>/dev/null | head -1 | sed 's/Apache Maven \([^ ]*\).*/\1/')"
  echo "python=$("$py" -c 'import platform; print(platform.python_version())')"
  echo "mlflow=$("$py" -c 'import mlflow; print(mlflow.__version__)' 2>/dev/null)"
  echo "python_sqlite=$("$py" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "sqlalchemy=$("$py" -c 'import sqlalchemy; print(sqlalchemy.__version__)')"
  java -cp "$cp" Versions
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs/BENCHMARKS.md' ':!docs/img' || echo ' (with uncommitted changes)')"
} > "$results/machine.txt" 2>>"$results/build.log"

# --- the parts
doc="$root/docs/BENCHMARKS.md"
run_part() { # run_part NAME TIMEOUT_SECONDS COMMAND... ; stdout to NAME.out, stderr to NAME.log
  local name="$1" limit="$2"; shift 2
  if [[ " $parts " != *" $name "* ]]; then
    [[ -f "$results/$name.status" ]] || echo "not-run" > "$results/$name.status"
    return
  fi
  log "$name: ${*:1:3}"
  rm -f "$results/$name".*
  [[ -f "$doc" ]] && cp "$doc" "$results/$name.doc-before"
  local t0=$SECONDS rc=0
  timeout -k 60 "$limit" "$@" > "$results/$name.out" 2> "$results/$name.log" || rc=$?
  local took=$((SECONDS - t0))
  if [[ -f "$results/$name.doc-before" ]] && ! cmp -s "$doc" "$results/$name.doc-before"; then
    cp "$doc" "$results/$name.doc-after"       # a sub-benchmark that wrote the doc itself: keep its text,
    cp "$results/$name.doc-before" "$doc"      # give the report the sections it changed
  fi
  if [[ $rc -eq 0 ]]; then
    echo "ok $took $mode $(cut -d' ' -f1 /proc/loadavg)" > "$results/$name.status"
    log "$name: ok in ${took}s"
  else
    [[ $rc -eq 124 ]] && echo "timeout $took $mode after ${limit}s" > "$results/$name.status" || echo "failed $took $mode exit $rc" > "$results/$name.status"
    log "$name: FAILED (exit $rc) in ${took}s; last lines of $results/$name.log:"
    tail -5 "$results/$name.log" >&2
  fi
}
ops=(--mode "$mode" --work "$results/work" --classpath "$cp" --jar "$jar")
run_part ops-latency 1800 "$py" bench/ops/drive.py latency --out "$results/ops-latency.jsonl" "${ops[@]}"
run_part ops-search 1800 "$py" bench/ops/drive.py search --out "$results/ops-search.jsonl" "${ops[@]}"
run_part ops-ingest 2400 "$py" bench/ops/drive.py ingest --out "$results/ops-ingest.jsonl" "${ops[@]}"
run_part concurrency 3600 "$py" bench/ops/drive.py concurrency --out "$results/concurrency.jsonl" "${ops[@]}"
run_part footprint 1800 "$py" bench/ops/drive.py footprint --out "$results/footprint.jsonl" "${ops[@]}"
rm -rf "$results/work"

sub() { # sub NAME LIMIT SCRIPT [ARGS...]: a sub-benchmark, with the knobs in the array sub_env
  local name="$1" limit="$2" script="$3"
  shift 3
  if [[ " $parts " == *" $name "* && ! -e "$script" ]]; then
    log "$name: MISSING ($script does not exist)"
    echo "missing $script" > "$results/$name.status"
    return
  fi
  [[ " $parts " == *" $name "* ]] && rm -rf "$results/$name-data"
  run_part "$name" "$limit" env "${sub_env[@]}" "$script" "$@"
  # a sub-benchmark that rewrites its own tracked files (results.md...) leaves this tree as it was
  git diff --name-only -- "bench/$name" | xargs -r git checkout -- 2>/dev/null || true
}
if [[ "$mode" == quick ]]; then
  sub_env=(BENCH_OPTS="-Dbench.bulkRows=50000 -Dbench.rounds=2 -Dbench.repeats=20 -Dbench.pyRepeats=5")
  sub sqlite 1800 bench/sqlite/run.sh --print
  sub_env=(CROPCAST_BENCH_MODE=quick)
  sub s3 1800 bench/s3/run.sh 128 4 2
  sub_env=(REPS=5 PROC_REPS=2 UPLOAD_MB=256 UPLOAD_REPS=1)
  sub rest 1800 bench/rest/run.sh
  sub_env=(CROPCAST_BENCH_MODE=quick REPEAT=1 BENCH_OUT="$results/pipeline-data")
  sub pipeline 1800 bench/pipeline/run.sh
  sub_env=(CROPCAST_BENCH_MODE=quick)
  sub embed 900 bench/embed/run.sh
  sub_env=(NO_BUILD=1 RUNS=20 POINTS=1000 BENCH_JSONL="$results/sync.jsonl")
  sub sync 1800 bench/sync/run.sh
  sub_env=(NO_BUILD=1 PEER=0 RUNS=100 POINTS=10000 FILES=1 BENCH_JSONL="$results/sync-scale.jsonl")
  sub sync-scale 1800 bench/sync/run.sh
  sub_env=(CROPCAST_BENCH_MODE=quick BENCH_OUT="$results/sweep-data" CROPCAST_MLFLOW_VENV="$venv")
  sub sweep 1800 bench/sweep/run.sh
else
  sub_env=(CROPCAST_BENCH_MODE=full)
  sub sqlite 2400 bench/sqlite/run.sh --print
  sub s3 2400 bench/s3/run.sh 1024 8 3
  sub_env=(REPS=20 PROC_REPS=5 UPLOAD_MB=1024 UPLOAD_REPS=3)
  sub rest 3000 bench/rest/run.sh
  sub_env=(CROPCAST_BENCH_MODE=full REPEAT=3 BENCH_OUT="$results/pipeline-data")
  sub pipeline 3000 bench/pipeline/run.sh
  sub_env=(CROPCAST_BENCH_MODE=full)
  sub embed 1800 bench/embed/run.sh
  sub_env=(NO_BUILD=1 RUNS=40 POINTS=2000 BENCH_JSONL="$results/sync.jsonl")
  sub sync 3600 bench/sync/run.sh
  sub_env=(NO_BUILD=1 PEER=0 RUNS=2000 POINTS=10000 FILES=1 BENCH_JSONL="$results/sync-scale.jsonl")
  sub sync-scale 43200 bench/sync/run.sh
  sub_env=(CROPCAST_BENCH_MODE=full BENCH_OUT="$results/sweep-data" CROPCAST_MLFLOW_VENV="$venv")
  sub sweep 3600 bench/sweep/run.sh
fi

cat /proc/loadavg > "$results/loadavg.end"
date -u +%Y-%m-%dT%H:%M:%SZ > "$results/finished"

# --- the report
log "writing docs/BENCHMARKS.md"
"$py" bench/report.py --results "$results" --doc "$doc" --img "$root/docs/img" --json "$root/docs/benchmarks.json" \
  || { log "report failed"; exit 1; }
log "done: docs/BENCHMARKS.md and docs/benchmarks.json"
grep -l '^\(failed\|missing\|timeout\)' "$results"/*.status 2>/dev/null | sed 's:.*/::; s:\.status$::' | sed 's/^/[bench] not measured: /' >&2
exit 0
