#!/usr/bin/env bash
# Make sure the browser tests can run: headless Chromium and the Noto CJK fonts (so Chinese
# renders in the screenshots) from Debian's packages, installed only when missing. Sourced
# by scripts/test.sh; exports HUIQI_CHROMIUM, the browser tests/browser drives.
set -euo pipefail

_missing=()
command -v chromium >/dev/null 2>&1 || _missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || _missing+=(chromium-driver)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || _missing+=(fonts-noto-cjk)
if [ ${#_missing[@]} -gt 0 ]; then
  echo "安装浏览器测试所需的软件包：${_missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${_missing[@]}" >/dev/null
fi
unset _missing
export HUIQI_CHROMIUM=${HUIQI_CHROMIUM:-/usr/bin/chromium}
