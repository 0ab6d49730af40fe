#!/usr/bin/env bash
# BoltGate's performance figures, side by side with a peer, in one command:
#   scripts/bench.sh           the full run (minutes); writes bench/results/YYYY-MM-DD-HHMM.md and the README table
#   scripts/bench.sh --smoke   seconds long, tiny counts, same code paths; writes only under bench/work (CI runs it)
# Builds Release, installs the npm lnurl peer (bench/peer, locked by package-lock.json), pins each server
# to core 0 and the loader (tests/BoltGate.Bench) to core 1, and measures for BoltGate and the peer in the
# same run: the first step (tap -> withdrawRequest), the full withdrawal on SQLite, the full withdrawal on
# a durable PostgreSQL, fast-fail refund latency under that load, tap p50 with 1,000 vs 1,000,000 cards,
# and each server's peak RSS. Fails when any run reports an error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; fi
if [ "$smoke" -eq 1 ]; then
  cards=20; per_card=2; taps_peer=40; flows_per_card=1; flows_peer=20; conc=8; cards_big=2000; c1_taps=20
else
  cards=1000; per_card=6; taps_peer=6000; flows_per_card=3; flows_peer=3000; conc=50; cards_big=1000000; c1_taps=400
fi
stamp=$(date -u +%Y-%m-%d-%H%M)
work="$root/bench/work/$stamp"
if [ "$smoke" -eq 1 ]; then work="$work-smoke"; fi
mkdir -p "$work"
results="$work/runs.jsonl"
: > "$results"
admin_key="bench-admin-key-0123456789abcdef"
issuer_key="00000000000000000000000000000b17"
api_id="benchkey"
api_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

if [ "$(nproc)" -ge 2 ]; then server_cpu=(taskset -c 0); loader_cpu=(taskset -c 1); else server_cpu=(); loader_cpu=(); fi

# shellcheck source=lib/apt.sh
source scripts/lib/apt.sh
# shellcheck source=lib/bench-postgres.sh
source scripts/lib/bench-postgres.sh

echo "== building (Release)"
dotnet build src/BoltGate.Server/BoltGate.Server.csproj -c Release -nologo -v quiet
dotnet build tests/BoltGate.Bench/BoltGate.Bench.csproj -c Release -nologo -v quiet
server_dll="$root/src/BoltGate.Server/bin/Release/net10.0/BoltGate.Server.dll"
loader_dll="$root/tests/BoltGate.Bench/bin/Release/net10.0/BoltGate.Bench.dll"

echo "== installing the peer (npm lnurl, bench/peer)"
if [ ! -d bench/peer/node_modules/lnurl ] || [ ! -d bench/peer/node_modules/sqlite3 ]; then
  (cd bench/peer && npm ci --no-audit --no-fund --loglevel=error)
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_http() { # url
  for _ in $(seq 1 240); do curl -fs -o /dev/null "$1" && return 0; sleep 0.25; done
  echo "bench: $1 did not come up" >&2; return 1
}
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

server_pid=""
start_boltgate() { # name port provider connection-string
  local dir="$work/$1"; mkdir -p "$dir"
  (cd "$dir" && exec "${server_cpu[@]}" dotnet "$server_dll" --urls "http://127.0.0.1:$2" --DataDir "$dir" \
    --Storage:Provider "$3" --Storage:ConnectionString "$4" --Admin:ApiKey "$admin_key" --Issuer:Key "$issuer_key" \
    --Gateway:PublicUrl "http://127.0.0.1:$2" --Lightning:ConnectionString "type=simulated;network=regtest;unknownpayees=succeed;delay=0ms" \
    --Logging:LogLevel:Default Warning > "$dir/server.log" 2>&1) &
  server_pid=$!; pids+=("$server_pid")
  wait_http "http://127.0.0.1:$2/healthz"
}
stop() { # pid name -> records peak RSS
  echo "{\"run\":\"rss\",\"server\":\"$2\",\"peak_rss_mb\":$(peak_rss_mb "$1")}" >> "$results"
  kill "$1"; wait "$1" 2>/dev/null || true
}
cpu_ms() { awk '{printf "%d", ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }
load() { # server-pid loader-args...; appends the loader's JSON line and the server's CPU time during it
  local pid=$1; shift
  local before; before=$(cpu_ms "$pid")
  local line; line=$("${loader_cpu[@]}" dotnet "$loader_dll" "$@")
  echo "$line" | tee -a "$results"
  local run; run=$(echo "$line" | sed -n 's/.*"run":"\([^"]*\)".*/\1/p')
  echo "{\"run\":\"cpu\",\"of\":\"$run\",\"server_cpu_ms\":$(( $(cpu_ms "$pid") - before ))}" >> "$results"
  case "$line" in *'"errors":0,'*) ;; *) echo "bench: $run reported errors" >&2; return 1 ;; esac
}

