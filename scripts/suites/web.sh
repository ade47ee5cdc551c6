#!/usr/bin/env bash
# Web suite: the dashboard in headless Chromium and the TypeScript client against a real local host on Azurite,
# and both again on the Azure path (scripts/run-azure-local.sh: Azurite, the SignalR Service emulator, the
# Functions app in the Functions host), connecting through negotiate: the dashboard page served by the local host
# with ?api= pointing at the app (CORS), the TypeScript client with useNegotiate; the plain-WebSocket examples
# (examples/: the page in Chromium, the Node script) against both. Everything on reserved ports.
# The last line is "N passed, N failed, N skipped" over both runs (node's skipped and todo tests count as skipped).
# Settings: CHROMIUM (browser binary, default: chromium on PATH), SKIP_BUILD=1 (use the existing Release build).
set -uo pipefail
cd "$(dirname "$0")/../.."

log=$(mktemp -d)
host_pid=""
azure_pid=""
passed=0; failed=0; skipped=0

fail_setup() { echo "web suite: $1"; echo "$passed passed, $((failed + 1)) failed, $skipped skipped"; exit 1; }

# Stops a process group started with setsid: TERM to its leader first (scripts clean up after themselves), then
# KILL to whatever is left of the group after the grace period.
stop_group() {
  local pid=$1 grace=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 $((grace * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null
}

stop_local_host() {
  if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then
    # The host runs in its own process group (setsid): stop it and the Azurite it started, nothing else.
    kill -TERM -- "-$host_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$host_pid" 2>/dev/null
  fi
}

cleanup() {
  stop_local_host
  # The script stops the app, the emulator and Azurite in order on TERM; KILL takes what is left of its group.
  stop_group "$azure_pid" 30
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A missing browser or package is a failure, never a silent pass.
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] || fail_setup "Chromium not found (apt-get install chromium, or set CHROMIUM)"
for package in @microsoft/signalr playwright-core typescript azurite; do
  [ -d "node_modules/$package" ] || fail_setup "node_modules/$package is missing: run 'npm ci' at the repository root"
done

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build functions/Serverless.LocalHost -c Release -warnaserror > "$log/build.txt" 2>&1 \
    || { tail -n 30 "$log/build.txt"; fail_setup "dotnet build of the local host failed"; }
fi
dll=functions/Serverless.LocalHost/bin/Release/net10.0/Serverless.LocalHost.dll
[ -f "$dll" ] || fail_setup "$dll not found: build the solution in Release first"
[ -f functions/Serverless.LocalHost/bin/Release/net10.0/wwwroot/lib/signalr/signalr.min.js ] \
  || fail_setup "the build did not copy the SignalR browser client into wwwroot (run 'npm ci', then build again)"

node_modules/.bin/tsc -p clients/typescript > "$log/tsc.txt" 2>&1 || { cat "$log/tsc.txt"; fail_setup "tsc failed for clients/typescript"; }

# Reserves N ports into the array `ports`, as tests/Serverless.Testing/FreePort.cs does: below the OS's ephemeral
# range (so no bind(0) or outgoing connection is given one while a process starts or restarts on it), nothing
# listening, each held by a lock on a file in the shared folder until this script exits, so no other test run takes it.
reserve_ports() {
  local wanted=$1 ephemeral dir port fd
  read -r ephemeral _ < /proc/sys/net/ipv4/ip_local_port_range
  dir="${TMPDIR:-/tmp}"; dir="${dir%/}/serverless-test-ports"
  mkdir -p "$dir"
  ports=()
  while [ "${#ports[@]}" -lt "$wanted" ]; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % (ephemeral - 20000)))
    exec {fd}<>"$dir/$port"
    if flock -n "$fd" && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      ports+=("$port")
    else
      exec {fd}>&-
    fi
  done
}

