#!/usr/bin/env bash
# The whole test suite: lint, format check, then pytest — PostgreSQL tests included (the
# services script starts PostgreSQL); slow tests are excluded, benchmarks live in benchmarks/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

ruff check src tests benchmarks
ruff format --check src tests benchmarks
pytest "$@"
