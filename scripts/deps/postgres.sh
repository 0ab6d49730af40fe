# shellcheck shell=bash
# Brings up a private PostgreSQL cluster on 127.0.0.1:54329 for the storage and server tests and
# exports BOLTGATE_TEST_POSTGRES. Sourced by scripts/test.sh (bash, set -euo pipefail); idempotent:
# installs Debian's postgresql only when missing, creates the cluster once, starts it when down.
# Safe to source again: a running cluster is left alone.

boltgate_pg_port=${BOLTGATE_PG_PORT:-54329}
boltgate_pg_data=${BOLTGATE_PG_DATA:-/var/lib/postgresql/boltgate-test}
boltgate_pg_password=${BOLTGATE_PG_PASSWORD:-boltgate-test}

boltgate_pg_bin() {
  local dir
  # shellcheck disable=SC2012 # version-sorted directory names, no odd characters
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$dir"
}

if [ -z "$(boltgate_pg_bin)" ] || [ ! -x "$(boltgate_pg_bin)/initdb" ]; then
  boltgate_apt_install postgresql
fi
boltgate_pg_bindir=$(boltgate_pg_bin)

as_postgres() { runuser -u postgres -- "$@"; }

if [ ! -s "$boltgate_pg_data/PG_VERSION" ]; then
  echo "postgres.sh: creating cluster in $boltgate_pg_data"
  mkdir -p "$boltgate_pg_data"
  chown postgres:postgres "$boltgate_pg_data"
  chmod 700 "$boltgate_pg_data"
  pwfile=$(mktemp)
  printf '%s\n' "$boltgate_pg_password" > "$pwfile"
  chown postgres "$pwfile"
  as_postgres "$boltgate_pg_bindir/initdb" -D "$boltgate_pg_data" -U postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$boltgate_pg_data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $boltgate_pg_port
unix_socket_directories = '$boltgate_pg_data'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi

if ! as_postgres "$boltgate_pg_bindir/pg_ctl" -D "$boltgate_pg_data" status >/dev/null 2>&1; then
  echo "postgres.sh: starting PostgreSQL on 127.0.0.1:$boltgate_pg_port"
  as_postgres "$boltgate_pg_bindir/pg_ctl" -D "$boltgate_pg_data" -l "$boltgate_pg_data/server.log" -w -t 60 start >/dev/null
fi

# The password is (re)set every time so a cluster left by an older run with another one still works.
as_postgres "$boltgate_pg_bindir/psql" -h "$boltgate_pg_data" -p "$boltgate_pg_port" -U postgres -d postgres -qAt \
  -c "ALTER USER postgres PASSWORD '$boltgate_pg_password'" >/dev/null

export BOLTGATE_TEST_POSTGRES="Host=127.0.0.1;Port=$boltgate_pg_port;Username=postgres;Password=$boltgate_pg_password"
echo "postgres.sh: BOLTGATE_TEST_POSTGRES points at 127.0.0.1:$boltgate_pg_port"
