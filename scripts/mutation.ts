/**
 * A small mutation check of the guarantees the README promises: `npx tsx scripts/mutation.ts [options]`.
 *
 * Each mutation is one realistic bug put into one line of a scratch copy of the project: a file, an exact code
 * snippet and its replacement (several variants may be given for code that exists in more than one shape; the
 * first variant found exactly once is used). Snippets are text, not line numbers, so the list stays usable
 * while the code moves: a mutation whose snippet is not found (or is found more than once) is reported as
 * "not applicable" and left out of the score. PowerShell mutations go into `generated/VmmBackup/` (the code the
 * Pester tests load; it is its template's text under a generated header).
 *
 * One mutation at a time is applied to the scratch copy, only the test files that guard it run (under nice,
 * one after another, stopping at the first that fails), and the file is restored. A mutation is killed when a test fails, and survives when all
 * pass. Before the mutations, each test file used runs once on the unmutated copy: a mutation whose tests
 * already fail there is reported as "invalid".
 *
 * Options:
 *   --ref <git ref>   copy that commit (git archive) instead of the working tree (tracked and untracked files)
 *   --only a,b        run only these mutation ids, in this order
 *   --list            list the mutations and whether each applies, run nothing
 *   --no-baseline     skip the unmutated run of the test files
 *   --keep            keep the scratch copy (its path is printed)
 * Prints a table, the score, and, last, one JSON line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Mutation {
  id: string;
  /** The README guarantee it breaks. */
  guarantee: string;
  file: string;
  /** [snippet, replacement]: the first snippet found exactly once is replaced. */
  variants: [string, string][];
  /** jest (test/…) or Pester (Pester/…) files that guard it; missing files are left out. */
  tests: string[];
  /**
   * Not run while this text is in one of its test files: a guard test that would execute a destructive
   * payload when the mutation lets it through.
   */
  unsafeWhileTestHolds?: string;
}

const SIGN_TESTS = ['test/sign/authenticode/chain-policy.test.ts', 'test/sign/authenticode/message-digest.test.ts', 'test/sign/authenticode/sign-verify.test.ts', 'test/cli/commands/sign/run.test.ts'];
const LIBRARY = 'generated/VmmBackup/Public/Backup-VmmLibraryShare.ps1';
const ENGINE = 'generated/VmmBackup/Private/Store/Get-VmmLibraryStoreType.ps1';
const LIBRARY_TESTS = ['Pester/Public/Backup-VmmLibraryShare.Tests.ps1'];
const DATABASE = 'generated/VmmBackup/Public/Backup-VmmDatabase.ps1';
const RESTORE_DB = 'generated/VmmBackup/Public/Restore-VmmDatabase.ps1';
const PASSWORD_TESTS = ['Pester/Private/New-VmmStrongPassword.Tests.ps1', 'Pester/Public/Reset-VmmPerimeterHostPassword.Tests.ps1'];

