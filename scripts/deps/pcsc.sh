# shellcheck shell=bash
# Brings up the real PC/SC stack for the NFC tests: Debian's pcscd (pcsc-lite) with the
# vsmartcard-vpcd reader driver. vpcd listens on 127.0.0.1:35963 for a virtual card (the tests'
# VirtualNtag424 connects there) and shows up in PC/SC as the reader "Virtual PCD 00 00".
# Sourced by scripts/test.sh (set -euo pipefail is on); safe to source again: installs only what
# is missing and starts pcscd only when it is not running.

boltgate_apt_install pcscd vsmartcard-vpcd libpcsclite1

# pcscd's socket answers only while the daemon runs; a stale socket file alone is not enough.
# A killed daemon can linger as a zombie: only a live (not Z) pcscd counts.
pcsc_running() {
  local pid
  [ -S /run/pcscd/pcscd.comm ] || return 1
  for pid in $(pgrep -x pcscd 2>/dev/null); do
    [ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" = Z ] || return 0
  done
  return 1
}
if ! pcsc_running; then
  echo "pcsc: starting pcscd"
  mkdir -p /run/pcscd
  rm -f /run/pcscd/pcscd.comm /run/pcscd/pcscd.pid
  # No systemd here: run it in the foreground, detached, with its log kept for debugging. No
  # --auto-exit: the daemon must outlive idle gaps between test projects.
  nohup pcscd --foreground --error > /tmp/boltgate-pcscd.log 2>&1 &
  for _ in $(seq 1 50); do
    pcsc_running && break
    sleep 0.1
  done
  if ! pcsc_running; then
    echo "pcsc: pcscd did not start; its log:" >&2
    cat /tmp/boltgate-pcscd.log >&2 || true
    # shellcheck disable=SC2317 # exit when run, return when sourced
    return 1 2>/dev/null || exit 1
  fi
fi

# The vpcd driver opens its TCP port when pcscd loads it (from /etc/reader.conf.d/vpcd).
# Probe the listening socket through /proc, not by connecting: a connection would look like a card.
vpcd_listening() {
  grep -qiE '^ *[0-9]+: [0-9A-F]{8}:8C7B [0-9A-F]{8}:0000 0A' /proc/net/tcp
}
for _ in $(seq 1 50); do
  vpcd_listening && break
  sleep 0.1
done
if ! vpcd_listening; then
  echo "pcsc: pcscd runs but the vpcd driver is not listening on port 35963; pcscd log:" >&2
  cat /tmp/boltgate-pcscd.log >&2 || true
  # shellcheck disable=SC2317 # exit when run, return when sourced
  return 1 2>/dev/null || exit 1
fi

export BOLTGATE_PCSC=1
export BOLTGATE_VPCD_HOST=127.0.0.1
export BOLTGATE_VPCD_PORT=35963
echo "pcsc: pcscd running, vpcd on ${BOLTGATE_VPCD_HOST}:${BOLTGATE_VPCD_PORT}"
