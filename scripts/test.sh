#!/usr/bin/env bash
# Set up everything from scratch and run every check: lint, format, types, import
# contracts and the test suite (which includes "shipped database == fresh build"),
# the tests in parallel on every core (pytest-xdist).
#
# Debian packages the tests use, installed only when running as root and missing:
#   postgresql (initdb/pg_ctl): the diary store is tested against a real PostgreSQL server;
#   chromium (/usr/bin/chromium): the HTML report is tested in a real browser via Playwright
#   (no `playwright install`: Playwright drives Debian's chromium);
#   openjdk-17-jre-headless (java): `vitk2 cohort intake --engine spark` is tested on a
#   local Spark session (PySpark runs on Java).
# Without them (not root, not Debian) those tests skip with a reason, unless
# VITK2_REQUIRE_POSTGRES=1 / VITK2_REQUIRE_BROWSER=1 / VITK2_REQUIRE_SPARK=1 make them
# fail instead (CI sets all three).
set -euo pipefail
cd "$(dirname "$0")/.."

have_initdb() {
    command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
packages=()
have_initdb || packages+=(postgresql)
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)
if [ "${#packages[@]}" -gt 0 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "== Debian packages: ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

PYTHON="${PYTHON:-python3}"
echo "== Python environment in .venv (a minute or two on a fresh machine)"
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

echo "== ruff";          .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy --strict"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest (parallel; tests/foods/test_build.py rebuilds the food database and compares)"
.venv/bin/python -m pytest -n auto --dist loadfile --durations=10
