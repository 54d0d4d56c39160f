#!/usr/bin/env bash
# Forecast skill on real data (docs/SKILL.md): US corn for grain by state, 2000-2024, NASS final yield,
# NASA POWER monthly weather at the state centroid, NASS's in-season forecasts as the reference.
# Each variant is a leave-one-year-out hindcast at init dates equal to NASS's publication days
# (about the 12th of August-October, the 9th of November) and 1 July, with a model per fold and init
# date fitted on the features observable that day; the model is compared with the
# trend and, on NASS's own state-years, with NASS's forecast of the same month.
#   bench/skill/run.sh            prints the Markdown report on stdout (progress on stderr)
#   SKILL_ONLY="11 12" bench/skill/run.sh   only those variants (numbered from 1 in VARIANTS below)
# Needs: mvn -B -q package -DskipTests (pipeline-app/target/cropcast.jar) and python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/pipeline-app/target/cropcast.jar
SHARED=${CROPCAST_SHARED_DIR:-$ROOT/../shared}/data
OUT=${BENCH_OUT:-$ROOT/bench/results/skill}
[ -f "$JAR" ] || { echo "bench/skill: $JAR is missing: run mvn -B -q package -DskipTests" >&2; exit 1; }
[ -d "$SHARED/usda-nass-corn-state-forecasts" ] || { echo "bench/skill: no $SHARED/usda-nass-corn-state-forecasts" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT/root/usda-nass-corn-state-forecasts"
cp "$SHARED"/usda-nass-corn-state-forecasts/*.csv "$OUT/root/usda-nass-corn-state-forecasts/"
CONFIG=$OUT/root/us-corn-nass.yaml
cp "$ROOT/pipeline-app/src/main/resources/examples/us-corn-nass.yaml" "$CONFIG"

INIT='["07-01", "08-12", "09-12", "10-12", "11-09"]'
ISSUES='{fcst_aug: "08-12", fcst_sep: "09-12", fcst_oct: "10-12", fcst_nov: "11-09"}'
# name | --set overrides (space-separated KEY=VALUE; values without spaces)
VARIANTS=(
  "trend|regression=none"
  "ridge May-Aug (the example)|"
  "ridge May-Aug alpha 10|ridge_alpha=10"
  "ridge May-Sep|features.periods=[5,6,7,8,9]"
  "ridge May-Sep + squared temperature|features.periods=[5,6,7,8,9] features.squared=[t2m_mean_c]"
  "ridge May-Sep + squared temperature alpha 10|features.periods=[5,6,7,8,9] features.squared=[t2m_mean_c] ridge_alpha=10"
  "gbt May-Sep (defaults: 300 trees, depth 3)|regression=gbt features.periods=[5,6,7,8,9]"
  "gbt May-Sep depth 4, min child weight 20|regression=gbt features.periods=[5,6,7,8,9] gbt.max_depth=4 gbt.min_child_weight=20"
  "auto May-Sep (per fold and init date: trend, ridge alpha 1-10000 or gbt)|regression=auto features.periods=[5,6,7,8,9]"
  "auto May-Sep + squared temperature|regression=auto features.periods=[5,6,7,8,9] features.squared=[t2m_mean_c]"
  "gbt June-Aug|regression=gbt features.periods=[6,7,8]"
  "gbt May-Sep, quadratic trend|regression=gbt features.periods=[5,6,7,8,9] detrend=quadratic"
  "ridge May-Sep + squared temperature, quadratic trend|features.periods=[5,6,7,8,9] features.squared=[t2m_mean_c] detrend=quadratic"
  "gbt May-Sep depth 2|regression=gbt features.periods=[5,6,7,8,9] gbt.max_depth=2"
)
i=0
for variant in "${VARIANTS[@]}"; do
  name=${variant%%|*}; sets=${variant#*|}
  i=$((i + 1)); dir=$OUT/v$i
  if [ -n "${SKILL_ONLY:-}" ] && [[ " $SKILL_ONLY " != *" $i "* ]]; then continue; fi
  args=(-q run hindcast --config "$CONFIG" --no-progress --run-dir "$dir" --set "data_root=$OUT/root"
        --set "mlflow_tracking_uri=sqlite:///$OUT/mlruns.db" --set "init_dates=$INIT"
        --set "reference_data.0.issue_dates=$ISSUES")
  for s in $sets; do args+=(--set "$s"); done
  echo "bench/skill: $name" >&2
  java -jar "$JAR" "${args[@]}" > "$dir.out" 2> "$dir.err" || { echo "bench/skill: $name failed:" >&2; tail -5 "$dir.err" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$name" "$sets" "$dir" >> "$OUT/variants.tsv"
done
python3 "$ROOT/bench/skill/report.py" "$OUT/variants.tsv"
