#!/usr/bin/env bash
# The merchant's regtest demo: a Boltcard is tapped at a POS and BoltGate pays the merchant's
# invoice from the card, then the same card meets the failures BoltGate exists for.
#
#   docker/demo.sh                    bitcoind + LND + Core Lightning + BoltGate in Docker (docker compose v2)
#   docker/demo.sh --target embedded  the same story against a gateway on its embedded simulated node (no Docker)
#
# The story, printed as a timeline with the card's balance after each step:
#   1. a payment to the merchant succeeds;
#   2. a payment to a node reachable only through a private channel fails with NO_ROUTE and is
#      refunded at once (the milliseconds are shown);
#   3. a hold invoice stays in flight (the balance is held, the callback answers "pending"), then
#      the merchant settles it; a second one is cancelled and its amount refunded;
#   4. a replayed tap is refused.
# Exits non-zero if any step does not end as the timeline says.
#
# Options: --target docker|embedded (default docker); --gateway lnd|cln (docker: BoltGate on the
# gateway's LND, or on Core Lightning with docker-compose.cln.yml); --no-build (use the images or
# the Release build already there); --keep (embedded: leave the gateway's data directory; the
# Docker network always keeps running until `down -v`).
# Environment: BOLTGATE_DEMO_PORT (the gateway's port), BOLTGATE_DEMO_CONFIGURATION (embedded: the
# build to run, Release by default), BOLTGATE_DEMO_LIGHTNING (embedded: the gateway's connection string).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
target=docker
gateway_node=lnd
build=1
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=${2:?--target needs docker or embedded}; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    --gateway) gateway_node=${2:?--gateway needs lnd or cln}; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$target" in docker|embedded) ;; *) echo "demo.sh: --target must be docker or embedded" >&2; exit 2 ;; esac
case "$gateway_node" in lnd|cln) ;; *) echo "demo.sh: --gateway must be lnd or cln" >&2; exit 2 ;; esac

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "demo.sh: '$1' is required ($2)" >&2; exit 2; }
}
need curl "to call the gateway's admin API"
need jq "to read JSON answers"

# ---------------------------------------------------------------- the timeline

started_ms=$(date +%s%3N)
failures=0
card_id=""
uid=""
card_k1=""
card_k2=""

say() { printf '\n== %s\n' "$*"; }

# step_line <ok|FAIL> <title> <detail>: one timeline line with the card's balance now.
step_line() {
  local mark=$1 title=$2 detail=$3 balance now
  balance=$(card_balance_sat)
  now=$(( $(date +%s%3N) - started_ms ))
  printf '[%7.1f s] %-4s %-58s balance %6s sat   %s\n' "$(awk "BEGIN{print $now/1000}")" "$mark" "$title" "$balance" "$detail"
  if [ "$mark" != ok ]; then
    failures=$((failures + 1))
  fi
}

# expect <title> <what happened> <condition...>: the step is ok when the condition command succeeds.
expect() {
  local title=$1 detail=$2
  shift 2
  if "$@"; then
    step_line ok "$title" "$detail"
  else
    step_line FAIL "$title" "$detail"
  fi
}

admin() {
  local method=$1 path=$2 body=${3:-}
  if [ -n "$body" ]; then
    curl -sS --fail-with-body -X "$method" "$gateway_url$path" -H "Authorization: Bearer $admin_key" \
      -H 'Content-Type: application/json' -d "$body"
  else
    curl -sS --fail-with-body -X "$method" "$gateway_url$path" -H "Authorization: Bearer $admin_key"
  fi
}

card_balance_msat() { admin GET "/api/v1/cards/$card_id" | jq -r '.balanceMsat'; }
card_balance_sat() { echo $(( $(card_balance_msat) / 1000 )); }
latest_withdrawal_state() { admin GET "/api/v1/cards/$card_id/withdrawals" | jq -r '.[0].state'; }

# wait_withdrawal <state> <seconds>: polls the card's newest withdrawal until it reaches <state>.
wait_withdrawal() {
  local want=$1 seconds=$2 i
  for i in $(seq 1 $((seconds * 5))); do
    [ "$(latest_withdrawal_state)" = "$want" ] && return 0
    [ "$i" -gt 0 ] && sleep 0.2
  done
  return 1
}

