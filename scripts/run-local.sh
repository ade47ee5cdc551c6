#!/usr/bin/env bash
# Runs Serverless locally: installs Azurite (npm) if needed, then starts the local host, which starts
# Azurite itself when nothing answers on the storage ports. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/azurite ]; then
  npm ci --no-audit --no-fund
fi

exec dotnet run --project functions/Serverless.LocalHost -c Release -- "$@"
