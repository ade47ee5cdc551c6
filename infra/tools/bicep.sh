#!/usr/bin/env bash
# The Bicep CLI, restored from NuGet (BicepCli.csproj) so no separate install is needed.
# bicep.sh --path   prints the binary's path; bicep.sh ARGS...   runs bicep with ARGS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=0.49.2
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bin="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"

if [ ! -f "$bin" ]; then
  if ! log=$(dotnet restore "$here/BicepCli.csproj" 2>&1); then
    echo "$log" >&2
    echo "bicep.sh: dotnet restore of $here/BicepCli.csproj failed" >&2
    exit 2
  fi
fi
[ -f "$bin" ] || { echo "bicep.sh: $bin not found after restore" >&2; exit 2; }
# NuGet extracts without the owner's execute bit on some systems.
[ -x "$bin" ] || chmod +x "$bin"

if [ "${1:-}" = "--path" ]; then
  echo "$bin"
else
  exec "$bin" "$@"
fi
