#!/usr/bin/env bash
# Set up a virtual environment from scratch and run every check: lint, format,
# types, import contracts, "shipped database == fresh build", and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

echo "== ruff";          .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy --strict"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== food database equals a fresh build"
.venv/bin/python scripts/build_fooddb.py --check
echo "== pytest"
.venv/bin/python -m pytest
