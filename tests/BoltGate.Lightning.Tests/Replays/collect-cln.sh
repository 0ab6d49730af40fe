#!/usr/bin/env bash
# Regenerates cln-schema-examples.json from a Core Lightning checkout: the request/response pairs
# recorded from real regtest nodes that lightning's doc/schemas/<method>.json carry as "examples",
# for the methods BoltGate's Core Lightning client sends or parses, each with its source.
#   tests/BoltGate.Lightning.Tests/Replays/collect-cln.sh /path/to/ElementsProject/lightning
set -euo pipefail
repo=${1:?usage: collect-cln.sh <path of a Core Lightning git checkout or mirror>}
out="$(cd "$(dirname "$0")" && pwd)/cln-schema-examples.json"
commit=$(git -C "$repo" rev-parse HEAD)
version=$(git -C "$repo" describe --tags 2>/dev/null || echo unknown)
{
  for method in getinfo invoice pay xpay listpays listsendpays waitsendpay waitanyinvoice; do
    path="doc/schemas/$method.json"
    git -C "$repo" show "HEAD:$path" | jq -c --arg m "$method" --arg p "$path" --arg c "$commit" --arg v "$version" '
      [.examples | to_entries[] | {
        name: "\($m) example \(.key + 1)",
        method: $m,
        source: { repo: "ElementsProject/lightning", path: $p, commit: $c, version: $v },
        request: .value.request,
        response: .value.response }]'
  done
} | jq -s 'add | { description: "Core Lightning JSON-RPC examples recorded from real regtest nodes (doc/schemas/*.json examples), copied verbatim", replays: . }' > "$out"
echo "wrote $(jq '.replays | length' "$out") replays to $out"