export const MUTATIONS: Mutation[] = [
  // --- hash checks
  {
    id: 'library-verify-hash',
    guarantee: 'hash checks',
    file: 'generated/VmmBackup/Private/Store/Test-VmmLibraryBackupSet.ps1',
    variants: [["{ $verdict = '' } else { $verdict = 'does not match its SHA-256' }", "{ $verdict = '' } else { $verdict = '' }"]],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1', ...LIBRARY_TESTS],
  },
  {
    id: 'library-verify-length',
    guarantee: 'hash checks',
    file: 'generated/VmmBackup/Private/Store/Test-VmmLibraryBackupSet.ps1',
    variants: [['} elseif ($info.Length -ne [long]$file.Length) {', '} elseif ($false) {']],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1', ...LIBRARY_TESTS],
  },
  {
    id: 'file-hash-first-block-only',
    guarantee: 'hash checks',
    file: 'generated/VmmBackup/Private/Get-VmmFileHash.ps1',
    variants: [['            if ($read -le 0) { break }', '            if ($read -le 0) { break }; $null = $sha.TransformBlock($Buffer, 0, $read, $null, 0); break']],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1', ...LIBRARY_TESTS],
  },
  {
    id: 'catalog-member-hash',
    guarantee: 'hash checks',
    file: 'src/sign/catalog.ts',
    variants: [["if (result.status === 'Valid' && mismatches.length) {", 'if (false) {']],
    tests: ['test/sign/catalog.test.ts', 'test/cli/commands/sign/run.test.ts'],
  },
  // --- root and overlap refusals
  {
    id: 'root-drive',
    guarantee: 'root and overlap refusals',
    file: 'generated/VmmBackup/Private/Assert-VmmNotRootDirectory.ps1',
    variants: [["($trimmed -match '^[A-Za-z]:$') -or", '$false -or']],
    tests: ['Pester/Public/Backup-VmmDatabase.Tests.ps1', 'Pester/Public/Backup-VmmRegistrySetting.Tests.ps1'],
  },
  {
    id: 'root-unc-share',
    guarantee: 'root and overlap refusals',
    file: 'generated/VmmBackup/Private/Assert-VmmNotRootDirectory.ps1',
    variants: [["($trimmed -match '^\\\\\\\\[^\\\\]+\\\\[^\\\\]+$') -or", '$false -or']],
    tests: ['Pester/Public/Backup-VmmDatabase.Tests.ps1', 'Pester/Public/Backup-VmmRegistrySetting.Tests.ps1'],
  },
  {
    id: 'overlap-share-inside-destination',
    guarantee: 'root and overlap refusals',
    file: LIBRARY,
    variants: [[' -or $share.StartsWith($destinationFull + $separator, $comparison)', '']],
    tests: LIBRARY_TESTS,
  },
  // --- retention
  {
    id: 'db-retention-age',
    guarantee: 'retention',
    file: DATABASE,
    variants: [['                if ($taken -lt $limit) { $item }', '                $item']],
    tests: ['Pester/Public/Backup-VmmDatabase.Tests.ps1'],
  },
  {
    id: 'db-retention-unverified',
    guarantee: 'retention',
    file: DATABASE,
    variants: [['        if (-not $verified) {', '        if ($false) {']],
    tests: ['Pester/Public/Backup-VmmDatabase.Tests.ps1'],
  },
  {
    id: 'library-retention-current-set',
    guarantee: 'retention',
    file: 'generated/VmmBackup/Private/Store/Invoke-VmmLibraryRetention.ps1',
    variants: [['if ($i -lt $removable -and $readable[$i].Set.Name -ne $CurrentSet) {', 'if ($i -lt $removable) {']],
    tests: LIBRARY_TESTS,
  },
  {
    id: 'library-retention-damaged-set',
    guarantee: 'retention',
    file: 'generated/VmmBackup/Private/Store/Invoke-VmmLibraryRetention.ps1',
    variants: [['    if ($damaged.Count -gt 0) {', '    if ($false) {']],
    tests: LIBRARY_TESTS,
  },
  {
    id: 'library-retention-journal-refs',
    guarantee: 'retention',
    file: 'generated/VmmBackup/Private/Store/Invoke-VmmLibraryRetention.ps1',
    variants: [['foreach ($match in $hashPattern.Matches($text)) {', 'foreach ($match in @()) {']],
    tests: LIBRARY_TESTS,
  },
  // --- ShouldProcess
  {
    id: 'restore-db-shouldprocess',
    guarantee: 'ShouldProcess',
    file: RESTORE_DB,
    variants: [['        if (-not $PSCmdlet.ShouldProcess($target, $action)) { return }', '        if ($false) { return }']],
    tests: ['Pester/Public/Restore-VmmDatabase.Tests.ps1'],
  },
  {
    id: 'db-retention-shouldprocess',
    guarantee: 'ShouldProcess',
    file: DATABASE,
    variants: [['if ($PSCmdlet.ShouldProcess($item.FullName, "Remove backup older than $RetainDays days")) {', 'if ($true) {']],
    tests: ['Pester/Public/Backup-VmmDatabase.Tests.ps1'],
  },
  {
    id: 'library-retention-shouldprocess',
    guarantee: 'ShouldProcess',
    file: 'generated/VmmBackup/Private/Store/Invoke-VmmLibraryRetention.ps1',
    variants: [["if (-not $PSCmdlet.ShouldProcess($set.Path, 'Remove library backup set')) {", 'if ($false) {']],
    tests: LIBRARY_TESTS,
  },
  // --- QUOTENAME
  {
    id: 'backup-db-quotename',
    guarantee: 'QUOTENAME',
    file: DATABASE,
    variants: [["N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK", "N'BACKUP DATABASE ' + @db + N' TO DISK"]],
    tests: ['Pester/Public/Backup-VmmDatabase.Tests.ps1'],
  },
  {
    id: 'restore-db-quotename',
    guarantee: 'QUOTENAME',
    file: RESTORE_DB,
    variants: [["N'RESTORE DATABASE ' + QUOTENAME(@db) + N' FROM DISK", "N'RESTORE DATABASE ' + @db + N' FROM DISK"]],
    tests: ['Pester/Public/Restore-VmmDatabase.Tests.ps1'],
  },
  {
    id: 'node-sql-quotename',
    guarantee: 'QUOTENAME',
    file: 'src/sql/statements.ts',
    variants: [["N'BACKUP DATABASE ' + QUOTENAME(@db) + N' TO DISK", "N'BACKUP DATABASE ' + @db + N' TO DISK"]],
    tests: ['test/sql/backup.test.ts'],
  },
  // --- SIP digest
  {
    id: 'sip-digest-utf16',
    guarantee: 'SIP digest',
    file: 'src/sign/script.ts',
    variants: [["  return Buffer.from(content.toString('utf8'), 'utf16le');", '  return content;']],
    tests: SIGN_TESTS,
  },
  {
    id: 'sip-digest-compare',
    guarantee: 'SIP digest',
    file: 'src/sign/authenticode.ts',
    variants: [['return verifySignedData(p7, actual.equals(indirect.digest), options);', 'return verifySignedData(p7, true, options);']],
    tests: SIGN_TESTS,
  },
  {
    id: 'signed-attributes-digest',
    guarantee: 'SIP digest',
    file: 'src/sign/pkcs7.ts',
    variants: [['  const digestOk = expected.equals(actual);', '  const digestOk = true;']],
    tests: SIGN_TESTS,
  },
  // --- schema validation
  {
    id: 'bridge-schema-check',
    guarantee: 'schema validation',
    file: 'src/bridge/validate.ts',
    variants: [['      if (!validate(output[i])) {', '      if (false) {']],
    tests: ['test/bridge/session.test.ts', 'test/bridge/vmm-bindings.test.ts'],
  },
  {
    id: 'bridge-schema-formats',
    guarantee: 'schema validation',
    file: 'src/bridge/validate.ts',
    variants: [['validateFormats: true', 'validateFormats: false']],
    tests: ['test/bridge/validate.test.ts', 'test/bridge/session.test.ts', 'test/bridge/vmm-bindings.test.ts'],
  },
  // --- argument encoding
  {
    id: 'native-arguments-joined',
    guarantee: 'argument encoding',
    file: 'generated/VmmBackup/Private/Invoke-VmmWbadmin.ps1',
    variants: [['& $command.Source @ArgumentList 2>&1', "& $command.Source ($ArgumentList -join ' ') 2>&1"]],
    tests: ['Pester/Private/NativeCommand.Tests.ps1'],
  },
  {
    id: 'bridge-arguments-expanded',
    guarantee: 'argument encoding',
    file: 'src/bridge/dispatcher.ps1',
    variants: [
      [
        '                [void]$shell.AddParameter([string]$name, $value)',
        '                if ($value -is [string]) { $value = $ExecutionContext.InvokeCommand.ExpandString($value) }; [void]$shell.AddParameter([string]$name, $value)',
      ],
    ],
    tests: ['test/bridge/session.test.ts'],
    unsafeWhileTestHolds: 'Remove-Item -Recurse /',
  },
  // --- DSC freshness
  {
    id: 'dsc-max-age',
    guarantee: 'DSC freshness',
    file: 'generated/VmmBackup/VmmBackup.psm1',
    variants: [["$state.AgeHours -gt $desired['MaxAgeHours']) {", "$state.AgeHours -gt (10 * $desired['MaxAgeHours'])) {"]],
    tests: ['Pester/Dsc/VmmDatabaseBackup.Tests.ps1', 'Pester/Dsc/VmmRegistryBackup.Tests.ps1', 'Pester/Dsc/VmmLibraryBackup.Tests.ps1'],
  },
  {
    id: 'test-backup-stale',
    guarantee: 'DSC freshness',
    file: 'generated/VmmBackup/Public/Test-VmmBackup.ps1',
    variants: [['($now - $LastWriteTime).TotalHours -gt $MaxAgeHours) {', '($now - $LastWriteTime).TotalHours -gt (10 * $MaxAgeHours)) {']],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1'],
  },
  // --- secrets in output
  {
    id: 'password-returned-plain',
    guarantee: 'secrets in output',
    file: 'generated/VmmBackup/Public/Reset-VmmPerimeterHostPassword.ps1',
    variants: [["{ $returned = $password }", "{ $returned = $credential.GetNetworkCredential().Password }"]],
    tests: PASSWORD_TESTS,
  },
  {
    id: 'password-in-verbose',
    guarantee: 'secrets in output',
    file: 'generated/VmmBackup/Public/Reset-VmmPerimeterHostPassword.ps1',
    variants: [[`Write-Verbose "The new password of the VMM account of '$name' is set in VMM."`, `Write-Verbose "The new password of the VMM account of '$name' is set in VMM: $($credential.GetNetworkCredential().Password)"`]],
    tests: PASSWORD_TESTS,
  },
  // --- manifest digest
  {
    id: 'library-manifest-digest',
    guarantee: 'manifest digest',
    file: ENGINE,
    variants: [['if (!(digestValue is string) || digest != (string)digestValue) {', 'if (false) {']],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1', 'Pester/Corpus/BadInput.Tests.ps1', ...LIBRARY_TESTS],
  },
  {
    id: 'set-manifest-digest',
    guarantee: 'manifest digest',
    file: 'generated/VmmBackup/Private/Read-VmmBackupSetManifest.ps1',
    variants: [['    if ($digest -ne [string]$document.Digest) {', '    if ($false) {']],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1', 'Pester/Public/Invoke-VmmBackup.Tests.ps1'],
  },
  {
    id: 'manifest-digest-omits-hash',
    guarantee: 'manifest digest',
    file: ENGINE,
    variants: [[".Append(file.Sha256 == null ? string.Empty : file.Sha256.ToLowerInvariant()).Append('\\n');", ".Append('\\n');"]],
    tests: ['Pester/Public/Test-VmmBackup.Tests.ps1', 'Pester/Corpus/BadInput.Tests.ps1', ...LIBRARY_TESTS],
  },
  // --- resume
  {
    id: 'resume-stored-object-size',
    guarantee: 'resume',
    file: ENGINE,
    variants: [['            return stored.Exists && stored.Length == length;', '            return stored.Exists;']],
    tests: LIBRARY_TESTS,
  },
  {
    id: 'resume-journal-source-changed',
    guarantee: 'resume',
    file: ENGINE,
    variants: [['                if (current == record.Sha256)', '                if (current != null)']],
    tests: LIBRARY_TESTS,
  },
  {
    id: 'dedupe-existing-object-size',
    guarantee: 'resume',
    file: ENGINE,
    variants: [['                        if (existing.Exists && existing.Length == length)', '                        if (existing.Exists)']],
    tests: LIBRARY_TESTS,
  },
  // --- determinism
  {
    id: 'nupkg-file-order',
    guarantee: 'determinism',
    file: 'src/release/nupkg.ts',
    variants: [['  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));', '  return out.reverse();']],
    tests: ['test/release/pack/module.test.ts'],
  },
  {
    id: 'sign-list-order',
    guarantee: 'determinism',
    file: 'src/sign/index.ts',
    variants: [['  return out.sort();', '  return out.reverse();']],
    tests: SIGN_TESTS,
  },
  // --- certificate checks
  {
    id: 'cert-eku-removed',
    guarantee: 'certificate checks (EKU)',
    file: 'src/sign/authenticode.ts',
    variants: [['  if (!eku || !eku.includes(OID.ekuCodeSigning)) {', '  if (false) {']],
    tests: SIGN_TESTS,
  },
  {
    id: 'cert-eku-absent-accepted',
    guarantee: 'certificate checks (EKU)',
    file: 'src/sign/authenticode.ts',
    variants: [['  if (!eku || !eku.includes(OID.ekuCodeSigning)) {', '  if (eku && !eku.includes(OID.ekuCodeSigning)) {']],
    tests: SIGN_TESTS,
  },
  {
    id: 'cert-basic-constraints',
    guarantee: 'certificate checks (basicConstraints)',
    file: 'src/sign/x509.ts',
    variants: [
      ['intermediates.find((c) => !c.equals(current) && c.isCa && current.issuedBy(c));', 'intermediates.find((c) => !c.equals(current) && current.issuedBy(c));'],
      ['    const next = issuers.find((c) => c.isCa);', '    const next = issuers[0];'],
    ],
    tests: SIGN_TESTS,
  },
  {
    id: 'cert-validity-leaf-only',
    guarantee: 'certificate checks (validity)',
    file: 'src/sign/x509.ts',
    variants: [
      ['    if (!current.validAt(at)) {', '    if (!current.validAt(at) && depth === 0) {'],
      ['    if (invalid) return { ok: false, chain, ...invalid };', '    if (invalid && depth === 0) return { ok: false, chain, ...invalid };'],
    ],
    tests: SIGN_TESTS,
  },
  {
    id: 'cert-validity-not-before',
    guarantee: 'certificate checks (validity)',
    file: 'src/sign/x509.ts',
    variants: [
      ['return t.getTime() >= this.notBefore.getTime() && t.getTime() <= this.notAfter.getTime();', 'return t.getTime() <= this.notAfter.getTime();'],
      ['  if (at.getTime() < cert.notBefore.getTime()) {', '  if (false) {'],
    ],
    tests: SIGN_TESTS,
  },
  {
    id: 'cert-validity-root',
    guarantee: 'certificate checks (validity)',
    file: 'src/sign/x509.ts',
    variants: [
      ['      if (!root.validAt(at)) {', '      if (false) {'],
      ['      if (rootInvalid) return { ok: false, chain, ...rootInvalid };', '      void rootInvalid;'],
    ],
    tests: SIGN_TESTS,
  },
  {
    id: 'cert-validity-at-timestamp',
    guarantee: 'certificate checks (validity)',
    file: 'src/sign/authenticode.ts',
    variants: [['    at = ts.genTime!;', '    void ts.genTime;']],
    tests: SIGN_TESTS,
  },
  {
    id: 'tsa-eku',
    guarantee: 'certificate checks (EKU)',
    file: 'src/sign/timestamp.ts',
    variants: [['  if (!eku || !eku.includes(OID.ekuTimeStamping)) {', '  if (false) {']],
    tests: SIGN_TESTS,
  },
  {
    id: 'signer-expired-accepted',
    guarantee: 'certificate checks (validity)',
    file: 'src/sign/keys.ts',
    variants: [['  if (now > cert.notAfter) {', '  if (false) {']],
    tests: SIGN_TESTS,
  },
  // --- TLS
  {
    id: 'sql-tls-off-by-default',
    guarantee: 'TLS',
    file: 'src/sql/connection.ts',
    variants: [['    encrypt: tls.encrypt ?? true,', '    encrypt: tls.encrypt ?? false,']],
    tests: ['test/sql/backup.test.ts', 'test/cli/commands/db/run.test.ts'],
  },
  {
    id: 'sql-tls-trusts-any-certificate',
    guarantee: 'TLS',
    file: 'src/sql/connection.ts',
    variants: [['    trustServerCertificate: tls.trustServerCertificate ?? false,', '    trustServerCertificate: tls.trustServerCertificate ?? true,']],
    tests: ['test/sql/backup.test.ts', 'test/cli/commands/db/run.test.ts'],
  },
  // --- exit codes
  {
    id: 'verify-exit-code',
    guarantee: 'exit codes',
    file: 'src/cli/commands/verify.ts',
    variants: [["results.every((r) => r.status === 'Valid') ? 0 : 1", "results.some((r) => r.status === 'Valid') ? 0 : 1"]],
    tests: ['test/cli/commands/sign/run.test.ts', 'test/sign/authenticode/chain-policy.test.ts'],
  },
  {
    id: 'cli-error-exit-code',
    guarantee: 'exit codes',
    file: 'src/cli/main.ts',
    variants: [['return error instanceof CliError ? error.exitCode : 1;', 'return error instanceof CliError ? 0 : 1;']],
    tests: ['test/cli/commands/sign/run.test.ts', 'test/release/pack/chain-policy.test.ts'],
  },
  // --- the destination lock
  {
    id: 'library-lock-shared',
    guarantee: 'the destination lock',
    file: LIBRARY,
    variants: [
      [
        "[System.IO.Path]::Combine($destinationFull, '.lock')), ([System.IO.FileMode]::OpenOrCreate), ([System.IO.FileAccess]::ReadWrite), ([System.IO.FileShare]::None)",
        "[System.IO.Path]::Combine($destinationFull, '.lock')), ([System.IO.FileMode]::OpenOrCreate), ([System.IO.FileAccess]::ReadWrite), ([System.IO.FileShare]::ReadWrite)",
      ],
    ],
    tests: LIBRARY_TESTS,
  },
  // --- the crypto RNG
  {
    id: 'password-system-random',
    guarantee: 'the crypto RNG',
    file: 'generated/VmmBackup/Private/New-VmmStrongPassword.ps1',
    variants: [['                $rng.GetBytes($buffer)', '                (New-Object -TypeName System.Random).NextBytes($buffer)']],
    tests: PASSWORD_TESTS,
  },
  {
    id: 'password-get-random-characters',
    guarantee: 'the crypto RNG',
    file: 'generated/VmmBackup/Private/New-VmmStrongPassword.ps1',
    variants: [['$character = $alphabet[$byte % $alphabet.Length]', '$character = $alphabet[(Get-Random -Maximum $alphabet.Length)]']],
    tests: PASSWORD_TESTS,
  },
];

