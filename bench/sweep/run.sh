#!/usr/bin/env bash
# Sweep benchmark (docs/BENCHMARKS.md, "Sweeps"): a 16-child sweep with --parallel 8 against
# --parallel 1 on a new embedded database, and the same grid's tracking calls made by Python MLflow's
# own store as nested runs in 8 processes (bench/sweep/replay_nested.py). Whole processes.
#   bench/sweep/run.sh            (CROPCAST_BENCH_MODE=quick: 4 children, --parallel 4)
# Prints a Markdown table on stdout (bench/run.sh's part "sweep" puts it into docs/BENCHMARKS.md via
# bench/report.py); the rows as they come, tab-separated, on stderr and in $BENCH_OUT/results.tsv.
# Needs: mvn -B -q package -DskipTests (pipeline-app/target/cropcast.jar) and the pinned MLflow venv.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/pipeline-app/target/cropcast.jar
VENV=${CROPCAST_MLFLOW_VENV:-$HOME/.cache/cropcast/mlflow-3.17.2}
OUT=${BENCH_OUT:-$ROOT/bench/results/sweep}
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
printf 'case\tprocesses\truns\tfinished\tfailed\twall_s\tload1_before\n' > "$RESULTS"
# full (the default): the proof's 16 children, --parallel 8; CROPCAST_BENCH_MODE=quick: 4 children, --parallel 4
if [[ "${CROPCAST_BENCH_MODE:-full}" == quick ]]; then
  GRID=(--grid detrend=linear,quadratic --grid regression=ols,ridge)
  WIDE=4
else
  GRID=(--grid detrend=linear,quadratic --grid regression=ols,ridge --grid ridge_alpha=0.5,2.0 --grid min_train_years=5,6)
  WIDE=8
fi

data() { # dir: the demo data with the proof's shorter feature range
  rm -rf "$1"
  java -jar "$JAR" -q demo "$1" > /dev/null
  sed -i 's/^feature_start_year: .*/feature_start_year: 2008/' "$1/cropcast-demo.yaml"
}

counts() { # db -> "runs finished failed" of the children
  "$VENV/bin/python" - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = "SELECT status FROM runs r JOIN tags t ON t.run_uuid = r.run_uuid AND t.key = 'mlflow.parentRunId'"
s = [r[0] for r in c.execute(q)]
print(len(s), s.count("FINISHED"), len(s) - s.count("FINISHED"))
PY
}

sweep() { # case parallel
  local dir=$OUT/$1 load; data "$dir"
  load=$(cut -d' ' -f1 /proc/loadavg)
  local start end
  start=$(date +%s.%N)
  java -jar "$JAR" sweep hindcast --config "$dir/cropcast-demo.yaml" "${GRID[@]}" --parallel "$2" --no-progress \
    > "$OUT/$1.out" 2> "$OUT/$1.err" || true
  end=$(date +%s.%N)
  read -r runs finished failed < <(counts "$dir/mlruns.db")
  printf '%s\t%s\t%s\t%s\t%s\t%.1f\t%s\n' "$1" "$2" "$runs" "$finished" "$failed" "$(echo "$end - $start" | bc)" "$load" | tee -a "$RESULTS" >&2
}

sweep cropcast-parallel-$WIDE $WIDE
sweep cropcast-parallel-1 1

load=$(cut -d' ' -f1 /proc/loadavg)
rm -f "$OUT/python.db"
read -r procs runs failures wall < <("$VENV/bin/python" "$ROOT/bench/sweep/replay_nested.py" \
  "$OUT/cropcast-parallel-$WIDE/mlruns.db" "$OUT/python.db" "$WIDE" 2> "$OUT/python.err" | tail -1)
read -r truns finished failed < <(counts "$OUT/python.db")
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "python-nested-runs-$WIDE-processes" "$procs" "$truns" "$finished" "$((failures))" "$wall" "$load" \
  | tee -a "$RESULTS" >&2

# stdout: the Markdown table bench/report.py puts into docs/BENCHMARKS.md
"$VENV/bin/python" - "$RESULTS" "$OUT/cropcast-parallel-$WIDE/mlruns.db" "$OUT/cropcast-parallel-1/mlruns.db" "$OUT/python.db" <<'PY'
import csv, os, sqlite3, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
what = {"cropcast-parallel": "cropcast `sweep hindcast` (full hindcasts: JVM start, data, folds, artifacts, tracking)",
        "python-nested-runs": "Python MLflow, nested runs (`start_run(nested=True)`), the same tracking calls only"}
print("| case | processes | children | FINISHED | failed | wall s | children / min | load before |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    kind = next(v for k, v in what.items() if r["case"].startswith(k))
    wall = float(r["wall_s"])
    rate = "%.1f" % (60 * int(r["runs"]) / wall) if wall > 0 else "-"
    print("| %s | %s | %s | %s | %s | %.1f | %s | %s |" % (kind, r["processes"], r["runs"], r["finished"], r["failed"], wall, rate,
                                                          r["load1_before"]))
print()
checks = []
for db in sys.argv[2:]:
    ok = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] if os.path.exists(db) else "missing"
    checks.append("`%s`: %s" % (os.path.relpath(db, os.path.dirname(os.path.dirname(db))), ok))
print("`PRAGMA integrity_check` of each database: " + "; ".join(checks) + ".")
PY

