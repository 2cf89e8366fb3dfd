import * as fs from 'fs';
import { startTdsServer } from './support/tds-server';
import { connectSql } from '../src/sql';
(async () => {
  const server = await startTdsServer({ rules: [{ match: /^SELECT 42/, rows: [[42]], columns: [{ name: 'x', type: 'int' }] } as any], password: 'pw', tls: { key: fs.readFileSync('/tmp/sc/pki/key.pem'), cert: fs.readFileSync('/tmp/sc/pki/cert.pem') }, onConnectionError: (_c, e) => console.log('server err', e.message) });
  for (const tlsOpt of [{ encrypt: true, ca: '/tmp/sc/pki/cert.pem' }, { encrypt: true }, { encrypt: true, trustServerCertificate: true }]) {
  try {
    const p = await connectSql({ server: `localhost,${server.port}`, auth: { kind: 'sql', user: 'sa', password: 'pw' }, tls: tlsOpt });
    const r = await p.request().query('SELECT 42');
    console.log('connected', JSON.stringify(r.recordset));
    await p.close();
  } catch (e) { console.log('ERR', (e as Error).message, (e as any).code); }
  console.log('logins', JSON.stringify(server.logins));
  }
  await server.stop();
})();
