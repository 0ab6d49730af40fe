# Node.js and npm for the bench's peer (the npm lnurl server that scripts/bench.sh --smoke runs next to
# BoltGate), and what node-gyp needs when npm builds its sqlite3 module from source. Sourced by
# scripts/test.sh; installs only what is missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  boltgate_apt_install nodejs npm
fi
boltgate_apt_install make g++ python3 curl
echo "node.sh: node $(node --version), npm $(npm --version)"
