#!/usr/bin/env bash
# Runs the Pester suite under the project's pwsh (.tools/, installed by `npm run setup`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pwsh="$root/.tools/pwsh/pwsh"
[ -x "$pwsh" ] || { echo "pwsh is not installed: run npm run setup" >&2; exit 2; }
exec "$pwsh" -NoLogo -NoProfile -NonInteractive -File "$root/Pester/run.ps1" "$@"
