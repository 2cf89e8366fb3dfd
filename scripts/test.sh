#!/usr/bin/env bash
# The project's whole test run (README's test command, `npm test`): static checks, the generated-file drift
# check, jest (TypeScript) and Pester (PowerShell). Fails when any part fails; ends with one summary line.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
status=0
step() { echo; echo "== $*"; }

step "typecheck (tsc --noEmit)"
npx tsc --noEmit -p tsconfig.json || status=1

step "lint (eslint)"
npx eslint . || status=1

step "generated/ is up to date"
if node bin/vmm-backup.js generate >/dev/null; then
  drift="$(git status --porcelain --untracked-files=all -- generated)"
  if [ -n "$drift" ]; then
    echo "generated/ differs from a fresh generation (run: npm run generate, then commit):"
    echo "$drift" | head -20
    git --no-pager diff --stat -- generated | tail -5
    status=1
  else
    echo "generated/ matches a fresh generation"
  fi
else
  echo "generate failed"; status=1
fi

step "jest"
jest_json="$(mktemp)"
npx jest --json --outputFile="$jest_json" "$@" || status=1

step "pester"
pester_json="$(mktemp)"
bash scripts/pester.sh -ResultJson "$pester_json" || status=1

read -r jp jf js < <(node -e '
  const fs = require("fs");
  let p = 0, f = 0, s = 0;
  for (const file of process.argv.slice(1)) {
    try { const r = JSON.parse(fs.readFileSync(file, "utf8"));
      p += r.numPassedTests ?? r.passed ?? 0; f += (r.numFailedTests ?? r.failed ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
      s += (r.numPendingTests ?? r.skipped ?? 0);
    } catch { f += 1; }
  }
  console.log(p, f, s);' "$jest_json" "$pester_json")
rm -f "$jest_json" "$pester_json"
echo
[ "$status" -ne 0 ] && [ "$jf" -eq 0 ] && jf=1
echo "tests: $jp passed, $jf failed, $js skipped"
exit "$status"
