# shellcheck shell=bash
# apt helpers for the scripts/deps/*.sh set-up steps (sourced). `apt-get update` runs at most once
# per test run, however many set-up steps need packages.

# Prints the named Debian packages that are not installed.
boltgate_missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

# Installs the named Debian packages that are missing; says which.
boltgate_apt_install() {
  local missing
  mapfile -t missing < <(boltgate_missing_packages "$@")
  [ "${#missing[@]}" -gt 0 ] || return 0
  echo "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${BOLTGATE_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export BOLTGATE_APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
