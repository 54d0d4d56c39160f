#!/usr/bin/env bash
# Sweep benchmark (docs/BENCHMARKS.md, "Sweeps"): a 16-child sweep with --parallel 8 against
# --parallel 1 on a new embedded database, and the same grid's tracking calls made by Python MLflow's
# own store as nested runs in 8 processes (bench/sweep/replay_nested.py). Whole processes.
#   bench/sweep/run.sh
# Needs: mvn -B -q package -DskipTests (pipeline-app/target/cropcast.jar) and the pinned MLflow venv.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/pipeline-app/target/cropcast.jar
VENV=${CROPCAST_MLFLOW_VENV:-$HOME/.cache/cropcast/mlflow-3.17.2}
OUT=${BENCH_OUT:-$ROOT/bench/results/sweep}
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
printf 'case\tprocesses\truns\tfinished\tfailed\twall_s\tload1_before\n' > "$RESULTS"
GRID=(--grid detrend=linear,quadratic --grid regression=ols,ridge --grid ridge_alpha=0.5,2.0 --grid min_train_years=5,6)

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
  printf '%s\t%s\t%s\t%s\t%s\t%.1f\t%s\n' "$1" "$2" "$runs" "$finished" "$failed" "$(echo "$end - $start" | bc)" "$load" | tee -a "$RESULTS"
}

sweep cropcast-parallel-8 8
sweep cropcast-parallel-1 1

load=$(cut -d' ' -f1 /proc/loadavg)
rm -f "$OUT/python.db"
read -r procs runs failures wall < <("$VENV/bin/python" "$ROOT/bench/sweep/replay_nested.py" \
  "$OUT/cropcast-parallel-8/mlruns.db" "$OUT/python.db" 8 2> "$OUT/python.err" | tail -1)
read -r truns finished failed < <(counts "$OUT/python.db")
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' python-nested-runs-8-processes "$procs" "$truns" "$finished" "$((failures))" "$wall" "$load" \
  | tee -a "$RESULTS"
