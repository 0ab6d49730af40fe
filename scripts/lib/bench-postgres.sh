# shellcheck shell=bash
# A durable PostgreSQL cluster for the bench (sourced by scripts/bench.sh): fsync, synchronous_commit and
# full_page_writes at their defaults (on), unlike the test cluster on 54329, which turns them off for speed.
# Creates the cluster once, starts it when down, exports BOLTGATE_BENCH_POSTGRES. Needs postgres.sh's binaries.

boltgate_bench_pg_port=${BOLTGATE_BENCH_PG_PORT:-54339}
boltgate_bench_pg_data=${BOLTGATE_BENCH_PG_DATA:-/var/lib/postgresql/boltgate-bench}
boltgate_bench_pg_password=${BOLTGATE_BENCH_PG_PASSWORD:-boltgate-bench}
boltgate_bench_pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$boltgate_bench_pg_bin" ] || [ ! -x "$boltgate_bench_pg_bin/initdb" ]; then
  boltgate_apt_install postgresql
  boltgate_bench_pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
fi

if [ ! -s "$boltgate_bench_pg_data/PG_VERSION" ]; then
  echo "bench-postgres.sh: creating a durable cluster in $boltgate_bench_pg_data"
  mkdir -p "$boltgate_bench_pg_data"
  chown postgres:postgres "$boltgate_bench_pg_data"
  chmod 700 "$boltgate_bench_pg_data"
  pwfile=$(mktemp)
  printf '%s\n' "$boltgate_bench_pg_password" > "$pwfile"
  chown postgres "$pwfile"
  runuser -u postgres -- "$boltgate_bench_pg_bin/initdb" -D "$boltgate_bench_pg_data" -U postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$boltgate_bench_pg_data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $boltgate_bench_pg_port
unix_socket_directories = '$boltgate_bench_pg_data'
max_connections = 200
shared_buffers = 128MB
# Durable: fsync, synchronous_commit and full_page_writes stay on. Let PostgreSQL group its own commits.
commit_delay = 200
commit_siblings = 2
CONF
fi

if ! runuser -u postgres -- "$boltgate_bench_pg_bin/pg_ctl" -D "$boltgate_bench_pg_data" status >/dev/null 2>&1; then
  echo "bench-postgres.sh: starting PostgreSQL on 127.0.0.1:$boltgate_bench_pg_port"
  runuser -u postgres -- "$boltgate_bench_pg_bin/pg_ctl" -D "$boltgate_bench_pg_data" -l "$boltgate_bench_pg_data/server.log" -w -t 60 start >/dev/null
fi
runuser -u postgres -- "$boltgate_bench_pg_bin/psql" -h "$boltgate_bench_pg_data" -p "$boltgate_bench_pg_port" -U postgres -d postgres -qAt \
  -c "ALTER USER postgres PASSWORD '$boltgate_bench_pg_password'" >/dev/null

# A fresh database per run: drops the old one, creates it empty (the server migrates it).
boltgate_bench_pg_fresh() {
  runuser -u postgres -- "$boltgate_bench_pg_bin/psql" -h "$boltgate_bench_pg_data" -p "$boltgate_bench_pg_port" -U postgres -d postgres -qAt \
    -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "Host=127.0.0.1;Port=$boltgate_bench_pg_port;Username=postgres;Password=$boltgate_bench_pg_password;Database=$1;Maximum Pool Size=100"
}

boltgate_bench_pg_setting() {
  runuser -u postgres -- "$boltgate_bench_pg_bin/psql" -h "$boltgate_bench_pg_data" -p "$boltgate_bench_pg_port" -U postgres -d postgres -qAt -c "SHOW $1"
}
