#!/usr/bin/env bash
# The DuckDB cross-check of the indicator engine, for CI: builds the CLI, makes small random
# register data sets, imports them with `indsats import register`, and compares
# `indsats indicators` with scripts/reference_panel.sql row by row (scripts/crosscheck.py).
# Exits non-zero on any difference or failure. About a minute on two cores.
#
#   bash scripts/ci-crosscheck.sh
#
# Environment: INDSATS_BIN (use this binary instead of building one), CROSSCHECK_VENV (the
# Python virtual environment, default ~/.cache/indsats-venv), CARGO_TARGET_DIR (default
# ~/.cache/indsats-target, as .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Python with the pinned DuckDB, in a virtual environment that outlives the clone.
venv="${CROSSCHECK_VENV:-$HOME/.cache/indsats-venv}"
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv" 2>/dev/null; then
    echo "python3 -m venv failed: installing Debian's python3-venv with apt-get"
    rm -rf "$venv"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
fi
wanted=$(sed -n 's/^duckdb==//p' scripts/requirements.txt)
if ! "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$wanted')" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/requirements.txt
fi
python="$venv/bin/python"

# The engine: the given binary, or a debug build of the current tree.
bin="${INDSATS_BIN:-}"
if [ -z "$bin" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/indsats-target}"
  cargo build --locked -q -p indsats-cli
  bin="$CARGO_TARGET_DIR/debug/indsats"
fi
# indsats reads every INDSATS_* variable as a setting and rejects unknown ones (INDSATS_BIN).
while read -r name; do unset "$name"; done < <(compgen -e | grep '^INDSATS_' || true)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Run indsats where no stray ./indsats.toml is read.
indsats() { (cd "$tmp" && "$bin" "$@"); }

passed=0
failed=0
check() {
  echo "-- crosscheck.py $*"
  if "$python" scripts/crosscheck.py --bin "$bin" "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

for seed in 1 2; do
  "$python" scripts/make_test_data.py "$tmp/csv$seed" --persons 3000 --seed "$seed" --from 2015 --to 2024
  indsats import register --from "$tmp/csv$seed" --out "$tmp/data$seed" >/dev/null
  # The data's whole range (as `indsats indicators` without --from/--to), quarters and years.
  check "$tmp/data$seed"
done
# Weeks, quarters and years around the 53-week year 2020 and the year end.
check "$tmp/data1" --period week,quarter,year --from 2020W40 --to 2021W14
# A range given in years, the first partly before the data.
check "$tmp/data2" --period quarter,year --from 2014 --to 2016

# The synthetic register as `indsats demo register` makes it (a 5 % sample of Rødovre and Gladsaxe).
indsats demo register --municipalities 175,159 --from 2019 --to 2021 --seed 1 --scale 0.05 --out "$tmp/demo" >/dev/null
check "$tmp/demo" --from 2019Q1 --to 2021Q4

echo "crosscheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
