# shellcheck shell=bash
# The console's browser tests (tests/BoltGate.Console.Tests): Debian's headless Chromium, which
# Microsoft.Playwright drives over CDP (no Playwright browser download), zbar-tools to decode the
# programming QR from a screenshot, and axe-core from the npm registry (tests/console, pinned in its
# package-lock.json), injected into every page. Sourced by scripts/test.sh (set -euo pipefail is on);
# safe to source again. It runs before node.sh (alphabetical), so it installs npm itself when missing.

boltgate_apt_install chromium zbar-tools fonts-dejavu-core
if ! command -v npm >/dev/null 2>&1; then
  boltgate_apt_install nodejs npm
fi
boltgate_console_dir=tests/console
if ! cmp -s "$boltgate_console_dir/package-lock.json" "$boltgate_console_dir/node_modules/.boltgate-lock.json"; then
  echo "browser.sh: npm ci in $boltgate_console_dir"
  npm ci --prefix "$boltgate_console_dir" --no-audit --no-fund --loglevel=error
  cp "$boltgate_console_dir/package-lock.json" "$boltgate_console_dir/node_modules/.boltgate-lock.json"
fi
export BOLTGATE_CHROMIUM="${BOLTGATE_CHROMIUM:-/usr/bin/chromium}"
echo "browser.sh: $("$BOLTGATE_CHROMIUM" --version 2>/dev/null | head -1), $(zbarimg --version 2>/dev/null | head -1 | sed 's/^/zbarimg /'), axe-core $(node -p 'require("./'"$boltgate_console_dir"'/node_modules/axe-core/package.json").version')"