# tap <counter> <invoice args...>: one sale through boltgate-pos; sets pos_json, pos_outcome, pos_code, pos_callback_ms.
tap() {
  local counter=$1
  shift
  set +e
  pos_json=$(pos --json --http --gateway "$tap_gateway_url" --uid "$uid" --k1 "$card_k1" --k2 "$card_k2" --counter "$counter" "$@")
  set -e
  pos_outcome=$(jq -r '.outcome' <<<"$pos_json" 2>/dev/null || echo unparsable)
  pos_code=$(jq -r '.code // ""' <<<"$pos_json" 2>/dev/null || true)
  pos_reason=$(jq -r '.reason // ""' <<<"$pos_json" 2>/dev/null || true)
  pos_callback_ms=$(jq -r '.timings.callbackMs' <<<"$pos_json" 2>/dev/null || echo "?")
  pos_total_ms=$(jq -r '.timings.totalMs' <<<"$pos_json" 2>/dev/null || echo "?")
}

create_card() {
  say "a card for the demo"
  uid=04$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  local created
  created=$(admin POST /api/v1/cards "{\"name\":\"demo card\",\"uid\":\"$uid\"}")
  card_id=$(jq -r '.id' <<<"$created")
  card_k1=$(jq -r '.keys.k1' <<<"$created")
  card_k2=$(jq -r '.keys.k2' <<<"$created")
  admin POST "/api/v1/cards/$card_id/credit" '{"amountSat":10000}' >/dev/null
  echo "card $card_id (UID $uid) credited with 10000 sat; its keys came back once from POST /api/v1/cards"
}

# ---------------------------------------------------------------- the story (both targets)

# The target defines: pos, merchant_invoice_args, private_invoice_args, hold_invoice <settle|cancel>
# (sets hold_args and hold_ref), hold_resolve <settle|cancel>.
story() {
  say "the story"
  local before after held state

  before=$(card_balance_msat)
  tap 1 "${merchant_invoice_args[@]}" --amount-sat 1000
  after=$(card_balance_msat)
  expect "1. tap #1: 1000 sat to the merchant" "$pos_outcome in ${pos_total_ms} ms" \
    test "$pos_outcome" = paid -a "$((before - after))" -ge 1000000

  before=$(card_balance_msat)
  tap 2 "${private_invoice_args[@]}" --amount-sat 500
  after=$(card_balance_msat)
  expect "2. tap #2: 500 sat to a node behind a private channel" \
    "$pos_outcome $pos_code, refunded in ${pos_callback_ms} ms (callback round trip)" \
    test "$pos_outcome/$pos_code/$before" = "refused/NO_ROUTE/$after"

  hold_invoice settle 700
  before=$(card_balance_msat)
  tap 3 "${hold_args[@]}"
  held=$(card_balance_msat)
  state=$(latest_withdrawal_state)
  expect "3. tap #3: 700 sat to a hold invoice" "$pos_outcome (${pos_reason:0:50})" \
    test "$pos_outcome" = pending -a "$((before - held))" -ge 700000
  expect "   in flight: the 700 sat (and the fee reserve) stay held" "withdrawal $state" \
    test "$state" = InFlight -o "$state" = Sending
  hold_resolve settle
  wait_withdrawal Succeeded 60 || true
  state=$(latest_withdrawal_state)
  expect "   the merchant settles the hold invoice: paid" "withdrawal $state" \
    test "$state" = Succeeded -a "$(card_balance_msat)" -le "$((before - 700000))"

  hold_invoice cancel 800
  before=$(card_balance_msat)
  tap 4 "${hold_args[@]}"
  held=$(card_balance_msat)
  expect "4. tap #4: 800 sat to another hold invoice" "$pos_outcome (${pos_reason:0:50})" \
    test "$pos_outcome" = pending -a "$((before - held))" -ge 800000
  hold_resolve cancel
  wait_withdrawal Failed 60 || true
  state=$(latest_withdrawal_state)
  expect "   the merchant cancels it: the 800 sat are refunded" "withdrawal $state" \
    test "$state" = Failed -a "$(card_balance_msat)" = "$before"

  before=$(card_balance_msat)
  tap 1 "${merchant_invoice_args[@]}" --amount-sat 1000
  expect "5. tap #1 replayed (a copied card URL)" "$pos_outcome $pos_code" \
    test "$pos_outcome/$pos_code/$before" = "refused/REPLAY/$(card_balance_msat)"
}

