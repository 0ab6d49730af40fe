#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers (tests/BoltGate.ParserFuzz) with SharpFuzz + AFL++:
#   scripts/fuzz-parsers.sh                          every target, 5 minutes each
#   scripts/fuzz-parsers.sh --minutes 2 --targets bolt11,lnurl
#   scripts/fuzz-parsers.sh --keep-findings          also copy crash/hang inputs into the corpus
# Installs afl++ (Debian) and the sharpfuzz tool (NuGet SharpFuzz.CommandLine) when missing, publishes
# the fuzz project, instruments BoltGate.Core.dll and BoltGate.Lightning.dll in the published copy (the
# build output is left alone), runs afl-fuzz on each target in turn seeded from corpus/<target>/, and
# prints per target: execs, paths (queue entries), edges, crashes, hangs. Exit 1 when any target has a
# crash or a hang. Findings stay under --out (default /tmp/boltgate-parserfuzz/<time>/findings/<target>);
# replay one (uninstrumented build): dotnet run --project tests/BoltGate.ParserFuzz -c Release -- <target> <file>
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

sharpfuzz_version=2.3.0
minutes=5
targets=""
keep=0
out="/tmp/boltgate-parserfuzz/$(date -u +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --keep-findings) keep=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$minutes" in
  ''|*[!0-9.]*) echo "--minutes takes a number" >&2; exit 2 ;;
esac
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); print (s < 10 ? 10 : s) }')

# shellcheck source=lib/apt.sh
source scripts/lib/apt.sh
command -v afl-fuzz >/dev/null || boltgate_apt_install afl++

tools="$HOME/.dotnet/tools"
export PATH="$tools:$PATH"
if ! command -v sharpfuzz >/dev/null; then
  echo "dotnet tool: installing SharpFuzz.CommandLine $sharpfuzz_version"
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version "$sharpfuzz_version" >/dev/null
fi

echo "== publishing tests/BoltGate.ParserFuzz (Release) to $out/bin"
mkdir -p "$out"
dotnet publish tests/BoltGate.ParserFuzz/BoltGate.ParserFuzz.csproj -c Release -o "$out/bin" >"$out/publish.log" 2>&1 \
  || { tail -20 "$out/publish.log"; exit 1; }
for dll in BoltGate.Core.dll BoltGate.Lightning.dll; do
  echo "== instrumenting $dll"
  sharpfuzz "$out/bin/$dll" >"$out/instrument-$dll.log"
done
fuzz=("$(command -v dotnet)" "$out/bin/BoltGate.ParserFuzz.dll")

if [ -z "$targets" ]; then
  targets=$("${fuzz[@]}" --list | awk '{print $1}' | paste -sd, -)
fi

# dotnet itself carries no AFL instrumentation (SharpFuzz instruments the assemblies), the machine's
# cores are shared (no pinning, no CPU frequency check), and the fork server needs time to start .NET.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_TMPDIR="$out/tmp"
mkdir -p "$AFL_TMPDIR" "$out/findings"

stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$2"; }

summary="$out/summary.txt"
printf '%-18s %8s %12s %7s %14s %8s %6s\n' target seconds execs paths edges crashes hangs | tee "$summary"
bad=0
IFS=, read -r -a list <<<"$targets"
for t in "${list[@]}"; do
  corpus="tests/BoltGate.ParserFuzz/corpus/$t"
  [ -d "$corpus" ] || { echo "no corpus for target '$t' ($corpus)" >&2; exit 2; }
  findings="$out/findings/$t"
  echo "== fuzzing $t for ${seconds}s (log: $out/afl-$t.log)" >&2
  # -t: a hang is an input that takes over 2 s (a warm parse takes microseconds); -G: inputs past
  # twice the parsers' 8192-character bound only measure the bound.
  afl-fuzz -i "$corpus" -o "$findings" -V "$seconds" -t 2000 -m none -G 16384 -- "${fuzz[@]}" "$t" >"$out/afl-$t.log" 2>&1 \
    || { echo "afl-fuzz failed on $t:" >&2; tail -30 "$out/afl-$t.log" >&2; exit 1; }
  s="$findings/default/fuzzer_stats"
  crashes=$(stat saved_crashes "$s")
  hangs=$(stat saved_hangs "$s")
  printf '%-18s %8s %12s %7s %14s %8s %6s\n' "$t" "$(stat run_time "$s")" "$(stat execs_done "$s")" "$(stat corpus_count "$s")" \
    "$(stat edges_found "$s")/$(stat total_edges "$s")" "$crashes" "$hangs" | tee -a "$summary"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    bad=1
    shown=0
    for f in "$findings"/default/crashes/id:* "$findings"/default/hangs/id:*; do
      [ -e "$f" ] || continue
      kind=$(basename "$(dirname "$f")")
      shown=$((shown + 1))
      [ "$shown" -gt 3 ] || echo "   $kind: $f" >&2
      if [ "$keep" -eq 1 ]; then
        cp "$f" "$corpus/finding-$kind-$(sha256sum "$f" | cut -c1-12)"
      fi
    done
    [ "$shown" -le 3 ] || echo "   ... and $((shown - 3)) more under $findings/default" >&2
  fi
done
echo "summary: $summary"
exit "$bad"
