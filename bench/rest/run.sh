#!/usr/bin/env bash
# bench/rest: cropcast's MLflow tracking-server (REST) adapter against the pinned Python MLflow
# client, both talking to the same `mlflow server` started here, in the same run.
#   1. one pipeline invocation's tracking footprint (experiment lookup, run create with 20 tags,
#      9 params, 200 metrics in 4 batches, 2 YAML + 10 PNG + 2 Parquet artifacts, end run):
#      in-process (REPS repetitions in one process, warm) and as a whole process (PROC_REPS launches);
#   2. a large artifact upload through the server's proxy (UPLOAD_MB, default 1024), cropcast with
#      -Xmx256m against the Python client, UPLOAD_REPS times each.
# Prints the Markdown of the "MLflow tracking server" section on stdout (progress on stderr), as
# bench/run.sh expects, and keeps a copy in bench/results/rest.md.
# Usage: bench/rest/run.sh   (CROPCAST_BENCH_MODE=full: REPS=20 PROC_REPS=5 UPLOAD_MB=1024 UPLOAD_REPS=3;
#                             quick: 5, 2, 128, 1; each overridable by the variable of that name)
set -euo pipefail
exec 3>&1 1>&2
cd "$(dirname "$0")/../.."
root=$PWD
venv="${CROPCAST_MLFLOW_VENV:-${CROPCAST_CACHE_DIR:-$HOME/.cache/cropcast}/mlflow-3.17.2}"
if [[ "${CROPCAST_BENCH_MODE:-full}" == quick ]]; then
  reps="${REPS:-5}"; proc_reps="${PROC_REPS:-2}"; upload_mb="${UPLOAD_MB:-128}"; upload_reps="${UPLOAD_REPS:-1}"
else
  reps="${REPS:-20}"; proc_reps="${PROC_REPS:-5}"; upload_mb="${UPLOAD_MB:-1024}"; upload_reps="${UPLOAD_REPS:-3}"
fi

# built in this tree (package, never install: ~/.m2's cropcast snapshots may belong to another build, or be
# absent). The class path is resolved in the same reactor as the package, so cropcast's own modules come from
# this tree's target/ and ~/.m2 needs none of them.
cp_file=$(mktemp)
build=(-B -q -pl tracking-mlflow-adapter -am package dependency:build-classpath -DskipTests -Dmdep.analyze.skip
       -DincludeScope=runtime -Dmdep.outputFile="$cp_file")
mvn -o "${build[@]}" || mvn "${build[@]}"
work=$(mktemp -d /tmp/cropcast-bench-rest.XXXXXX)
deps="$(tr ':' '\n' < "$cp_file" | grep -v '/org/cropcast/' | paste -sd: -)"
classpath="$root/tracking-mlflow-adapter/target/classes:$root/tracking-core/target/classes:$root/storage-s3-adapter/target/classes:$deps"
mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$classpath" bench/rest/RestFootprintBench.java
classpath="$classpath:$work/classes"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
uri="http://127.0.0.1:$port"
MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false "$venv/bin/mlflow" server \
  --backend-store-uri "sqlite:///$work/mlflow.db" --artifacts-destination "$work/mlartifacts" \
  --host 127.0.0.1 --port "$port" --workers 2 > "$work/server.log" 2>&1 &
server_pid=$!
cleanup() {
  pkill -TERM -P "$server_pid" 2>/dev/null || true
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$work" "$cp_file"
}
trap cleanup EXIT
for _ in $(seq 1 240); do
  curl -sf "$uri/health" > /dev/null && break
  sleep 0.5
done
curl -sf "$uri/health" > /dev/null || { echo "mlflow server did not start"; cat "$work/server.log"; exit 1; }

"$venv/bin/python" bench/rest/footprint.py fixtures "$work/fixtures"
out="$work/timings.txt"
: > "$out"
echo "[bench/rest] footprint in-process, $reps repetitions each (+1 warm-up)"
java -cp "$classpath" RestFootprintBench footprint "$uri" "$work/fixtures" "$((reps + 1))" | grep '^footprint ' | tail -n +2 | sed 's/^/cropcast /' >> "$out"
"$venv/bin/python" bench/rest/footprint.py footprint "$uri" "$work/fixtures" "$((reps + 1))" | grep '^footprint ' | tail -n +2 | sed 's/^/python /' >> "$out"
echo "[bench/rest] footprint as a process, $proc_reps launches each"
for _ in $(seq 1 "$proc_reps"); do
  s=$(date +%s%N); java -cp "$classpath" RestFootprintBench footprint "$uri" "$work/fixtures" 1 > /dev/null; e=$(date +%s%N)
  echo "cropcast process $(( (e - s) / 1000000 ))" >> "$out"
  s=$(date +%s%N); "$venv/bin/python" bench/rest/footprint.py footprint "$uri" "$work/fixtures" 1 > /dev/null; e=$(date +%s%N)
  echo "python process $(( (e - s) / 1000000 ))" >> "$out"
done
echo "[bench/rest] upload of $upload_mb MiB, $upload_reps times each"
head -c "$((upload_mb * 1024 * 1024))" /dev/urandom > "$work/big.bin"
for _ in $(seq 1 "$upload_reps"); do
  java -Xmx256m -cp "$classpath" RestFootprintBench upload "$uri" "$work/big.bin" | grep '^upload ' | sed 's/^/cropcast /' >> "$out"
  rm -rf "$work/mlartifacts"/*/*/artifacts/data
  "$venv/bin/python" bench/rest/footprint.py upload "$uri" "$work/big.bin" | grep '^upload ' | sed 's/^/python /' >> "$out"
  rm -rf "$work/mlartifacts"/*/*/artifacts/data
done

mkdir -p bench/results
python3 bench/rest/summarize.py "$out" "$uri" "$reps" "$proc_reps" "$upload_mb" "$upload_reps" | tee bench/results/rest.md >&3
