#!/usr/bin/env bash
# Runs the Azure path on this machine: Azurite, the Azure SignalR Service emulator (serverless mode) and the
# Functions app in the Azure Functions host (`func` when installed, else the host built from ../shared/functions-host).
# Clients connect as they do in Azure: POST /api/negotiate on the app, then the service URL it returns.
# Stop with Ctrl+C. Ports: app 7071, SignalR emulator 8888, Azurite 10000-10002 (override with the variables below).
# CORS_ORIGINS: comma-separated origins whose pages may call the app from a browser (e.g. the dashboard served
# elsewhere: CORS_ORIGINS=http://127.0.0.1:5080); default none.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared"
APP_PORT=${APP_PORT:-7071}
SIGNALR_PORT=${SIGNALR_PORT:-8888}
BLOB_PORT=${BLOB_PORT:-10000}; QUEUE_PORT=${QUEUE_PORT:-10001}; TABLE_PORT=${TABLE_PORT:-10002}
CORS_ORIGINS=${CORS_ORIGINS:-}

if [ ! -d node_modules/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if command -v func >/dev/null; then
  host_kind="func"
else
  [ -x "$shared/functions-host/run.sh" ] || { echo "No Azure Functions host: install Azure Functions Core Tools (func), or put the shared tools at $shared." >&2; exit 1; }
  host_kind="shared"
  "$shared/functions-host/build.sh" >/dev/null
fi
[ -x "$shared/signalr-emulator/run.sh" ] || { echo "No Azure SignalR Service emulator: expected $shared/signalr-emulator." >&2; exit 1; }
"$shared/signalr-emulator/build.sh" >/dev/null

echo "Building the Functions app..."
dotnet build functions/Serverless.Functions -c Release -v quiet -nologo >/dev/null
app="$root/functions/Serverless.Functions/bin/Release/net10.0"

state=$(mktemp -d)
pids=()
cleanup() {
  # The app first: stopped after storage, its shutdown would wait on it.
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
  rm -rf "$state"
}
trap cleanup EXIT INT TERM

# Known keys (this folder only): the SignalR upstream URL carries the function key, as it does in Azure.
function_key=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
mkdir -p "$state/secrets"
cat > "$state/secrets/host.json" <<JSON
{"masterKey":{"name":"master","value":"$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)","encrypted":false},
 "functionKeys":[{"name":"default","value":"$function_key","encrypted":false}],"systemKeys":[],
 "hostName":"127.0.0.1:$APP_PORT","instanceId":"$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')","source":"runtime","decryptionKeyId":""}
JSON

storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE_PORT/devstoreaccount1;"
if (exec 3<>"/dev/tcp/127.0.0.1/$TABLE_PORT") 2>/dev/null; then
  echo "Storage already answers on port $TABLE_PORT: using it."
else
  node node_modules/azurite/dist/src/azurite.js --silent --disableTelemetry --skipApiVersionCheck --loose --inMemoryPersistence \
    --blobPort "$BLOB_PORT" --queuePort "$QUEUE_PORT" --tablePort "$TABLE_PORT" > "$state/azurite.log" 2>&1 &
  pids+=($!)
fi

# The emulator's access key is fixed in its source: public, not a secret.
signalr="Endpoint=http://localhost;Port=$SIGNALR_PORT;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH;Version=1.0;"
"$shared/signalr-emulator/run.sh" "http://127.0.0.1:$APP_PORT/api/upstream/{hub}/{category}/{event}?code=$function_key" "$SIGNALR_PORT" > "$state/signalr.log" 2>&1 &
pids+=($!)

export AzureWebJobsStorage="$storage" Storage__ConnectionString="$storage" SignalR__ConnectionString="$signalr"
export Auth__EnableDevelopmentTokens=true FUNCTIONS_SECRETS_PATH="$state/secrets" AzureWebJobsSecretStorageType=files
cors_args=()
if [ -n "$CORS_ORIGINS" ]; then
  # The host answers CORS itself when asked to (as on Linux Consumption); func takes the same list as --cors.
  cors_args=(--cors "$CORS_ORIGINS")
  export FUNCTIONS_ENABLE_CORS_CONFIGURATION=1
  CORS_ALLOWED_ORIGINS=$(printf '%s' "$CORS_ORIGINS" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(s.split(",").map(o=>o.trim()).filter(Boolean))))')
  export CORS_ALLOWED_ORIGINS
fi
if [ "$host_kind" = func ]; then
  (cd "$app" && exec func host start --port "$APP_PORT" "${cors_args[@]}") &
else
  "$shared/functions-host/run.sh" "$app" "$APP_PORT" "$root/local.settings.sample.json" &
fi
pids+=($!)

for _ in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT/api/jobs" || true)
  [ "$code" = 401 ] && break
  sleep 1
done
[ "$code" = 401 ] || { echo "The Functions app did not start (last answer: $code)." >&2; exit 1; }

cat <<TXT

The Azure path is up:
  app (Functions host)      http://127.0.0.1:$APP_PORT/api     health: http://127.0.0.1:$APP_PORT/api/health
  Azure SignalR emulator    http://localhost:$SIGNALR_PORT        (upstream → the app's /api/upstream, with its function key)
  storage (Azurite)         blob $BLOB_PORT, queue $QUEUE_PORT, table $TABLE_PORT

Operators' dashboard: open the local host's dashboard page (or the files from anywhere, with CORS_ORIGINS set to
their origin) with ?api=http://127.0.0.1:$APP_PORT and an operator token (user=ops&role=operator below).
Connect as in Azure: give a SignalR client http://127.0.0.1:$APP_PORT/api as the hub URL and an app token; it
negotiates (POST /api/negotiate) and connects to the emulator. A development token (on here, never in Azure):
  TOKEN=\$(curl -s -X POST "http://127.0.0.1:$APP_PORT/api/dev/token?user=alice" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  dotnet run --project functions/Serverless.Cli -- --url http://127.0.0.1:$APP_PORT submit generate_report --watch
Logs: $state (Ctrl+C stops everything).
TXT
wait "${pids[-1]}"
