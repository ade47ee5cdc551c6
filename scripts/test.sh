#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs every test suite; the last line is "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0; failed=0; skipped=0
log=$(mktemp -d)

fail_setup() { echo "$1"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

if [ ! -d node_modules/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || fail_setup "npm ci failed"
fi

# The Azure path runs the Functions app in the Functions host behind the SignalR Service emulator, both built from
# the shared sources beside the repository (cached after the first build) unless `func` is installed.
shared=../shared
if ! command -v func >/dev/null; then
  [ -x "$shared/functions-host/build.sh" ] || fail_setup "No Functions host: install Azure Functions Core Tools (func) or put the shared tools at $shared"
  "$shared/functions-host/build.sh" > "$log/functions-host.txt" 2>&1 || { tail -n 30 "$log/functions-host.txt"; fail_setup "building the Functions host failed"; }
fi
[ -x "$shared/signalr-emulator/build.sh" ] || fail_setup "No Azure SignalR Service emulator: expected $shared/signalr-emulator"
"$shared/signalr-emulator/build.sh" > "$log/signalr-emulator.txt" 2>&1 || { tail -n 30 "$log/signalr-emulator.txt"; fail_setup "building the SignalR Service emulator failed"; }

dotnet build Serverless.sln -c Release -warnaserror > "$log/build.txt" 2>&1
build_status=$?
grep -E " error | warning |Warn|Elapsed" "$log/build.txt" | sort -u
[ "$build_status" -eq 0 ] || fail_setup "dotnet build failed (see above)"

# .NET suites: one summary line per test assembly. A test that runs longer than the hang timeout gets its test
# host dumped and killed, so that assembly fails instead of the run hanging.
dotnet test Serverless.sln -c Release --no-build --blame-hang-timeout "${TEST_HANG_TIMEOUT:-10m}" 2>&1 | tee "$log/dotnet-test.txt"
dotnet_status=${PIPESTATUS[0]}
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -nE 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/p' "$log/dotnet-test.txt")
if [ "$dotnet_status" -ne 0 ] && ! grep -qE "Failed: +[1-9]" "$log/dotnet-test.txt"; then
  echo "dotnet test exited with $dotnet_status without a failed test: counting it as a failure"
  failed=$((failed + 1))
fi

# Further suites register here (each adds to passed/failed/skipped).
for suite in scripts/suites/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $suite"
  out="$log/$(basename "$suite").txt"
  # A suite that hangs is stopped (and counted as failed) after SUITE_TIMEOUT.
  timeout --kill-after=30s "${SUITE_TIMEOUT:-20m}" bash "$suite" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  [ "$status" -eq 124 ] && echo "$suite did not finish within ${SUITE_TIMEOUT:-20m}"
  read -r p f s < <(tail -n 1 "$out" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/p')
  if [ -z "${p:-}" ]; then p=0; f=1; s=0; echo "$suite printed no summary: counting it as a failure"; fi
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
  unset p f s
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
