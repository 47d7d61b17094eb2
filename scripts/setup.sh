#!/usr/bin/env bash
# Prepare a fresh machine for huiqi: a virtual environment in .venv with the package and its
# test tools. Sourced by scripts/demo.sh and scripts/test.sh; re-installs only when
# pyproject.toml changed since the last run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "huiqi 需要 Python 3.11 或更高版本（当前：$("$PYTHON" --version 2>&1)）" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.huiqi-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
  echo "$want" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