interface Options {
  ref?: string;
  only?: Set<string>;
  list: boolean;
  baseline: boolean;
  keep: boolean;
}

function fail(message: string): never {
  throw new Error(message);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { list: false, baseline: true, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ref') o.ref = argv[++i];
    else if (a === '--only') o.only = new Set(argv[++i].split(','));
    else if (a === '--list') o.list = true;
    else if (a === '--no-baseline') o.baseline = false;
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const repo = path.resolve(__dirname, '..');

/** A scratch copy of the project (a commit, or the working tree), sharing node_modules and .tools. */
function makeScratch(ref: string | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmm-mutation-'));
  if (ref) {
    const tar = execFileSync('git', ['-C', repo, 'archive', '--format=tar', ref], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar, maxBuffer: 1 << 30 });
  } else {
    const files = execFileSync('git', ['-C', repo, 'ls-files', '-co', '--exclude-standard', '-z'], { maxBuffer: 1 << 28 }).toString('utf8').split('\0').filter(Boolean);
    for (const f of files) {
      const src = path.join(repo, f);
      if (!fs.existsSync(src) || !fs.statSync(src).isFile()) continue;
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.copyFileSync(src, path.join(dir, f));
    }
  }
  for (const shared of ['node_modules', '.tools']) {
    if (fs.existsSync(path.join(repo, shared))) fs.symlinkSync(path.join(repo, shared), path.join(dir, shared));
  }
  return dir;
}

type Applied = { ok: true; original: string; mutated: string } | { ok: false; why: string };

function apply(root: string, m: Mutation): Applied {
  const file = path.join(root, m.file);
  if (!fs.existsSync(file)) return { ok: false, why: `${m.file} does not exist` };
  const original = fs.readFileSync(file, 'utf8');
  // A snippet of several lines matches LF and CRLF files alike.
  const variants = m.variants.flatMap(([f, r]): [string, string][] => (f.includes('\n') ? [[f, r], [f.replace(/\n/g, '\r\n'), r.replace(/\n/g, '\r\n')]] : [[f, r]]));
  for (const [find, replace] of variants) {
    const first = original.indexOf(find);
    if (first < 0) continue;
    if (original.indexOf(find, first + 1) >= 0) return { ok: false, why: 'snippet found more than once' };
    return { ok: true, original, mutated: original.slice(0, first) + replace + original.slice(first + find.length) };
  }
  return { ok: false, why: 'snippet not found' };
}

interface RunResult {
  passed: boolean;
  seconds: number;
  detail: string;
}

/**
 * Run the given test files in the scratch copy, one at a time in the order given, stopping at the first that
 * fails (the likeliest catcher goes first); passed = every file passed.
 */
function runTests(root: string, tests: string[]): RunResult {
  const start = Date.now();
  const run = (cmd: string, args: string[]) =>
    spawnSync('nice', ['-n', '10', cmd, ...args], { cwd: root, encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 28, env: { ...process.env, CI: '1', FORCE_COLOR: '0' } });
  for (const t of tests) {
    const r = t.startsWith('Pester/')
      ? run('bash', ['scripts/pester.sh', '-Path', t, '-Output', 'Normal'])
      : run(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--runInBand', '--silent', t]);
    if (r.status !== 0) return { passed: false, seconds: (Date.now() - start) / 1000, detail: `${t}: ${firstFailure(`${r.stdout}${r.stderr}`, r.signal)}` };
  }
  return { passed: true, seconds: (Date.now() - start) / 1000, detail: '' };
}

function firstFailure(output: string, signal: NodeJS.Signals | null): string {
  if (signal) return `stopped by ${signal} (time-out)`;
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const line = lines.find((l) => /^\s*●|\[-\]/.test(l));
  return (line ?? lines.filter((l) => l.trim()).pop() ?? '').trim().slice(0, 120);
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  // With --only, in the order given (unknown ids are an error).
  const chosen = options.only ? [...options.only].map((id) => MUTATIONS.find((m) => m.id === id) ?? fail(`no mutation ${id}`)) : MUTATIONS;
  const started = Date.now();
  const root = makeScratch(options.ref);
  const label = options.ref ?? 'working tree';
  process.stdout.write(`scratch copy of ${label}: ${root}\n`);
  const rows: { id: string; guarantee: string; result: string; seconds: number; detail: string }[] = [];
  try {
    const present = (m: Mutation) => m.tests.filter((t) => fs.existsSync(path.join(root, t)));
    if (options.list) {
      for (const m of chosen) {
        const a = apply(root, m);
        process.stdout.write(`${m.id.padEnd(34)} ${a.ok ? 'applies' : `not applicable (${a.why})`}  tests: ${present(m).join(', ') || 'none'}\n`);
      }
      return;
    }
    const brokenTests = new Set<string>();
    if (options.baseline) {
      const files = [...new Set(chosen.flatMap(present))];
      for (const t of files) {
        const r = runTests(root, [t]);
        process.stdout.write(`baseline ${r.passed ? 'pass' : 'FAIL'}  ${t} (${r.seconds.toFixed(0)} s)\n`);
        if (!r.passed) brokenTests.add(t);
      }
    }
    for (const m of chosen) {
      const tests = present(m);
      const a = apply(root, m);
      let row: (typeof rows)[number];
      if (!a.ok) row = { id: m.id, guarantee: m.guarantee, result: 'not applicable', seconds: 0, detail: a.why };
      else if (tests.some((t) => brokenTests.has(t))) row = { id: m.id, guarantee: m.guarantee, result: 'invalid', seconds: 0, detail: 'a test file fails without the mutation' };
      else if (m.unsafeWhileTestHolds && tests.some((t) => fs.readFileSync(path.join(root, t), 'utf8').includes(m.unsafeWhileTestHolds!))) {
        row = { id: m.id, guarantee: m.guarantee, result: 'not run (unsafe)', seconds: 0, detail: `a test would run '${m.unsafeWhileTestHolds}' if it survived` };
      } else if (tests.length === 0) {
        row = { id: m.id, guarantee: m.guarantee, result: 'survived', seconds: 0, detail: 'no test file guards it' };
      } else {
        const file = path.join(root, m.file);
        fs.writeFileSync(file, a.mutated);
        try {
          const r = runTests(root, tests);
          row = { id: m.id, guarantee: m.guarantee, result: r.passed ? 'survived' : 'killed', seconds: r.seconds, detail: r.detail };
        } finally {
          fs.writeFileSync(file, a.original);
        }
      }
      rows.push(row);
      process.stdout.write(`${row.result.padEnd(16)} ${row.id.padEnd(34)} ${row.seconds.toFixed(0).padStart(4)} s  ${row.detail}\n`);
    }
  } finally {
    if (options.keep) process.stdout.write(`kept ${root}\n`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
  if (options.list) return;
  const killed = rows.filter((r) => r.result === 'killed');
  const survived = rows.filter((r) => r.result === 'survived');
  const scored = killed.length + survived.length;
  process.stdout.write('\n| mutation | guarantee | result |\n| --- | --- | --- |\n');
  for (const r of rows) process.stdout.write(`| ${r.id} | ${r.guarantee} | ${r.result} |\n`);
  const score = scored ? killed.length / scored : 0;
  process.stdout.write(`\nscore: ${killed.length} of ${scored} killed (${(100 * score).toFixed(0)}%); ${rows.length - scored} not scored\n`);
  process.stdout.write(
    JSON.stringify({
      ref: label,
      mutations: rows.length,
      scored,
      killed: killed.length,
      survived: survived.length,
      notScored: rows.length - scored,
      score: Number(score.toFixed(3)),
      survivors: survived.map((r) => r.id),
      notScoredIds: rows.filter((r) => r.result !== 'killed' && r.result !== 'survived').map((r) => `${r.id}: ${r.result}`),
      seconds: Math.round((Date.now() - started) / 1000),
    }) + '\n',
  );
}

main();
