#!/usr/bin/env bash
# Installs the project's PowerShell toolchain inside the project (.tools/), idempotently:
#   .tools/pwsh/pwsh                      PowerShell 7.6.9 (dotnet global tool, from the NuGet feed)
#   .tools/modules/pester/<v>/tools/      Pester 6.2.0 (NuGet package), imported by path; VMMBACKUP_PESTER_VERSION
#                                         picks another (5.7.1 and 5.9.1 pass too)
# A second run with everything present only checks versions and returns in well under a second.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
pwsh_version="7.6.9"
pester_version="${VMMBACKUP_PESTER_VERSION:-6.2.0}"
mkdir -p "$tools"
start_ns=$(date +%s%N)

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
# Pester/run.ps1 imports exactly this version.
echo "$pester_version" > "$tools/modules/pester/.version"

# Debian packages the tests use: osslsigncode (Authenticode oracle), openssl (test PKI and TSA), chromium
# (renders the runbook), openssh-server (one sshd per simulated library server on 127.0.0.x, for the remoting
# tests; its own service is never started). Installed only when missing, so a warm run never touches apt.
missing=()
command -v osslsigncode >/dev/null 2>&1 || missing+=(osslsigncode)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); else sudo_cmd=(); fi
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  # policy-rc.d answers 101 so the package's postinst does not start the system sshd (the tests start their own).
  policy="/usr/sbin/policy-rc.d"
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod +x "$policy"
    made_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null || status=$?
  if [ "$made_policy" -eq 1 ]; then "${sudo_cmd[@]}" rm -f "$policy"; fi
  [ "$status" -eq 0 ] || exit "$status"
fi
"$tools/pwsh/pwsh" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' | sed 's/^/setup: pwsh reports /'
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
printf 'setup: done in %d.%01d s\n' $((elapsed_ms / 1000)) $(((elapsed_ms % 1000) / 100))
