# shellcheck shell=bash
# The tools the regtest demo's checks need (tests/BoltGate.Demo.Tests): Debian's docker-compose
# (validates docker/docker-compose*.yml with `docker-compose config`; no Docker engine is needed or
# started), shellcheck (every *.sh in the repository), and curl + jq (docker/demo.sh --target embedded).
# Sourced by scripts/test.sh (set -euo pipefail is on); installs only what is missing.

boltgate_apt_install docker-compose shellcheck curl jq
echo "demo-tools: $(docker-compose version --short 2>/dev/null || echo 'docker-compose ?'), shellcheck $(shellcheck --version | awk '/^version:/ {print $2}')"
