#!/usr/bin/env bash
# Validates the Bicep templates offline: `bicep build` and `bicep lint` must finish with no warning and no error.
# The Bicep CLI comes from the Azure.Bicep.CommandLine.linux-x64 NuGet package (restored, never downloaded).
set -euo pipefail
cd "$(dirname "$0")"

dotnet restore tools/bicep-cli.csproj --verbosity quiet >/dev/null
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep="${packages%/}/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
chmod +x "$bicep"
"$bicep" --version

status=0
for step in build lint; do
  if [ "$step" = build ]; then
    out=$("$bicep" build main.bicep --stdout 2>&1 >/dev/null) || status=1
  else
    out=$("$bicep" lint main.bicep 2>&1) || status=1
  fi
  if [ -n "$out" ]; then
    echo "bicep $step reported:"; echo "$out"; status=1
  else
    echo "bicep $step: no warnings, no errors"
  fi
done
exit $status
