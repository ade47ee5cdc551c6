#!/usr/bin/env bash
# Runs Serverless locally: installs the npm packages (Azurite, the SignalR browser client) if needed, then
# starts the local host, which starts Azurite itself when nothing answers on the storage ports. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

# Azurite, and the SignalR browser client the build copies into the dashboard.
if [ ! -d node_modules/azurite ] || [ ! -d node_modules/@microsoft/signalr ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Development: appsettings.Development.json turns on development tokens (POST /api/dev/token), which the host
# issues only in Development and while it listens on loopback only.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
exec dotnet run --project functions/Serverless.LocalHost -c Release -- "$@"
