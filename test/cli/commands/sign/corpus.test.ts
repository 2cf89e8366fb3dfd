/**
 * `vmm-backup sign` under bad input: every refusal is exit 2 with one JSON error object, and nothing is
 * written (not into the input, not through a link inside the output folder).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpus, thenFile, thenLink } from '../../../support/cli-corpus';

/** in/ holds a module-like tree; elsewhere/ is what a link inside a destination points to. */
function module(work: string): void {
  fs.mkdirSync(path.join(work, 'in', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(work, 'in', 'a.ps1'), 'Write-Output "a"\r\n');
  fs.writeFileSync(path.join(work, 'in', 'sub', 'b.psm1'), 'function B { 2 }\r\n');
  fs.mkdirSync(path.join(work, 'elsewhere'));
  fs.writeFileSync(path.join(work, 'elsewhere', 'victim.ps1'), 'keep me\r\n');
}

const remove = (out: string) => ['sign', '{work}/in', '--out', out, '--remove'];

corpus('vmm-cli-sign-', [
  { name: 'no --out', argv: ['sign', '{work}/in', '--remove'], setup: module, code: 2, kind: 'BadInput', message: '--out <dir> is required' },
  { name: 'no input at all', argv: ['sign'], code: 2, kind: 'BadInput', message: 'Not enough non-option arguments: got 0, need at least 1' },
  { name: 'an input that does not exist', argv: ['sign', '{work}/nope', '--out', '{work}/out', '--remove'], code: 2, kind: 'NotFound', message: /^sign: the input \/.+\/nope does not exist$/ },
  { name: '--out is the input folder', argv: remove('{work}/in'), setup: module, code: 2, kind: 'Overlap', message: /^sign: the output folder \/.+\/in is the input folder \/.+\/in; choose an output folder outside it$/ },
  {
    name: '--out inside the input folder (would nest on every run)',
    argv: remove('{work}/in/signed'),
    setup: module,
    code: 2,
    kind: 'Overlap',
    message: /^sign: the output folder \/.+\/in\/signed is inside the input folder \/.+\/in; choose an output folder outside it$/,
  },
  {
    name: '--out is a link to the input folder (real paths compared)',
    argv: remove('{work}/link-to-in'),
    setup: thenLink(module, 'link-to-in', 'in'),
    code: 2,
    kind: 'Overlap',
    message: /^sign: the output folder \/.+\/link-to-in is the input folder \/.+\/in \(it resolves to \/.+\/in\); choose an output folder outside it$/,
  },
  {
    name: '--out below a link into the input folder',
    argv: remove('{work}/link-to-in/out'),
    setup: thenLink(module, 'link-to-in', 'in'),
    code: 2,
    kind: 'Overlap',
    message: /is inside the input folder .+ \(it resolves to \/.+\/in\/out\)/,
  },
  { name: '--out holds the input folder', argv: ['sign', '{work}/in', '--out', '{work}', '--remove'], setup: module, code: 2, kind: 'Overlap', message: /^sign: the output folder \/.+ holds the input folder \/.+\/in; choose an output folder outside it$/ },
  {
    name: '--out is a file',
    argv: remove('{work}/out.txt'),
    setup: thenFile(module, 'out.txt'),
    code: 2,
    kind: 'NotAFolder',
    message: /^sign: the output folder \/.+\/out\.txt is a file; a folder is expected$/,
  },
  {
    name: 'a folder link inside the output folder is not followed',
    argv: remove('{work}/out'),
    setup: thenLink(module, 'out/sub', 'elsewhere'),
    code: 2,
    kind: 'LinkInDestination',
    message: /^sign: refusing to write through the link \/.+\/out\/sub \(it points to \/.+\/elsewhere\) inside \/.+\/out: remove the link or choose another folder$/,
  },
  {
    name: 'a file link inside the output folder is not followed',
    argv: remove('{work}/out'),
    setup: thenLink(module, 'out/a.ps1', 'elsewhere/victim.ps1'),
    code: 2,
    kind: 'LinkInDestination',
    message: /^sign: refusing to write through the link \/.+\/out\/a\.ps1 \(it points to \/.+\/elsewhere\/victim\.ps1\)/,
  },
  { name: 'a catalog name with a folder in it', argv: ['sign', '{work}/in', '--out', '{work}/out', '--catalog', '../x.cat', '--remove'], setup: module, code: 2, kind: 'BadInput', message: "sign: --catalog takes a file name (e.g. VmmBackup.cat), not '../x.cat'" },
  { name: 'an unknown hash', argv: ['sign', '{work}/in', '--out', '{work}/out', '--hash', 'md5'], setup: module, code: 2, kind: 'BadInput', message: /^Invalid values:\s+Argument: hash, Given: "md5", Choices: "sha256", "sha384", "sha512"$/ },
  { name: 'an unknown --include-chain', argv: ['sign', '{work}/in', '--out', '{work}/out', '--include-chain', 'some'], setup: module, code: 2, kind: 'BadInput', message: /^Invalid values:\s+Argument: include-chain, Given: "some"/ },
  {
    name: 'no signing key named',
    argv: ['sign', '{work}/in', '--out', '{work}/out'],
    env: { VMMBACKUP_SIGN_PFX: undefined, VMMBACKUP_SIGN_CERT: undefined, VMMBACKUP_SIGN_KEY: undefined },
    setup: module,
    code: 2,
    kind: 'BadInput',
    message: 'name a signing key: --pfx <file> or --cert <pem> --key <pem> (or VMMBACKUP_SIGN_PFX / VMMBACKUP_SIGN_CERT and VMMBACKUP_SIGN_KEY)',
  },
  { name: 'a PFX that does not exist', argv: ['sign', '{work}/in', '--out', '{work}/out', '--pfx', '{work}/none.pfx', '--password-env', 'CORPUS_PFX_PW'], env: { CORPUS_PFX_PW: 'x' }, setup: module, code: 2, kind: 'NotFound', message: /^--pfx \/.+\/none\.pfx does not exist$/ },
  { name: 'a folder given as the PFX', argv: ['sign', '{work}/in', '--out', '{work}/out', '--pfx', '{work}/in', '--password-env', 'CORPUS_PFX_PW'], env: { CORPUS_PFX_PW: 'x' }, setup: module, code: 2, kind: 'NotAFile', message: /^--pfx \/.+\/in is a folder; a file is expected$/ },
  { name: 'a password variable that is not set', argv: ['sign', '{work}/in', '--out', '{work}/out', '--pfx', '{work}/in/a.ps1', '--password-env', 'CORPUS_UNSET_VAR'], env: { CORPUS_UNSET_VAR: undefined }, setup: module, code: 2, kind: 'MissingPassword', message: 'environment variable CORPUS_UNSET_VAR is not set' },
  {
    name: 'a PFX that is not a PFX: exit 1, nothing written',
    argv: ['sign', '{work}/in', '--out', '{work}/out', '--pfx', '{work}/in/a.ps1', '--password-env', 'CORPUS_PFX_PW'],
    env: { CORPUS_PFX_PW: 'x' },
    setup: module,
    code: 1,
    kind: 'SigningKey',
    message: /^cannot load the signing key: /,
  },
  {
    name: 'a good --remove run writes only into the output folder',
    argv: remove('{work}/out'),
    setup: module,
    code: 0,
    mayChange: 'out',
    check: (run, w) => {
      expect(JSON.parse(run.stdout).files.map((f: { file: string }) => f.file)).toEqual(['a.ps1', 'sub/b.psm1']);
      expect(fs.readFileSync(path.join(w, 'out', 'sub', 'b.psm1'), 'utf8')).toBe('function B { 2 }\r\n');
    },
  },
]);
