#!/usr/bin/env bash
# Runs every BoltGate test. It installs and starts what the tests need first (each
# scripts/deps/*.sh brings up one real part: PostgreSQL, pcscd + vpcd, ...), then builds with
# warnings as errors and runs the whole solution. A skipped test counts as a failure here: a
# test whose real part is missing must fail loudly, never pass by skipping.
# Arguments go to `dotnet test`: `./scripts/test.sh --filter Category=Unit` is the quick loop (every
# test class has a Category trait: Unit, Contract, Process or Hardware; see tests/BoltGate.Testing).
# A project with no test in the filter prints no summary, so it counts neither as run nor skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2034 # for the sourced scripts/deps/*.sh
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck source=lib/apt.sh
source scripts/lib/apt.sh
for dep in scripts/deps/*.sh; do
  [ -e "$dep" ] || continue
  echo "== setting up $(basename "$dep" .sh)"
  # shellcheck disable=SC1090
  source "$dep"
done

echo "== building (Release; Directory.Build.props makes warnings errors)"
dotnet build BoltGate.sln -c Release -nologo -v quiet

echo "== testing"
log=$(mktemp)
set +e
dotnet test BoltGate.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The bench must not rot: its seconds-long smoke runs the same script, servers, peer and loader (no timing asserted).
echo "== bench smoke (scripts/bench.sh --smoke)"
mkdir -p bench/work
bench_failed=0
if ! ./scripts/bench.sh --smoke > bench/work/smoke.log 2>&1; then
  tail -n 40 bench/work/smoke.log
  echo "error: scripts/bench.sh --smoke failed (log: bench/work/smoke.log)" >&2
  bench_failed=1
fi

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12").
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i+1))
      if ($i == "Failed:") f += $(i+1)
      if ($i == "Passed:") p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { print p+0, f+0, s+0 }' "$log")
rm -f "$log"
failed=$((failed + bench_failed))
echo
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
if [ "$skipped" -ne 0 ]; then
  echo "error: ${skipped} test(s) skipped; a missing real part must fail, not skip" >&2
  exit 1
fi
if [ "$passed" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
