#!/usr/bin/env bash
# cropcast runs sync against mlflow-export-import (export, then import) of the same experiment from
# the same embedded database to the same mlflow server: wall time, what a second run does, what
# each preserved. Writes its raw results into bench/results/ (sync.jsonl: the samples bench/report.py
# turns into docs/benchmarks.json's sync_vs_export_import; sync.md: the table, also on stdout);
# docs/benchmarks.json is bench/report.py's alone (bench/run.sh runs it; standalone:
# python bench/report.py --results bench/results --json docs/benchmarks.json ...).
#
#   bench/sync/run.sh                          RUNS=40 POINTS=2000 FILES=2 FILE_KB=256 PARALLEL=4 by default
#   PEER=0 RUNS=2000 POINTS=10000 bench/sync/run.sh   the issue's scale case, cropcast only (part
#                                              sync-scale of bench/run.sh's full mode; hours on 2 cores)
#
# Needs the pinned MLflow venv (~/.cache/cropcast/mlflow-<version>) and installs mlflow-export-import
# from the package index into a venv of its own beside it (the pinned venv stays as it is).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
RUNS=${RUNS:-40}; POINTS=${POINTS:-2000}; FILES=${FILES:-2}; FILE_KB=${FILE_KB:-256}; PARALLEL=${PARALLEL:-4}; PEER=${PEER:-1}
DEST=${DEST:-server}            # server: one `mlflow server`; sqlite: another embedded database (PEER=0 only)
HISTORY_EVERY=${HISTORY_EVERY:-1}  # check.py reads back the full metric history of every Nth run (all: 1)
[[ "$DEST" == server || "$DEST" == sqlite ]] || { echo "bench/sync/run.sh: DEST is server or sqlite, not '$DEST'" >&2; exit 2; }
[[ "$DEST" == server || "$PEER" == 0 ]] || { echo "bench/sync/run.sh: DEST=sqlite needs PEER=0 (mlflow-export-import imports into a server)" >&2; exit 2; }
results="${BENCH_RESULTS:-$root/bench/results}"
mkdir -p "$results"
part=sync; [[ "$PEER" == 0 ]] && part=sync-scale
export BENCH_JSONL="${BENCH_JSONL:-$results/$part.jsonl}"
log() { printf '[bench sync %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

version="$(sed -n 's:.*<mlflow.python.version>\(.*\)</mlflow.python.version>.*:\1:p' pom.xml | head -1)"
cache="${CROPCAST_CACHE_DIR:-$HOME/.cache/cropcast}"
venv="${CROPCAST_MLFLOW_VENV:-$cache/mlflow-$version}"
eei_version=1.2.0
eei="$cache/mlflow-export-import-$eei_version"
if [[ "$PEER" != 0 && ! -x "$eei/bin/export-experiment" ]]; then
  log "installing mlflow-export-import $eei_version into $eei (on top of the pinned MLflow $version)"
  "$venv/bin/python" -m venv "$eei"
  "$venv/bin/python" -c 'import site; print(site.getsitepackages()[0])' > "$("$eei/bin/python" -c 'import site; print(site.getsitepackages()[0])')/pinned-mlflow.pth"
  "$eei/bin/pip" install -q --no-deps "mlflow-export-import==$eei_version" shortuuid tabulate
fi

jar="$root/pipeline-app/target/cropcast.jar"
# cropcast as its users run it (README, docs/CLI.md): the launcher `mvn package` installs beside the
# jar (its class-data-sharing archive, C1 only, the serial collector); mlflow-export-import runs as
# its users run it too, its own console scripts
cropcast="$root/pipeline-app/target/cropcast"
if [[ ! -f "$jar" || ! -x "$cropcast" || "${NO_BUILD:-}" != 1 ]]; then  # NO_BUILD=1: bench/run.sh built it
  log "building cropcast.jar and its launcher"
  mvn -B -q -o -pl pipeline-app -am package -DskipTests > /dev/null
fi

work="${BENCH_WORK:-$root/bench/sync/work}"  # another BENCH_WORK lets two runs go side by side
rm -rf "$work"; mkdir -p "$work"
export BENCH_COMMIT="${BENCH_COMMIT:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs/benchmarks.json' ':!docs/BENCHMARKS.md' || echo '+changes')}"
log "seeding $RUNS runs x $POINTS points, $FILES files of $FILE_KB KiB each"
java -cp "$jar" bench/sync/Seed.java "$work/node/mlruns.db" "$RUNS" "$POINTS" "$FILES" "$FILE_KB"
log "seeded"
src="sqlite:///$work/node/mlruns.db"

if [[ "$DEST" == sqlite ]]; then
server="sqlite:///$work/dest/mlruns.db"
else
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"
MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false "$venv/bin/mlflow" server --backend-store-uri "sqlite:///$work/server/mlflow.db" \
    --default-artifact-root "$work/server/artifacts" --no-serve-artifacts --host 127.0.0.1 --port "$port" --workers 2 \
    > "$work/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
mkdir -p "$work/server"
for _ in $(seq 1 240); do curl -sf "$server/health" > /dev/null && break; sleep 0.5; done
curl -sf "$server/health" > /dev/null || { log "the server did not start"; tail -20 "$work/server.log" >&2; exit 1; }
fi

seconds() { local t0; t0=$(date +%s.%N); "$@" > "$work/last.out" 2> "$work/last.err" || { cat "$work/last.err" >&2; return 1; }; python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$(date +%s.%N)"; }

log "cropcast runs sync (first)"
c1=$(seconds "$cropcast" -q runs sync --from "$src" --to "$server" --experiment bench --parallel "$PARALLEL" --json)
cp "$work/last.out" "$work/sync-1.json"
log "cropcast runs sync (second)"
c2=$(seconds "$cropcast" -q runs sync --from "$src" --to "$server" --experiment bench --parallel "$PARALLEL" --json)
cp "$work/last.out" "$work/sync-2.json"
log "reading both sides with the Python client"
"$venv/bin/python" bench/sync/check.py "$src" bench "$server" bench "$HISTORY_EVERY" > "$work/check-cropcast.json"

e1=0; i1=0; i2=0
if [[ "$PEER" != 0 ]]; then
  log "mlflow-export-import: export-experiment"
  e1=$(MLFLOW_TRACKING_URI="$src" seconds "$eei/bin/export-experiment" --experiment bench --output-dir "$work/export")
  log "mlflow-export-import: import-experiment (first)"
  i1=$(MLFLOW_TRACKING_URI="$server" seconds "$eei/bin/import-experiment" --experiment-name bench-eei --input-dir "$work/export")
  log "mlflow-export-import: import-experiment (second)"
  i2=$(MLFLOW_TRACKING_URI="$server" seconds "$eei/bin/import-experiment" --experiment-name bench-eei --input-dir "$work/export")
  "$venv/bin/python" bench/sync/check.py "$src" bench "$server" bench-eei > "$work/check-eei.json"
fi

"$venv/bin/python" - "$work" "$c1" "$c2" "$e1" "$i1" "$i2" "$RUNS" "$POINTS" "$FILES" "$FILE_KB" "$results/$part.md" "$PEER" "$PARALLEL" "$DEST" "$HISTORY_EVERY" <<'PY'
import json, os, sys
work, c1, c2, e1, i1, i2 = sys.argv[1], *map(float, sys.argv[2:7])
runs, points, files, file_kb = map(int, sys.argv[7:11])
out_md, peer, parallel = sys.argv[11], sys.argv[12] != "0", int(sys.argv[13])
dest, history_every = sys.argv[14], int(sys.argv[15])
where = ("another embedded cropcast database (SQLite, local artifacts)" if dest == "sqlite"
         else "one `mlflow server` (SQLite backend, local artifact root)")
s1, s2 = (json.load(open(os.path.join(work, f"sync-{i}.json"))) for i in (1, 2))
cc = json.load(open(os.path.join(work, "check-cropcast.json")))
ce = json.load(open(os.path.join(work, "check-eei.json"))) if peer else None
commit = os.environ["BENCH_COMMIT"]  # the tree the jar was built from, read before the run
def row(name, c):
    p = c["runs_preserving"]
    return (f"| {name} | {c['destination_runs']} (source {c['source_runs']}) | {p['start_time']} | {p['end_time']} | "
            f"{p['status']} | {p['params']} | {p['metric_history']} | {p['artifacts']} |")
md = f"""# runs sync{" vs mlflow-export-import" if peer else " at scale (cropcast only)"}

`bench/sync/run.sh` at {commit}: {runs} runs x {points} metric points, {files} artifact files of {file_kb} KiB each,
from an embedded cropcast database to {where}, cropcast
through its launcher (`pipeline-app/target/cropcast`), on
{os.cpu_count()} cores (load average {open("/proc/loadavg").read().split()[0]} at the end); `--parallel {parallel}`.{" mlflow-export-import 1.2.0 on the pinned MLflow." if peer else ""}

| | first copy | second run |
|---|---|---|
| cropcast `runs sync` | {c1:.1f} s ({s1['runs_by_result']['created']} created, {s1['metric_points']:,} points, {s1['artifact_bytes']:,} bytes) | {c2:.1f} s ({s2['runs_by_result']['unchanged']} unchanged, {s2['metric_points']} points, {s2['artifact_bytes']} bytes) |
"""
if peer:
    ratio = (e1 + i1) / c1
    md += f"""| mlflow-export-import | {e1 + i1:.1f} s (export {e1:.1f} s + import {i1:.1f} s) | import again {i2:.1f} s |

**sync_vs_export_import = {ratio:.2f}** (export-import's export + import time over cropcast's first sync).
"""
def row(name, c):
    p = c["runs_preserving"]
    return (f"| {name} | {c['destination_runs']} (source {c['source_runs']}) | {p['start_time']} | {p['end_time']} | "
            f"{p['status']} | {p['params']} | {p['metric_history']} | {p['artifacts']} |")
md += f"""
What each preserved after its second run, counted over the source's runs (matched by run name{"" if history_every == 1 else f"; the full metric history read back for every {history_every}th run, {cc['history_checked']} runs"}):

| tool | runs at the destination | start time | end time | status | params | full metric history | artifacts |
|---|---|---|---|---|---|---|---|
{row("cropcast runs sync", cc)}
"""
if peer:
    md += row("mlflow-export-import", ce) + "\n"
open(out_md, "w").write(md)
# the raw samples bench/report.py reads (docs/benchmarks.json is its output, not this script's)
with open(os.environ["BENCH_JSONL"], "a") as f:
    system = "sync-cropcast" if peer else "sync-cropcast-scale"
    f.write(json.dumps({"system": system, "op": "sync", "samples": [c1], "second": [c2], "runs": runs, "points": points,
                        "parallel": parallel, "destination": dest, "commit": commit}) + "\n")
    if peer:
        f.write(json.dumps({"system": "sync-export-import", "op": "sync", "samples": [round(e1 + i1, 2)], "second": [i2],
                            "runs": runs, "points": points, "commit": commit}) + "\n")
print(md)
PY
