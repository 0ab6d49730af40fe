#!/bin/sh
# Runs once in the demo's "secrets" container (busybox) after the LND nodes are up: copies each
# node's TLS certificate and the macaroon BoltGate or the POS needs into the shared "secrets"
# volume, readable by the non-root uid of the BoltGate images (1654), and writes a BTCPay-style
# connection string per node with the certificate pinned by its SHA-256 (of the DER bytes, as
# `openssl x509 -noout -fingerprint -sha256` prints it).
#   /secrets/<node>/tls.cert, /secrets/<node>/<macaroon>, /secrets/<node>.connection
set -eu

owner=${SECRETS_OWNER:-1654}

# copy_node <name> <macaroon file name>
copy_node() {
  node=$1
  macaroon=$2
  src=/lnd/$node
  mac=$src/data/chain/bitcoin/regtest/$macaroon
  i=0
  while [ ! -s "$src/tls.cert" ] || [ ! -s "$mac" ]; do
    i=$((i + 1))
    if [ "$i" -gt 120 ]; then
      echo "secrets: $node has no tls.cert or $macaroon after 120 s" >&2
      exit 1
    fi
    sleep 1
  done
  mkdir -p "/secrets/$node"
  cp "$src/tls.cert" "$mac" "/secrets/$node/"
  thumbprint=$(grep -v -- '-----' "$src/tls.cert" | base64 -d | sha256sum | cut -d' ' -f1)
  printf 'type=lnd-rest;server=https://%s:8080/;macaroonfilepath=/secrets/%s/%s;certthumbprint=%s\n' \
    "$node" "$node" "$macaroon" "$thumbprint" > "/secrets/$node.connection"
  chown -R "$owner:$owner" "/secrets/$node" "/secrets/$node.connection"
  chmod 0500 "/secrets/$node"
  chmod 0400 "/secrets/$node"/* "/secrets/$node.connection"
  echo "secrets: $node ready (certthumbprint $thumbprint)"
}

copy_node lnd-gateway admin.macaroon
copy_node lnd-merchant invoice.macaroon
copy_node lnd-private invoice.macaroon
