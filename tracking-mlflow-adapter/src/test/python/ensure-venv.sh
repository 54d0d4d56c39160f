#!/usr/bin/env bash
# Installs the pinned reference MLflow (Python) into a virtual environment, once.
# Called by the Maven build (exec-maven-plugin, phase generate-test-resources) with:
#   ensure-venv.sh VENV_DIR MLFLOW_VERSION [NEWER_MLFLOW_VERSION]
# Idempotent: a venv whose marker names the same version is reused.
# NEWER_MLFLOW_VERSION (optional): a newer MLflow release whose `mlflow db upgrade` must migrate
# databases cropcast creates. Its own wheel is installed without dependencies into
# VENV_DIR/newer-mlflow-VERSION and run on the pinned venv's packages (PYTHONPATH): that release's
# mlflow-skinny and mlflow-tracing are not served by the package index here, but the mlflow wheel
# itself carries the whole `mlflow` package, its CLI and its alembic migrations.
set -euo pipefail
venv="$1"
version="$2"
newer="${3:-}"
# bump the suffix whenever the package list below changes, so existing venvs are rebuilt
marker="$venv/.cropcast-mlflow-$version-r2"
newer_dir="$venv/newer-mlflow-$newer"
newer_marker="$newer_dir/.cropcast-installed"
if [[ -f "$marker" && ( -z "$newer" || -f "$newer_marker" ) ]]; then
  exit 0
fi
mkdir -p "$(dirname "$venv")"
# several builds may start at once (parallel worktrees, CI): one installs, the others wait
exec 9>"$venv.lock"
flock 9
install_newer() {
  [[ -z "$newer" || -f "$newer_marker" ]] && return 0
  echo "[cropcast] installing the mlflow==$newer wheel into $newer_dir (for the schema-upgrade test)" >&2
  rm -rf "$newer_dir"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --target "$newer_dir" "mlflow==$newer"
  PYTHONPATH="$newer_dir" "$venv/bin/python" -W ignore -c \
    "import mlflow, sys; assert mlflow.__version__ == sys.argv[1], mlflow.__version__" "$newer"
  touch "$newer_marker"
}
if [[ -f "$marker" ]]; then
  install_newer
  exit 0
fi
python="${CROPCAST_PYTHON:-python3}"
echo "[cropcast] installing mlflow==$version into $venv (once; a few minutes)" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
# mlflow[auth] brings Flask-WTF for the basic-auth server app; psycopg2 for the PostgreSQL backend store;
# boto3 for S3 artifact roots; duckdb and pyarrow (with mlflow) read our Parquet.
"$venv/bin/pip" install --quiet --disable-pip-version-check "mlflow[auth]==$version" \
  psycopg2-binary==2.9.13 boto3==1.44.8 duckdb==2.0.1
"$venv/bin/python" -c "import mlflow, sys; assert mlflow.__version__ == sys.argv[1], mlflow.__version__" "$version"
touch "$marker"
install_newer
