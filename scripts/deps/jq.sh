# shellcheck shell=bash
# curl and jq: the README's quick start uses them, and tests/BoltGate.Interop.Tests runs that quick
# start as written. Sourced by scripts/test.sh; installs only what is missing.

boltgate_apt_install curl jq
