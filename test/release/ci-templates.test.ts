/**
 * The CI templates: both parse as YAML, run npm ci → npm run setup → npm test → npm run sign → npm run pack
 * in that order, hand the signing secrets to steps only through `env:` (never inside a script body), never
 * print them, keep the PFX outside the workspace and delete it, and upload the package with SHA256SUMS.
 * The same checks run on broken copies to show they catch each mistake.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';

const dir = path.resolve(__dirname, '../../ci-templates');
const GITHUB = path.join(dir, 'github/vmm-backup.yml');
const AZURE = path.join(dir, 'azure-pipelines.yml');
const ORDER = ['npm ci', 'npm run setup', 'npm test', 'npm run sign', 'npm run pack'];

interface Step {
  script?: string;
  env: Record<string, string>;
  raw: Record<string, unknown>;
}

type Flavor = 'github' | 'azure';

function stepsOf(doc: Record<string, unknown>, flavor: Flavor): Step[] {
  const raw: Record<string, unknown>[] = [];
  if (flavor === 'github') {
    for (const job of Object.values((doc.jobs ?? {}) as Record<string, { steps?: Record<string, unknown>[] }>)) raw.push(...(job.steps ?? []));
  } else {
    const stages = (doc.stages as { jobs: { steps: Record<string, unknown>[] }[] }[] | undefined) ?? [];
    const jobs = (doc.jobs as { steps: Record<string, unknown>[] }[] | undefined) ?? stages.flatMap((s) => s.jobs);
    raw.push(...((doc.steps as Record<string, unknown>[] | undefined) ?? jobs.flatMap((j) => j.steps)));
  }
  return raw.map((s) => ({
    script: (flavor === 'github' ? s.run : s.script ?? s.bash ?? s.pwsh ?? s.powershell) as string | undefined,
    env: (s.env ?? {}) as Record<string, string>,
    raw: s,
  }));
}

/** How a secret is written in each flavor: `${{ secrets.X }}`, or an Azure macro of a group variable. */
const secretRef = (flavor: Flavor, secretNames: string[]) =>
  flavor === 'github' ? /\$\{\{\s*secrets\./ : new RegExp(`\\$\\((${secretNames.join('|')})\\)`);

/** Problems found in a template; empty when it is right. */
function check(text: string, flavor: Flavor, secretNames: string[]): string[] {
  const problems: string[] = [];
  const doc = yaml.load(text) as Record<string, unknown>;
  const steps = stepsOf(doc, flavor);
  const ref = secretRef(flavor, secretNames);

  // Order of the five commands (each a whole line of a step's script).
  const lines = steps.flatMap((s, i) => (s.script ?? '').split('\n').map((l) => ({ step: i, line: l.trim() })));
  const at = ORDER.map((cmd) => lines.findIndex((l) => l.line === cmd));
  ORDER.forEach((cmd, i) => {
    if (at[i] < 0) problems.push(`missing: ${cmd}`);
  });
  for (let i = 1; i < ORDER.length; i++) if (at[i] >= 0 && at[i - 1] >= 0 && at[i] < at[i - 1]) problems.push(`${ORDER[i]} runs before ${ORDER[i - 1]}`);

  // Secrets: only in env mappings; env variables holding secrets never printed or traced.
  const secretVars = new Set<string>();
  for (const [i, s] of steps.entries()) {
    if (s.script && ref.test(s.script)) problems.push(`step ${i} writes a secret into its script body`);
    for (const [name, value] of Object.entries(s.env)) if (ref.test(String(value))) secretVars.add(name);
    for (const [key, value] of Object.entries(s.raw)) {
      if (key !== 'env' && ref.test(JSON.stringify(value))) problems.push(`step ${i} uses a secret outside env (${key})`);
    }
  }
  for (const [i, s] of steps.entries()) {
    const secretHere = Object.keys(s.env).filter((n) => secretVars.has(n));
    if (!s.script || secretHere.length === 0) continue;
    if (/^\s*set\s+-[a-z]*x/m.test(s.script)) problems.push(`step ${i} traces commands (set -x) with a secret in its environment`);
    // Each pipeline (split at ; && || and braces) that starts with a printing command and names the
    // secret must feed it straight into base64 --decode > a file under the runner's temporary folder.
    for (const pipeline of s.script.split(/\n|;|&&|\|\||[{}]/)) {
      for (const name of secretHere) {
        const [first, ...rest] = pipeline.split('|');
        if (!new RegExp(`\\$\\{?${name}\\b|\\$env:${name}\\b`).test(first)) continue;
        if (!/^\s*(echo|printf|cat|Write-Host|Write-Output)\b/.test(first)) continue;
        const captured = rest.length === 1 && /^\s*base64\s+(--decode|-d)\s*>\s*"?\$(RUNNER_TEMP|AGENT_TEMPDIRECTORY)\//.test(rest[0]);
        if (!captured) problems.push(`step ${i} prints ${name}: ${pipeline.trim()}`);
      }
    }
  }
  // The certificate file: decoded outside the workspace, removed in an always-run step.
  const tempVar = flavor === 'github' ? 'RUNNER_TEMP' : 'AGENT_TEMPDIRECTORY';
  const decode = steps.find((s) => /base64 --decode >/.test(s.script ?? ''));
  if (!decode) problems.push('no step writes the PFX from its base64 secret');
  else if (!new RegExp(`> "\\$${tempVar}/`).test(decode.script ?? '')) problems.push(`the PFX is not written under $${tempVar}`);
  const cleanup = steps.find((s) => /rm -f "\$(RUNNER_TEMP|AGENT_TEMPDIRECTORY)\/[^"]+\.pfx"/.test(s.script ?? ''));
  const always = cleanup && (flavor === 'github' ? cleanup.raw.if === 'always()' : cleanup.raw.condition === 'always()');
  if (!always) problems.push('the PFX is not removed by an always-run step');
  // The password reaches npm run sign as VMMBACKUP_SIGN_PASSWORD from a secret.
  const sign = steps.find((s) => (s.script ?? '').trim() === 'npm run sign');
  if (!sign || !ref.test(String(sign.env.VMMBACKUP_SIGN_PASSWORD ?? ''))) problems.push('npm run sign does not get VMMBACKUP_SIGN_PASSWORD from a secret');
  // Artifacts: the nupkg and SHA256SUMS.
  const uploads = JSON.stringify(steps.filter((s) => /upload-artifact|CopyFiles|PublishPipelineArtifact/.test(String(s.raw.uses ?? s.raw.task ?? ''))).map((s) => s.raw));
  if (!/dist\/nupkg/.test(uploads) || !/\*\.nupkg/.test(uploads) || !/SHA256SUMS/.test(uploads)) problems.push('the nupkg and SHA256SUMS are not uploaded');
  return problems;
}

const githubText = fs.readFileSync(GITHUB, 'utf8');
const azureText = fs.readFileSync(AZURE, 'utf8');
const azureSecrets = ['VmmBackupSignPfxBase64', 'VmmBackupSignPassword'];

test('GitHub Actions workflow: order, secrets only in env, never printed, PFX removed, artifacts', () => {
  expect(check(githubText, 'github', [])).toEqual([]);
  const doc = yaml.load(githubText) as { on: Record<string, unknown>; jobs: Record<string, { steps: { run?: string; if?: string }[] }> };
  expect(Object.keys(doc.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  // Pull requests do not sign (forks get no secrets).
  const steps = doc.jobs.build.steps;
  for (const s of steps.filter((x) => /npm run (sign|pack)|base64 --decode/.test(x.run ?? ''))) expect(s.if).toBe("github.event_name != 'pull_request'");
});

test('Azure Pipelines: order, secret variables mapped through env only, never printed, PFX removed, artifacts', () => {
  expect(check(azureText, 'azure', azureSecrets)).toEqual([]);
  const doc = yaml.load(azureText) as { variables: { group?: string }[]; steps: { script?: string; bash?: string; condition?: string }[] };
  expect(doc.variables).toContainEqual({ group: 'vmm-backup-signing' });
  for (const s of doc.steps.filter((x) => /npm run (sign|pack)|base64 --decode/.test(x.script ?? x.bash ?? ''))) {
    expect(s.condition).toBe("and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'))");
  }
});

describe('the checks catch broken templates', () => {
  test('a secret interpolated into a run line, or echoed', () => {
    const inline = githubText.replace('run: npm run sign', 'run: VMMBACKUP_SIGN_PASSWORD=${{ secrets.VMMBACKUP_SIGN_PASSWORD }} npm run sign');
    expect(check(inline, 'github', [])).toEqual(expect.arrayContaining([expect.stringMatching(/writes a secret into its script body/)]));
    const echoed = githubText.replace('          umask 077\n', '          umask 077\n          echo "$PFX_BASE64"\n');
    expect(check(echoed, 'github', [])).toEqual([expect.stringMatching(/prints PFX_BASE64/)]);
    const traced = githubText.replace('          set +x\n', '          set -x\n');
    expect(check(traced, 'github', [])).toEqual([expect.stringMatching(/traces commands/)]);
    const macro = azureText.replace('printf \'%s\' "$PFX_BASE64"', "printf '%s' '$(VmmBackupSignPfxBase64)'");
    expect(check(macro, 'azure', azureSecrets)).toEqual(expect.arrayContaining([expect.stringMatching(/writes a secret into its script body/)]));
  });

  test('steps out of order or missing, PFX in the workspace or left behind, artifacts missing', () => {
    const swapped = githubText.replace('run: npm run pack', 'run: npm run PACK').replace('run: npm test', 'run: npm run pack\n      - run: npm test');
    expect(check(swapped, 'github', [])).toEqual(expect.arrayContaining(['npm run pack runs before npm run sign']));
    expect(check(githubText.replace('run: npm run setup', 'run: echo no setup'), 'github', [])).toEqual(['missing: npm run setup']);
    expect(check(githubText.replace('> "$RUNNER_TEMP/vmmbackup-signing.pfx"', '> dist/signing.pfx'), 'github', [])).toEqual([
      expect.stringMatching(/^step \d+ prints PFX_BASE64: printf .* > dist\/signing\.pfx$/),
      'the PFX is not written under $RUNNER_TEMP',
    ]);
    expect(check(azureText.replace('condition: always()', 'condition: succeeded()'), 'azure', azureSecrets)).toEqual(['the PFX is not removed by an always-run step']);
    expect(check(githubText.replace('dist/nupkg/SHA256SUMS', ''), 'github', [])).toEqual(['the nupkg and SHA256SUMS are not uploaded']);
    expect(check(azureText.replace('VMMBACKUP_SIGN_PASSWORD: $(VmmBackupSignPassword)', 'VMMBACKUP_SIGN_PASSWORD: plain'), 'azure', azureSecrets)).toEqual(['npm run sign does not get VMMBACKUP_SIGN_PASSWORD from a secret']);
  });
});
