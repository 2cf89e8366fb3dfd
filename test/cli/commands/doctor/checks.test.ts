/** doctor's certificate and SQL checks, in process (no PowerShell needed for these two). */
import * as net from 'node:net';
import { checkCertificate, checkSql, parseSqlServer } from '../../../../src/cli/commands/doctor';
import { makePki, type Pki } from '../../../support/pki';

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});

describe('certificate check', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('a valid code-signing PFX with its password is ok and names the subject and expiry', () => {
    process.env.TEST_PFX_PASSWORD = pki.pfxPassword;
    const check = checkCertificate({ pfx: pki.pfxAes, 'password-env': 'TEST_PFX_PASSWORD' });
    expect(check.status).toBe('ok');
    expect(check.detail).toMatch(/valid until \d{4}-\d\d-\d\d/);
  });

  test('a PEM certificate and key are ok; an expired one and one without the Code Signing EKU fail with a fix', () => {
    expect(checkCertificate({ cert: pki.leafChainPem, key: pki.leafKey }).status).toBe('ok');
    const expired = checkCertificate({ cert: pki.expiredPem, key: pki.expiredKey });
    expect(expired.status).toBe('fail');
    expect(expired.detail).toContain('expired');
    expect(expired.fix).toContain('Code Signing');
    const noEku = checkCertificate({ cert: pki.noEkuPem, key: pki.noEkuKey });
    expect(noEku.status).toBe('fail');
    expect(noEku.detail).toContain('not a code-signing certificate');
  });

  test('a PFX without a password, or nothing configured, says what to set', () => {
    delete process.env.VMMBACKUP_SIGN_PASSWORD;
    const noPassword = checkCertificate({ pfx: pki.pfxAes });
    expect(noPassword).toMatchObject({ status: 'fail', fix: 'set VMMBACKUP_SIGN_PASSWORD to the PFX password' });
    delete process.env.VMMBACKUP_SIGN_PFX;
    delete process.env.VMMBACKUP_SIGN_CERT;
    delete process.env.VMMBACKUP_SIGN_KEY;
    expect(checkCertificate({}).status).toBe('warn');
  });

  test('a certificate that expires within 30 days is a warning', () => {
    const check = checkCertificate({ cert: pki.leafChainPem, key: pki.leafKey });
    const until = new Date(/valid until (\S+)/.exec(check.detail)![1]);
    const late = new Date(until.getTime() - 10 * 86_400_000);
    expect(checkCertificate({ cert: pki.leafChainPem, key: pki.leafKey }, late)).toMatchObject({ status: 'warn', fix: expect.stringContaining('renew') });
  });
});

describe('SQL Server check', () => {
  test('server names: host, host,port, host\\instance, tcp: and (local)', () => {
    expect(parseSqlServer('sql01')).toEqual({ host: 'sql01', port: 1433, instance: undefined });
    expect(parseSqlServer('tcp:sql01,14330')).toEqual({ host: 'sql01', port: 14330, instance: undefined });
    expect(parseSqlServer('sql01\\VMM,1500')).toEqual({ host: 'sql01', port: 1500, instance: 'VMM' });
    expect(parseSqlServer('(local)')).toEqual({ host: '127.0.0.1', port: 1433, instance: undefined });
  });

  test('a listening port is reachable; a closed one fails with a fix', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    expect((await checkSql(`127.0.0.1,${port}`)).status).toBe('ok');
    await new Promise((r) => server.close(r));
    const closed = await checkSql(`127.0.0.1,${port}`);
    expect(closed).toMatchObject({ status: 'fail', detail: `127.0.0.1:${port}: ECONNREFUSED` });
    expect(closed.fix).toContain('TCP/IP enabled');
  });
});