existing=(--existing yes --issuer-key "$issuer_key")
create() { # port uid-prefix count: cards through the admin API, outside the measured runs
  "${loader_cpu[@]}" dotnet "$loader_dll" boltgate --url "http://127.0.0.1:$1" --admin-key "$admin_key" --mode create \
    --cards "$3" --uid-prefix "$2" --concurrency "$conc" | tee -a "$results"
}

echo "== BoltGate on SQLite: first step, then the full withdrawal with a refund in every 10"
start_boltgate sqlite 5180 sqlite "Data Source=$work/sqlite/boltgate.db"
create 5180 a0 "$cards"
load "$server_pid" boltgate --url http://127.0.0.1:5180 --admin-key "$admin_key" --mode tap --cards "$cards" --per-card "$per_card" --concurrency "$conc" --uid-prefix a0 --label sqlite "${existing[@]}"
create 5180 a1 "$cards"
load "$server_pid" boltgate --url http://127.0.0.1:5180 --admin-key "$admin_key" --mode flow --cards "$cards" --per-card "$flows_per_card" --concurrency "$conc" --uid-prefix a1 --fail-every 10 --label sqlite "${existing[@]}"
stop "$server_pid" boltgate-sqlite

echo "== the peer (npm lnurl, SQLite store, dummy backend): first step, then the full withdrawal"
rm -f "$work/peer.db"
(cd bench/peer && exec "${server_cpu[@]}" node server.js 5190 "$work/peer.db" "$api_id" "$api_key" > "$work/peer.log" 2>&1) &
peer_pid=$!; pids+=("$peer_pid")
wait_http "http://127.0.0.1:5190/status"
load "$peer_pid" peer --url http://127.0.0.1:5190 --key-id "$api_id" --key "$api_key" --mode tap --count "$taps_peer" --concurrency "$conc"
load "$peer_pid" peer --url http://127.0.0.1:5190 --key-id "$api_id" --key "$api_key" --mode flow --count "$flows_peer" --concurrency "$conc"
stop "$peer_pid" peer

echo "== BoltGate on PostgreSQL (durable: fsync=$(boltgate_bench_pg_setting fsync), synchronous_commit=$(boltgate_bench_pg_setting synchronous_commit))"
start_boltgate postgres 5181 postgres "$(boltgate_bench_pg_fresh boltgate_bench)"
create 5181 b1 "$cards"
load "$server_pid" boltgate --url http://127.0.0.1:5181 --admin-key "$admin_key" --mode flow --cards "$cards" --per-card "$flows_per_card" --concurrency "$conc" --uid-prefix b1 --fail-every 10 --label postgres "${existing[@]}"
stop "$server_pid" boltgate-postgres

echo "== tap p50 at c=1: 1,000 cards, then $cards_big"
big_db="$work/big/boltgate.db"
start_boltgate big 5182 sqlite "Data Source=$big_db"
create 5182 d0 1000
load "$server_pid" boltgate --url http://127.0.0.1:5182 --admin-key "$admin_key" --mode tap --cards 1000 --per-card 1 --concurrency 1 --uid-prefix d0 --first-counter 1 --sample "$c1_taps" --label cards-1k "${existing[@]}"
stop "$server_pid" boltgate-1k
"${loader_cpu[@]}" dotnet "$loader_dll" seed-sqlite --db "$big_db" --issuer-key "$issuer_key" --cards $((cards_big - 1000)) --uid-prefix e0 | tee -a "$results"
start_boltgate big 5182 sqlite "Data Source=$big_db"
load "$server_pid" boltgate --url http://127.0.0.1:5182 --admin-key "$admin_key" --mode tap --cards 1000 --per-card 1 --concurrency 1 --uid-prefix d0 --first-counter 2 --sample "$c1_taps" --label cards-big "${existing[@]}"
stop "$server_pid" boltgate-big

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
if [ "$smoke" -eq 1 ]; then out="$work/results.md"; else out="$root/bench/results/$stamp.md"; fi
readme=()
if [ "$smoke" -eq 0 ]; then readme=(--readme "$root/README.md"); fi
dotnet "$loader_dll" report --runs "$results" --out "$out" --stamp "$stamp" --nproc "$(nproc)" --cpu "${cpu_model:-unknown}" \
  --load-before "$load_before" --load-after "$load_after" --smoke "$smoke" \
  --pg "fsync=$(boltgate_bench_pg_setting fsync), synchronous_commit=$(boltgate_bench_pg_setting synchronous_commit)" \
  "${readme[@]}"
echo "bench: results in $out"
