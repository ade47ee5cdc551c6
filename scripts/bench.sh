#!/usr/bin/env bash
# Runs the load scenarios (storage requests per job vs a bare Durable orchestration, progress pipeline vs naive,
# sync routing vs a bare hub, async jobs vs a bare Durable orchestration, 1,000 connections) against a local stack
# the tool starts itself, and prints one table with each goal beside its figure.
# Usage: scripts/bench.sh [--quick] [--host local|azure] [--app-setting KEY=VALUE ...] [storage|progress|sync|async|connections|soak ...]
# soak (only when named): 15 minutes of steady async load, the local host killed with SIGKILL and restarted every
# 5 minutes; --minutes N and --restart-minutes M change both (e.g. a first try: soak --minutes 3 --restart-minutes 1).
# --host azure runs storage, sync and async through negotiate → SignalR Service emulator → the Functions app in the
# Functions host (AzurePathStack from tests/Serverless.Testing; needs ../shared/functions-host and ../shared/signalr-emulator);
# storage counts the app's storage requests, its storage through the counting proxy. --app-setting (repeatable) overrides
# an app setting for the run, e.g. a host.json value:
# --app-setting AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval=00:00:05
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/azurite ]; then
  npm ci --no-audit --no-fund
fi

dotnet build benchmarks/Serverless.LoadTest -c Release -v quiet -nologo
exec dotnet benchmarks/Serverless.LoadTest/bin/Release/net10.0/Serverless.LoadTest.dll "$@"