finish() {
  echo
  if [ "$failures" -eq 0 ]; then
    echo "demo: every step ended as the timeline says"
    return 0
  fi
  echo "demo: $failures step(s) did NOT end as the timeline says" >&2
  return 1
}

# ---------------------------------------------------------------- target: embedded

run_embedded() {
  need dotnet "the .NET 10 SDK runs the gateway and the POS"
  local config=${BOLTGATE_DEMO_CONFIGURATION:-Release} port server_dll pos_dll
  if [ "$build" -eq 1 ]; then
    say "building the gateway and boltgate-pos (Release)"
    dotnet build "$root/src/BoltGate.Server/BoltGate.Server.csproj" -c "$config" -nologo -v quiet
    dotnet build "$root/tools/BoltGate.Pos/BoltGate.Pos.csproj" -c "$config" -nologo -v quiet
  fi
  server_dll="$root/src/BoltGate.Server/bin/$config/net10.0/BoltGate.Server.dll"
  pos_dll="$root/tools/BoltGate.Pos/bin/$config/net10.0/boltgate-pos.dll"
  for f in "$server_dll" "$pos_dll"; do
    [ -f "$f" ] || { echo "demo.sh: $f is missing; run without --no-build" >&2; exit 2; }
  done

  port=${BOLTGATE_DEMO_PORT:-5077}
  work=$(mktemp -d "${TMPDIR:-/tmp}/boltgate-demo.XXXXXX")
  gateway_url="http://127.0.0.1:$port"
  tap_gateway_url=$gateway_url
  admin_key=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  say "starting the gateway on its embedded simulated node at $gateway_url (data in $work)"
  (
    cd "$work"
    exec env -u ASPNETCORE_URLS \
      BOLTGATE__Lightning__ConnectionString="${BOLTGATE_DEMO_LIGHTNING:-type=simulated;network=regtest;unknownpayees=fail;holdfor=6s}" \
      BOLTGATE__Admin__ApiKey="$admin_key" \
      BOLTGATE__Gateway__PublicUrl="$gateway_url" \
      BOLTGATE__Payments__CallbackWait=00:00:02 \
      dotnet "$server_dll" --urls "$gateway_url"
  ) >"$work/gateway.log" 2>&1 &
  gateway_pid=$!
  cleanup_embedded() {
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
    if [ "$keep" -eq 0 ]; then rm -rf "$work"; else echo "gateway data kept in $work"; fi
  }
  trap cleanup_embedded EXIT
  local i
  for i in $(seq 1 150); do
    [ "$(curl -s "$gateway_url/healthz" || true)" = ok ] && break
    if ! kill -0 "$gateway_pid" 2>/dev/null; then
      echo "demo.sh: the gateway exited; its log:" >&2
      cat "$work/gateway.log" >&2
      exit 1
    fi
    [ "$i" -eq 150 ] && { echo "demo.sh: the gateway did not become healthy; its log:" >&2; cat "$work/gateway.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "gateway healthy"

  pos() { dotnet "$pos_dll" "$@"; }
  # The simulated merchant: named payees the gateway's simulated node knows by their keys.
  merchant_invoice_args=(--node "type=simulated" --payee alice)
  private_invoice_args=(--node "type=simulated" --payee noroute)
  hold_invoice() {
    local how=$1 sat=$2
    hold_args=(--node "type=simulated" --payee "hold-$how" --amount-sat "$sat")
  }
  hold_resolve() {
    # The embedded node's hold payees settle or cancel by themselves after holdfor (6 s).
    echo "            (the simulated merchant ${1}s its hold invoice after 6 s)"
  }

  create_card
  story
  finish
}

# ---------------------------------------------------------------- target: docker

compose_extra=()
compose() { docker compose -p boltgate-demo -f "$here/docker-compose.yml" "${compose_extra[@]}" "$@"; }
btc() { compose exec -T bitcoind bitcoin-cli -regtest -rpcuser=demo -rpcpassword=demo "$@"; }
lncli_of() { local node=$1; shift; compose exec -T "$node" lncli --network=regtest "$@"; }
cln_of() { local node=$1; shift; compose exec -T "$node" lightning-cli --regtest "$@"; }
mine() { btc generatetoaddress "$1" "$(btc -rpcwallet=demo getnewaddress)" >/dev/null; }

wait_for() {
  local what=$1 seconds=$2 i
  shift 2
  for i in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    [ "$i" -lt "$seconds" ] && sleep 1
  done
  echo "demo.sh: timed out waiting for $what" >&2
  return 1
}

lnd_synced() { [ "$(lncli_of "$1" getinfo | jq -r '.synced_to_chain')" = true ]; }
lnd_active_channels() { [ "$(lncli_of "$1" listchannels --active_only | jq '.channels | length')" -ge "$2" ]; }

# The gateway's node: lnd-gateway (default) or cln-gateway (--gateway cln).
gw_pubkey() {
  if [ "$gateway_node" = lnd ]; then lncli_of lnd-gateway getinfo | jq -r '.identity_pubkey'
  else cln_of cln-gateway getinfo | jq -r '.id'; fi
}
gw_ready() {
  if [ "$gateway_node" = lnd ]; then lnd_synced lnd-gateway
  else [ "$(cln_of cln-gateway getinfo | jq -r '.blockheight')" -ge 101 ]; fi
}
gw_newaddress() {
  if [ "$gateway_node" = lnd ]; then lncli_of lnd-gateway newaddress p2wkh | jq -r '.address'
  else cln_of cln-gateway newaddr | jq -r '.bech32'; fi
}
gw_open() {
  local peer=$1 host=$2
  if [ "$gateway_node" = lnd ]; then
    lncli_of lnd-gateway connect "$peer@$host:9735" >/dev/null 2>&1 || true
    lncli_of lnd-gateway openchannel --node_key "$peer" --local_amt 2000000 >/dev/null
  else
    cln_of cln-gateway connect "$peer@$host:9735" >/dev/null 2>&1 || true
    cln_of cln-gateway fundchannel "$peer" 2000000 >/dev/null
  fi
}
gw_active_channels() {
  if [ "$gateway_node" = lnd ]; then lnd_active_channels lnd-gateway "$1"
  else [ "$(cln_of cln-gateway listpeerchannels | jq '[.channels[] | select(.state == "CHANNELD_NORMAL")] | length')" -ge "$1" ]; fi
}
gw_graph_has() {
  if [ "$gateway_node" = lnd ]; then
    lncli_of lnd-gateway describegraph | jq -e --arg k "$1" '[.edges[] | select(.node1_pub == $k or .node2_pub == $k)] | length > 0' >/dev/null
  else
    cln_of cln-gateway listchannels | jq -e --arg k "$1" '[.channels[] | select(.source == $k or .destination == $k)] | length > 0' >/dev/null
  fi
}

run_docker() {
  need docker "Docker with compose v2 (docker compose)"
  docker compose version >/dev/null 2>&1 || { echo "demo.sh: needs compose v2 ('docker compose')" >&2; exit 2; }
  local gw_service=lnd-gateway
  if [ "$gateway_node" = cln ]; then
    compose_extra=(-f "$here/docker-compose.cln.yml")
    gw_service=cln-gateway
  fi
  say "bringing up bitcoind, LND (gateway, merchant, private-only), Core Lightning and PostgreSQL"
  if [ "$build" -eq 1 ]; then compose --profile tools build boltgate pos; fi
  compose up -d bitcoind postgres lnd-gateway lnd-merchant lnd-private cln-merchant "$gw_service"
  trap 'echo; echo "(the network keeps running; stop it with: docker compose -p boltgate-demo -f docker/docker-compose.yml down -v)"' EXIT

  wait_for "bitcoind" 60 btc getblockchaininfo
  btc createwallet demo >/dev/null 2>&1 || btc loadwallet demo >/dev/null 2>&1 || true
  mine 101
  local n
  for n in lnd-gateway lnd-merchant lnd-private; do wait_for "$n" 120 lnd_synced "$n"; done
  wait_for "Core Lightning" 120 cln_of cln-merchant getinfo
  wait_for "the gateway's node" 120 gw_ready

  say "funding the gateway's node ($gateway_node) and the merchant's LND"
  btc -rpcwallet=demo sendtoaddress "$(gw_newaddress)" 5 >/dev/null
  btc -rpcwallet=demo sendtoaddress "$(lncli_of lnd-merchant newaddress p2wkh | jq -r '.address')" 5 >/dev/null
  mine 6
  wait_for "lnd-merchant" 60 lnd_synced lnd-merchant
  sleep 5

  say "opening channels: gateway -> merchant LND, gateway -> merchant Core Lightning, merchant LND -> private-only node (unannounced)"
  local merchant_pub private_pub cln_pub
  merchant_pub=$(lncli_of lnd-merchant getinfo | jq -r '.identity_pubkey')
  private_pub=$(lncli_of lnd-private getinfo | jq -r '.identity_pubkey')
  cln_pub=$(cln_of cln-merchant getinfo | jq -r '.id')
  gw_open "$merchant_pub" lnd-merchant
  gw_open "$cln_pub" cln-merchant
  lncli_of lnd-merchant connect "$private_pub@lnd-private:9735" >/dev/null 2>&1 || true
  lncli_of lnd-merchant openchannel --node_key "$private_pub" --local_amt 1000000 --push_amt 500000 --private >/dev/null
  mine 6
  wait_for "the gateway's channels" 120 gw_active_channels 2
  wait_for "the private channel" 120 lnd_active_channels lnd-private 1
  mine 6
  say "waiting for the gateway's graph to see the merchant's channels"
  wait_for "graph: merchant LND" 180 gw_graph_has "$merchant_pub"
  wait_for "graph: merchant Core Lightning" 180 gw_graph_has "$cln_pub"

  say "starting BoltGate on the gateway's $gateway_node"
  compose up -d boltgate
  gateway_url="http://127.0.0.1:${BOLTGATE_DEMO_PORT:-5000}"
  tap_gateway_url="http://boltgate:5000"
  gateway_healthy() { [ "$(curl -s "$gateway_url/healthz")" = ok ]; }
  wait_for "BoltGate /healthz" 120 gateway_healthy
  admin_key=$(compose exec -T boltgate cat /data/admin.key)

  # The POS runs in a container on the demo network with the merchant nodes' secrets mounted.
  pos() { compose --profile tools run --rm -T pos "$@"; }
  merchant_invoice_args=(--node "$(compose exec -T boltgate cat /secrets/lnd-merchant.connection)")
  private_invoice_args=(--node "$(compose exec -T boltgate cat /secrets/lnd-private.connection)")
  hold_invoice() {
    local how=$1 sat=$2 preimage hash bolt11
    preimage=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    # shellcheck disable=SC2001 # sed inserts \x before every hex pair: printf %b turns them into the preimage's bytes
    hash=$(printf '%b' "$(sed 's/../\\x&/g' <<<"$preimage")" | sha256sum | cut -d' ' -f1)
    bolt11=$(lncli_of lnd-merchant addholdinvoice --amt "$sat" --memo "demo hold ($how)" "$hash" | jq -r '.payment_request')
    hold_args=(--invoice "$bolt11")
    hold_ref="$preimage $hash"
  }
  hold_resolve() {
    local preimage=${hold_ref% *} hash=${hold_ref#* }
    sleep 2
    if [ "$1" = settle ]; then
      echo "            (the merchant runs: lncli settleinvoice <preimage>)"
      lncli_of lnd-merchant settleinvoice "$preimage" >/dev/null
    else
      echo "            (the merchant runs: lncli cancelinvoice <hash>)"
      lncli_of lnd-merchant cancelinvoice "$hash" >/dev/null
    fi
  }

  create_card
  story
  local before
  before=$(card_balance_msat)
  tap 6 --node "type=clightning;server=unix:///cln-merchant/regtest/lightning-rpc" --amount-sat 600
  expect "6. tap #6: 600 sat to the merchant's Core Lightning" "$pos_outcome in ${pos_total_ms} ms" \
    test "$pos_outcome" = paid -a "$((before - $(card_balance_msat)))" -ge 600000
  finish
}

if [ "$target" = embedded ]; then
  run_embedded
else
  run_docker
fi
