#!/usr/bin/env bash
# bench/rest: cropcast's MLflow tracking-server (REST) adapter against the pinned Python MLflow
# client, both talking to the same `mlflow server` started here, in the same run.
#   1. one pipeline invocation's tracking footprint (experiment lookup, run create with 20 tags,
#      9 params, 200 metrics in 4 batches, 2 YAML + 10 PNG + 2 Parquet artifacts, end run):
#      in-process (REPS repetitions in one process, warm) and as a whole process (PROC_REPS launches);
#   2. a large artifact upload through the server's proxy (UPLOAD_MB, default 1024), cropcast with
#      -Xmx256m against the Python client, UPLOAD_REPS times each, in two variants:
#      a. the server's artifact destination a local directory (MLflow has no multipart there: one PUT
#         streamed through the server);
#      b. the destination on S3 (the S3 adapter's test server, S3Mock, started here): both clients with
#         MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true and MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE=64 MiB,
#         MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE not set, so each client uses its default chunk size (Python
#         10 MiB, cropcast 64 MiB); the parts go to S3 through presigned URLs.
# Prints the Markdown of the "MLflow tracking server" section on stdout (progress on stderr), as
# bench/run.sh expects, and keeps a copy in bench/results/rest.md.
# Usage: bench/rest/run.sh   (CROPCAST_BENCH_MODE=full: REPS=20 PROC_REPS=5 UPLOAD_MB=1024 UPLOAD_REPS=3;
#                             quick: 5, 2, 128, 1; each overridable by the variable of that name)
set -euo pipefail
# each client's own default chunk size is measured (the text in summarize.py says which)
unset MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE
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
# the S3 test server's class path (the S3 adapter's test scope) for the proxy-to-S3 upload
s3_build=(-B -q -pl storage-s3-adapter -am package dependency:build-classpath -DskipTests -Dmdep.analyze.skip
          -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-rest-s3-classpath.txt)
mvn -o "${s3_build[@]}" || mvn "${s3_build[@]}"
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
s3_server_pid=""
s3mock_pid=""
stop_server() { # stop_server PID: an mlflow server and its workers
  [[ -n "$1" ]] || return 0
  pkill -TERM -P "$1" 2>/dev/null || true
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  stop_server "$server_pid"
  stop_server "$s3_server_pid"
  if [[ -n "$s3mock_pid" ]]; then kill "$s3mock_pid" 2>/dev/null || true; wait "$s3mock_pid" 2>/dev/null || true; fi
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
head -c "$((64 * 1024 * 1024))" /dev/urandom > "$work/warm.bin"
# upload_round SERVER_URI KIND CLEAR ROUND [ENV...]: one timed upload by each client, in turns (who goes
# first alternates from round to round)
upload_round() {
  local server="$1" kind="$2" clear="$3" round="$4"; shift 4
  local sides=(cropcast python)
  (( round % 2 == 0 )) && sides=(python cropcast)
  for side in "${sides[@]}"; do
    if [[ "$side" == cropcast ]]; then
      env "$@" java -Xmx256m -cp "$classpath" RestFootprintBench upload "$server" "$work/big.bin" \
        | grep '^upload ' | sed "s/^upload /cropcast $kind /" >> "$out"
    else
      env "$@" "$venv/bin/python" bench/rest/footprint.py upload "$server" "$work/big.bin" \
        | grep '^upload ' | sed "s/^upload /python $kind /" >> "$out"
    fi
    "$clear"
  done
}
# upload_warm_up SERVER_URI CLEAR [ENV...]: one untimed 64 MiB upload by each client first, which warms
# the server (and the S3 server's JIT) so that the first timed upload does not pay for it
upload_warm_up() {
  local server="$1" clear="$2"; shift 2
  env "$@" java -Xmx256m -cp "$classpath" RestFootprintBench upload "$server" "$work/warm.bin" > /dev/null
  env "$@" "$venv/bin/python" bench/rest/footprint.py upload "$server" "$work/warm.bin" > /dev/null
  "$clear"
}
clear_local() { rm -rf "$work/mlartifacts"/*/*/artifacts/data; }
upload_warm_up "$uri" clear_local
for round in $(seq 1 "$upload_reps"); do
  upload_round "$uri" upload clear_local "$round"
done


echo "[bench/rest] upload of $upload_mb MiB through the proxy to S3 (multipart), $upload_reps times each"
s3_cp="$root/storage-s3-adapter/target/test-classes:$root/storage-s3-adapter/target/classes:$root/tracking-core/target/classes"
s3_cp="$s3_cp:$(tr ':' '\n' < storage-s3-adapter/target/bench-rest-s3-classpath.txt | grep -v '/org/cropcast/' | paste -sd: -)"
mkdir -p "$work/s3classes"
javac -d "$work/s3classes" -cp "$s3_cp" bench/rest/S3MockMain.java
bucket=bench-proxy
java -Xmx1g -cp "$s3_cp:$work/s3classes" S3MockMain "$bucket" "$work/s3.env" > "$work/s3mock.log" 2>&1 &
s3mock_pid=$!
for _ in $(seq 1 240); do [[ -f "$work/s3.env" ]] && break; sleep 0.5; done
[[ -f "$work/s3.env" ]] || { echo "the S3 test server did not start"; tail -20 "$work/s3mock.log"; exit 1; }
mapfile -t s3_env < "$work/s3.env"
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
uri2="http://127.0.0.1:$port2"
env "${s3_env[@]}" MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false "$venv/bin/mlflow" server \
  --backend-store-uri "sqlite:///$work/mlflow-s3.db" --artifacts-destination "s3://$bucket/proxied" \
  --host 127.0.0.1 --port "$port2" --workers 2 > "$work/server-s3.log" 2>&1 &
s3_server_pid=$!
for _ in $(seq 1 240); do
  curl -sf "$uri2/health" > /dev/null && break
  sleep 0.5
done
curl -sf "$uri2/health" > /dev/null || { echo "mlflow server (S3 destination) did not start"; cat "$work/server-s3.log"; exit 1; }
multipart=(MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE=$((64 << 20)))
clear_bucket() { # the uploaded objects go, so that the S3 server's disk holds one upload at a time
  env "${s3_env[@]}" "$venv/bin/python" -c 'import boto3, os, sys
boto3.resource("s3", endpoint_url=os.environ["MLFLOW_S3_ENDPOINT_URL"]).Bucket(sys.argv[1]).objects.all().delete()' "$bucket"
}
upload_warm_up "$uri2" clear_bucket "${multipart[@]}"
for round in $(seq 1 "$upload_reps"); do
  upload_round "$uri2" upload-s3 clear_bucket "$round" "${multipart[@]}"
done

mkdir -p bench/results
python3 bench/rest/summarize.py "$out" "$uri" "$reps" "$proc_reps" "$upload_mb" "$upload_reps" | tee bench/results/rest.md >&3
