#!/usr/bin/env bash
# Pipeline-stage benchmarks (docs/BENCHMARKS.md, "Pipeline stages"). Whole processes, JVM start to exit.
#   bench/pipeline/run.sh            all cases
#   bench/pipeline/run.sh us         only US corn
#   bench/pipeline/run.sh synthetic  only the synthetic panels
# Needs: mvn -B -q package -DskipTests test-compile (cropcast.jar and the test classes with the generator).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/pipeline-app/target/cropcast.jar
TEST_CLASSES=$ROOT/pipeline-app/target/test-classes
SHARED=${CROPCAST_SHARED_DIR:-$ROOT/../shared}/data
OUT=${BENCH_OUT:-$ROOT/bench/results/pipeline}
REPEAT=${REPEAT:-3}
WHAT=${1:-all}
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
[ -f "$RESULTS" ] || printf 'case\tjvm_flags\twall_s\tuser_s\tsys_s\tmax_rss_kb\tload1_before\n' > "$RESULTS"

measure() { # case flags command...
  local name=$1 flags=$2; shift 2
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
  read -r wall user sys rss < "$OUT/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${flags:-default}" "$wall" "$user" "$sys" "$rss" "$load" | tee -a "$RESULTS"
}

if [ "$WHAT" = all ] || [ "$WHAT" = us ]; then
  US=$OUT/us-root
  rm -rf "$US"; mkdir -p "$US/usda-nass-corn-state-forecasts"
  cp "$SHARED"/usda-nass-corn-state-forecasts/*.csv "$US/usda-nass-corn-state-forecasts/"
  cp "$ROOT/pipeline-app/src/main/resources/examples/us-corn-nass.yaml" "$US/"
  # the README's command: the launcher pipeline-app/target/cropcast (class-data-sharing archive, C1, serial GC)
  for i in $(seq "$REPEAT"); do
    measure us-corn-hindcast "launcher" "$ROOT/pipeline-app/target/cropcast" -q run hindcast --config "$US/us-corn-nass.yaml" \
      --set data_root="$US" --no-progress
  done
  for flags in "" "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"; do
    for i in $(seq "$REPEAT"); do
      # shellcheck disable=SC2086
      measure us-corn-hindcast "$flags" java $flags -jar "$JAR" -q run hindcast --config "$US/us-corn-nass.yaml" \
        --set data_root="$US" --no-progress
    done
  done
fi

if [ "$WHAT" = all ] || [ "$WHAT" = synthetic ]; then
  # regions years variables (features = variables x 12 months)
  for spec in "5000 40 2" "1000 40 2" "2500 40 2" "1000 20 2" "1000 40 1" "1000 40 4"; do
    set -- $spec
    name=synthetic-${1}x${2}x$(( $3 * 12 ))
    dir=$OUT/$name
    if [ ! -f "$dir/bench.yaml" ]; then
      java -cp "$TEST_CLASSES:$JAR" org.cropcast.pipeline.stages.SyntheticBenchPanel "$dir" "$1" "$2" "$3" false
    fi
    rm -rf "$dir/runs" "$dir/mlruns.db"
    measure "$name" "-Xmx1g" java -Xmx1g -jar "$JAR" -q run hindcast --config "$dir/bench.yaml" --no-progress
    # the same stage called directly, with the tracking calls timed (memory run store, local artifacts)
    rm -rf "$dir/direct"
    measure "$name-direct" "-Xmx1g" java -Xmx1g -cp "$TEST_CLASSES:$JAR" org.cropcast.pipeline.stages.StageBench \
      "$dir/bench.yaml" "$dir/direct"
    grep -o 'stage_s=[0-9.]* tracking_s=[0-9.]* tracking_share=[0-9.]*%' "$OUT/$name-direct.out" || true
  done
fi
