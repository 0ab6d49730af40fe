# shellcheck shell=bash
# Bitcoin Core's libsecp256k1 (Debian's libsecp256k1-1, with the recovery module): BOLT11 decoding
# recovers payee keys through it several times faster than the managed fallback. Sourced by
# scripts/test.sh; tests/BoltGate.Core.Tests asserts the native path is the one in use.
boltgate_apt_install libsecp256k1-1
echo "secp256k1.sh: $(find /usr/lib -name libsecp256k1.so.1 2>/dev/null | head -n 1)"
