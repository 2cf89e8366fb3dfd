/** `vmm-backup verify` under bad input: missing paths and CA files are exit 2; unsigned files exit 1. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpus } from '../../support/cli-corpus';

const files = (work: string) => {
  fs.mkdirSync(path.join(work, 'mod'));
  fs.writeFileSync(path.join(work, 'mod', 'a.ps1'), 'Get-Date\r\n');
  fs.mkdirSync(path.join(work, 'empty'));
  fs.writeFileSync(path.join(work, 'empty', 'readme.txt'), 'no scripts here');
};

corpus('vmm-cli-verify-', [
  { name: 'verify without a path', argv: ['verify'], code: 2, kind: 'BadInput', message: 'Not enough non-option arguments: got 0, need at least 1' },
  { name: 'verify of a path that does not exist', argv: ['verify', '{work}/nope'], code: 2, kind: 'NotFound', message: /^verify: \/.+\/nope does not exist$/ },
  { name: 'a --ca file that does not exist', argv: ['verify', '{work}/mod', '--ca', '{work}/root.pem'], setup: files, code: 2, kind: 'NotFound', message: /^--ca \/.+\/root\.pem does not exist$/ },
  { name: 'a folder given as --ca', argv: ['verify', '{work}/mod', '--ca', '{work}/mod'], setup: files, code: 2, kind: 'NotAFile', message: /^--ca \/.+\/mod is a folder; a file is expected$/ },
  { name: 'a folder given as --tsa-ca', argv: ['verify', '{work}/mod', '--tsa-ca', '{work}/empty'], setup: files, code: 2, kind: 'NotAFile', message: /^--tsa-ca \/.+\/empty is a folder; a file is expected$/ },
  { name: 'a folder without signable files: exit 1', argv: ['verify', '{work}/empty'], setup: files, code: 1, kind: 'NothingToVerify', message: /^verify: no signable files under \/.+\/empty$/ },
  {
    name: 'an unsigned script is not Valid: exit 1 with the results as JSON',
    argv: ['verify', '{work}/mod'],
    setup: files,
    code: 1,
    check: (run) => {
      expect(JSON.parse(run.stdout)).toEqual({ files: [expect.objectContaining({ file: 'a.ps1', status: 'NotSigned' })] });
    },
  },
]);
