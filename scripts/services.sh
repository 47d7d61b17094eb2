#!/usr/bin/env bash
# Make sure the services the tests talk to are running: PostgreSQL on 127.0.0.1:5432 with a
# database `test` (trust auth for local connections). Installs PostgreSQL from Debian's
# packages on a machine that has none. Sourced by scripts/test.sh.
set -euo pipefail

_pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "安装 PostgreSQL（Debian 软件包）…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! _pg_ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do _pg_ready && break; sleep 1; done
fi
if ! psql -h 127.0.0.1 -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1; then
  # a fresh cluster: trust local TCP connections and create the test database
  hba=$(su postgres -c "psql -Atqc 'show hba_file'")
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    su postgres -c "psql -qc 'select pg_reload_conf()'" >/dev/null
  fi
  su postgres -c "createdb test" 2>/dev/null || true
fi
export HUIQI_TEST_POSTGRES=${HUIQI_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}
