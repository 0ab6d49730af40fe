# shellcheck shell=bash
# Node.js and npm for the interop tests and the bench's peer (the npm lnurl server that
# scripts/bench.sh --smoke runs next to BoltGate; node-gyp may build its sqlite3 module: make, g++,
# python3), and the npm packages of the interop tests (tests/interop: js-lnurl and bolt11, pinned in its
# package-lock.json), installed from the npm registry. tests/BoltGate.Interop.Tests runs
# tests/interop/withdraw.mjs against a running gateway. Sourced by scripts/test.sh (set -euo pipefail
# is on); safe to source again: installs Node only when missing and runs `npm ci` only when
# node_modules does not match the lock file.

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  boltgate_apt_install nodejs npm
fi
boltgate_apt_install make g++ python3 curl
boltgate_node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$boltgate_node_major" -lt 18 ]; then
  echo "node.sh: Node.js $(node --version) is too old; the interop tests need 18 or later (global fetch)." >&2
  return 1
fi

boltgate_interop_dir=tests/interop
if ! cmp -s "$boltgate_interop_dir/package-lock.json" "$boltgate_interop_dir/node_modules/.boltgate-lock.json"; then
  echo "node.sh: npm ci in $boltgate_interop_dir"
  npm ci --prefix "$boltgate_interop_dir" --no-audit --no-fund --loglevel=error
  cp "$boltgate_interop_dir/package-lock.json" "$boltgate_interop_dir/node_modules/.boltgate-lock.json"
fi
echo "node.sh: Node.js $(node --version), $(cd "$boltgate_interop_dir" && node -p '"js-lnurl " + require("js-lnurl/package.json").version + ", bolt11 " + require("bolt11/package.json").version')"
