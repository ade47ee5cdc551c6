#!/usr/bin/env bash
# Bicep suite: infra/main.bicep and its parameters compile, and main.bicep and every module lint clean
# (infra/bicepconfig.json). Any diagnostic, warning included, fails its check. The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0; failed=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The CLI comes from NuGet; without it nothing here can be judged, which is a failure, not a pass.
bicep=$(infra/tools/bicep.sh --path) || { echo "bicep suite: the Bicep CLI could not be restored"; echo "0 passed, 1 failed"; exit 1; }

check() {
  local name=$1; shift
  local log="$out/log.txt"
  "$@" > "$log" 2>&1
  local status=$?
  if [ "$status" -eq 0 ] && [ ! -s "$log" ]; then
    passed=$((passed + 1)); echo "PASS $name"
  else
    failed=$((failed + 1)); echo "FAIL $name (exit $status)"; sed 's/^/  /' "$log"
  fi
}

check "build infra/main.bicep" "$bicep" build infra/main.bicep --outdir "$out"
check "build-params infra/main.bicepparam" "$bicep" build-params infra/main.bicepparam --outfile "$out/main.parameters.json"
for file in infra/main.bicep infra/modules/*.bicep; do
  check "lint $file" "$bicep" lint "$file"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
