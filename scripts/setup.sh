#!/usr/bin/env bash
# Installs the project's PowerShell toolchain inside the project (.tools/), idempotently:
#   .tools/pwsh/pwsh                      PowerShell 7.6.9 (dotnet global tool, from the NuGet feed)
#   .tools/modules/pester/<v>/tools/      Pester (NuGet package), imported by path
# A second run with everything present only checks versions and returns in well under a second.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
pwsh_version="7.6.9"
pester_version="${VMMBACKUP_PESTER_VERSION:-5.7.1}"
mkdir -p "$tools"
start=$(date +%s.%N)

if [ -x "$tools/pwsh/pwsh" ] && [ -f "$tools/pwsh/.version" ] && [ "$(cat "$tools/pwsh/.version")" = "$pwsh_version" ]; then
  echo "setup: pwsh $pwsh_version present"
else
  echo "setup: installing PowerShell $pwsh_version (dotnet tool)"
  rm -rf "$tools/pwsh"
  dotnet tool install PowerShell --version "$pwsh_version" --tool-path "$tools/pwsh" >/dev/null
  echo "$pwsh_version" > "$tools/pwsh/.version"
fi

pester_psd1="$tools/modules/pester/$pester_version/tools/Pester.psd1"
if [ -f "$pester_psd1" ]; then
  echo "setup: Pester $pester_version present"
else
  echo "setup: downloading Pester $pester_version (NuGet PackageDownload)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat > "$work/download.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
XML
  dotnet restore "$work/download.csproj" --packages "$tools/modules" >/dev/null
  test -f "$pester_psd1" || { echo "setup: Pester module not found at $pester_psd1" >&2; exit 1; }
fi

osslsigncode --version >/dev/null 2>&1 || {
  echo "setup: installing osslsigncode (Debian package)"
  apt-get update -qq >/dev/null && apt-get install -y -qq osslsigncode >/dev/null
}
"$tools/pwsh/pwsh" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' | sed 's/^/setup: pwsh reports /'
end=$(date +%s.%N)
printf 'setup: done in %.1f s\n' "$(echo "$end - $start" | bc)"
