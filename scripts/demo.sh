#!/usr/bin/env bash
# The README's first command: the platform with demo data on http://127.0.0.1:8000 — the
# regulation library, the example policies, a synthetic registry of 长春 enterprises, demo
# accounts (printed with their passwords) and a 免申即享 screening. Ctrl-C stops it; a second
# run reuses the data (`bash scripts/demo.sh --reset` rebuilds it). Options: `huiqi demo --help`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

exec huiqi demo "$@"
