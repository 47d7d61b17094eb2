#!/usr/bin/env bash
# The whole test suite: lint, format check, then pytest — PostgreSQL and browser tests included
# (the services script starts PostgreSQL, the browser script installs headless Chromium and the
# CJK fonts when missing); slow tests are excluded, benchmarks live in benchmarks/.
#
# The platform's Django tests (tests/web) run twice: with the rest of the suite on SQLite (the
# default database), then again on PostgreSQL — the same tests, with DATABASE_URL pointing at
# the server services.sh started (pytest-django creates and drops a test database on it). Both
# runs happen only for the default command; with arguments, pytest runs just what was asked.
# The browser tests (tests/browser: Playwright driving Chromium against a live server) run in
# the first pass, on SQLite, the database of the demo; screenshots go to artifacts/screenshots/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
source "$(dirname "${BASH_SOURCE[0]}")/browser.sh"

ruff check src tests benchmarks
ruff format --check src tests benchmarks
env -u DATABASE_URL pytest "$@"
if [ $# -eq 0 ]; then
  DATABASE_URL="$HUIQI_TEST_POSTGRES" pytest tests/web
fi
