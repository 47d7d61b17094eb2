#!/usr/bin/env bash
# The whole test suite: lint, format check, then pytest (slow benchmarks excluded; run them
# with `.venv/bin/python benchmarks/law.py`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ruff check src tests benchmarks
ruff format --check src tests benchmarks
pytest "$@"
