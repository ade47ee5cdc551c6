#!/usr/bin/env bash
# Web suite: the dashboard in headless Chromium and the TypeScript client, against a real local host on
# Azurite, and the dashboard also against the Azure path (scripts/run-azure-local.sh: the Functions app in the
# Functions host, the SignalR Service emulator, Azurite), all on free ports. The last line is
# "N passed, N failed, N skipped" (node's skipped and todo tests).
# Settings: CHROMIUM (browser binary, default: chromium on PATH), SKIP_BUILD=1 (use the existing Release build).
set -uo pipefail
cd "$(dirname "$0")/../.."

log=$(mktemp -d)
host_pid=""
azure_pid=""

fail_setup() { echo "web suite: $1"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

cleanup() {
  if [ -n "$azure_pid" ] && kill -0 "$azure_pid" 2>/dev/null; then
    # The script stops its own children in order (the app before storage); its process group is the fallback.
    kill -TERM "$azure_pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$azure_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$azure_pid" 2>/dev/null
  fi
  if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then
    # The host runs in its own process group (setsid): stop it and the Azurite it started, nothing else.
    kill -TERM -- "-$host_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$host_pid" 2>/dev/null
  fi
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

read -r http_port blob_port queue_port table_port app_port signalr_port azure_blob_port azure_queue_port azure_table_port < <(node -e '
  const net = require("net");
  Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8].map(() => new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => resolve(port)); });
  }))).then((ports) => console.log(ports.join(" ")));')
base="http://127.0.0.1:$http_port"
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"

# Run from the output folder (its appsettings.json); the host finds Azurite in the repository's node_modules
# above it and starts it on the free ports.
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

# The Azure path, allowing the dashboard page served by the local host to call the app (CORS).
azure="http://127.0.0.1:$app_port"
APP_PORT=$app_port SIGNALR_PORT=$signalr_port BLOB_PORT=$azure_blob_port QUEUE_PORT=$azure_queue_port TABLE_PORT=$azure_table_port \
  CORS_ORIGINS="$base" setsid bash scripts/run-azure-local.sh > "$log/azure.txt" 2>&1 &
azure_pid=$!
ready=0
for _ in $(seq 1 600); do
  kill -0 "$azure_pid" 2>/dev/null || break
  if grep -q "The Azure path is up" "$log/azure.txt"; then ready=1; break; fi
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  tail -n 40 "$log/azure.txt"
  fail_setup "the Azure path (scripts/run-azure-local.sh) did not come up at $azure"
fi
echo "Azure path at $azure (log: $log/azure.txt)"

SERVERLESS_URL="$base" SERVERLESS_AZURE_URL="$azure" CHROMIUM="$CHROMIUM" \
  node --test --test-reporter=tap tests/web/*.test.mjs clients/typescript/dist/test/*.test.js > "$log/node-test.txt" 2>&1
node_status=$?
grep -E "^(not )?ok |^# (tests|pass|fail|skipped|todo)|^    (not )?ok " "$log/node-test.txt"
passed=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log/node-test.txt" | tail -n 1)
failed=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log/node-test.txt" | tail -n 1)
skipped=$(sed -nE 's/^# skipped ([0-9]+)$/\1/p' "$log/node-test.txt" | tail -n 1)
todo=$(sed -nE 's/^# todo ([0-9]+)$/\1/p' "$log/node-test.txt" | tail -n 1)
skipped=$(( ${skipped:-0} + ${todo:-0} ))
if [ -z "$passed" ] || [ -z "$failed" ]; then
  cat "$log/node-test.txt"
  fail_setup "node --test printed no summary"
fi
if [ "$failed" -gt 0 ]; then
  echo "---- failures (full output: $log/node-test.txt; host log: $log/host.txt)"
  grep -B2 -A30 "^not ok\|^    not ok" "$log/node-test.txt" | head -n 120
fi
if [ "$node_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "node --test exited with $node_status"; fi
echo "$passed passed, $failed failed, $skipped skipped"