# Runs node's test runner on files with the given environment (NAME=VALUE words before the files, then "--") and adds
# its counts to the totals. Usage: run_node_tests LABEL [NAME=VALUE...] -- FILE...
run_node_tests() {
  local label=$1; shift
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
  local out="$log/node-test-$label.txt"
  echo "-- $label"
  env "${env[@]}" node --test --test-reporter=tap "$@" > "$out" 2>&1
  local status=$?
  grep -E "^(not )?ok |^# (tests|pass|fail|skipped|todo)|^    (not )?ok " "$out"
  local p f s t
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$out" | tail -n 1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$out" | tail -n 1)
  s=$(sed -nE 's/^# skipped ([0-9]+)$/\1/p' "$out" | tail -n 1)
  t=$(sed -nE 's/^# todo ([0-9]+)$/\1/p' "$out" | tail -n 1)
  if [ -z "$p" ] || [ -z "$f" ]; then
    cat "$out"
    echo "$label: node --test printed no summary"
    p=0; f=1
  fi
  if [ "$f" -gt 0 ]; then
    echo "---- $label failures (full output: $out; logs: $log)"
    grep -B2 -A30 "^not ok\|^    not ok" "$out" | head -n 120
  fi
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$label: node --test exited with $status"; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0} + ${t:-0}))
}

# Starts the Azure path (scripts/run-azure-local.sh) on the ports picked below in its own process group, letting
# pages from $base call it (CORS), and sets azure_base to the app's URL once the script says it is up. Returns
# non-zero (with the script's output) when it does not come up.
start_azure_path() {
  APP_PORT=$app_port SIGNALR_PORT=$signalr_port BLOB_PORT=$azure_blob_port QUEUE_PORT=$azure_queue_port TABLE_PORT=$azure_table_port \
    CORS_ORIGINS="$base" setsid bash scripts/run-azure-local.sh > "$log/azure-path.txt" 2>&1 &
  azure_pid=$!
  for _ in $(seq 1 600); do
    grep -q "The Azure path is up" "$log/azure-path.txt" && { azure_base="http://127.0.0.1:$app_port"; echo "Azure path at $azure_base (log: $log/azure-path.txt)"; return 0; }
    kill -0 "$azure_pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 40 "$log/azure-path.txt"
  return 1
}

reserve_ports 9
read -r http_port blob_port queue_port table_port app_port signalr_port azure_blob_port azure_queue_port azure_table_port <<< "${ports[*]}"
base="http://127.0.0.1:$http_port"
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"

# Run from the output folder (its appsettings.json); the host finds Azurite in the repository's node_modules
# above it and starts it on the free ports.
# The dashboard page may call the Azure path's app and SignalR Service emulator (its Content-Security-Policy).
(cd "$(dirname "$dll")" && ASPNETCORE_ENVIRONMENT=Development Urls="$base" Storage__ConnectionString="$storage" Auth__EnableDevelopmentTokens=true \
  Dashboard__ConnectOrigins__0="http://127.0.0.1:$app_port" Dashboard__ConnectOrigins__1="http://localhost:$signalr_port" \
  Azurite__AutoStart=true exec setsid dotnet "$(basename "$dll")") > "$log/host.txt" 2>&1 &
host_pid=$!

ready=0
for _ in $(seq 1 300); do
  kill -0 "$host_pid" 2>/dev/null || break
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/health")" = 200 ]; then ready=1; break; fi
  sleep 0.3
done
if [ "$ready" != 1 ]; then
  tail -n 40 "$log/host.txt"
  fail_setup "the local host did not become healthy at $base/api/health"
fi
echo "local host at $base (log: $log/host.txt)"

start_azure_path || fail_setup "the Azure path (scripts/run-azure-local.sh) did not come up"

# The dashboard and the WebSocket examples against both hosts, the TypeScript client against the local host.
run_node_tests "local host" SERVERLESS_URL="$base" SERVERLESS_AZURE_URL="$azure_base" CHROMIUM="$CHROMIUM" -- tests/web/*.test.mjs clients/typescript/dist/test/*.test.js
stop_local_host

# The TypeScript client on the Azure path: POST /api/negotiate on the app, then the SignalR Service emulator.
run_node_tests "Azure path" SERVERLESS_URL="$azure_base" SERVERLESS_NEGOTIATE=1 -- clients/typescript/dist/test/*.test.js

echo "$passed passed, $failed failed, $skipped skipped"
