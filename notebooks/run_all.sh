#!/usr/bin/env bash
# Execute every notebook in notebooks/ headless against freshly produced outputs; fail if any
# notebook fails (each asserts what it relies on). Run from anywhere; .ci/run calls it.
#
#   notebooks/run_all.sh [OUT_DIR]
#
# - `sim`: $SIM_BIN if set (CI passes the debug binary `cargo test` just built), else the
#   release binary, built if needed, in cargo's target directory (.ci/target-dir).
# - Outputs and the executed notebooks go to OUT_DIR (kept), or to a temporary folder that is
#   removed at exit. The committed notebooks are never written.
# - Python packages: notebooks/requirements.txt in the virtual environment $NOTEBOOK_VENV
#   (default notebooks/.venv, git-ignored), created if missing and reinstalled when the
#   requirements change. Needs python3 with the venv module (Debian: python3-venv) and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${NOTEBOOK_VENV:-$root/notebooks/.venv}

if [ $# -ge 1 ]; then
    work=$1
    mkdir -p "$work"
    work=$(cd "$work" && pwd)
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/sim-notebooks.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi

if [ -n "${SIM_BIN:-}" ]; then
    sim=$SIM_BIN
else
    cargo build --release --quiet --bin sim
    sim=$("$root/.ci/target-dir")/release/sim
fi
[ -x "$sim" ] || { echo "error: no sim binary at $sim" >&2; exit 1; }

echo "-- fresh outputs in $work"
"$sim" run scenarios/quickstart.toml --tasks-csv --quiet --no-plots --out "$work/quickstart" >/dev/null
"$sim" run scenarios/quickstart.toml --seed 7 --quiet --no-plots --out "$work/quickstart-seed7" >/dev/null
"$sim" sweep scenarios/breakeven-sweep.toml --quiet --out "$work/breakeven-sweep" >/dev/null

if [ ! -x "$venv/bin/python" ] || [ ! -x "$venv/bin/pip" ]; then
    echo "-- creating the virtual environment $venv"
    rm -rf "$venv"
    if ! python3 -m venv "$venv"; then
        rm -rf "$venv"
        echo "error: \`python3 -m venv\` failed; on Debian install python3-venv (apt-get install python3-venv)" >&2
        exit 1
    fi
fi
if ! cmp -s notebooks/requirements.txt "$venv/requirements.installed"; then
    echo "-- installing notebooks/requirements.txt"
    "$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
        -r notebooks/requirements.txt
    cp notebooks/requirements.txt "$venv/requirements.installed"
fi

export SIM_RUN_DIR=$work/quickstart
export SIM_RUN_DIR_B=$work/quickstart-seed7
export SIM_SWEEP_DIR=$work/breakeven-sweep
export SIM_REPO=$root
export MPLBACKEND=Agg
export JUPYTER_PLATFORM_DIRS=1

failed=0
for nb in notebooks/*.ipynb; do
    name=$(basename "$nb" .ipynb)
    start=$SECONDS
    if "$venv/bin/jupyter" nbconvert --to notebook --execute "$nb" \
        --ExecutePreprocessor.timeout=600 --output-dir "$work/executed" \
        >"$work/$name.log" 2>&1; then
        echo "ok      $nb ($((SECONDS - start)) s)"
    else
        echo "FAILED  $nb ($((SECONDS - start)) s):"
        tail -n 40 "$work/$name.log" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
done
if [ $# -ge 1 ]; then
    echo "-- executed notebooks in $work/executed"
fi
if [ "$failed" -gt 0 ]; then
    echo "error: $failed notebook(s) failed" >&2
    exit 1
fi
