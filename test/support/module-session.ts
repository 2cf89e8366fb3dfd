/** One session of the generated module (through the bridge and the bindings) for all the tests of a file. */
import { createVmmBackupSession } from '../../generated/typescript';
import type { PowerShellSession } from '../../src/bridge';
import { PWSH } from './pwsh';

/** Starts the session before the file's tests and disposes of it after them; call the result inside a test. */
export function useModuleSession(): () => PowerShellSession {
  let session: PowerShellSession | undefined;
  beforeAll(async () => {
    session = createVmmBackupSession({ pwshPath: PWSH });
    await session.start();
  }, 240_000);
  afterAll(() => session?.dispose());
  return () => {
    if (!session) throw new Error('the module session has not started');
    return session;
  };
}
