/** Every sub-command of `vmm-backup`, in the order --help lists them. One module per command. */
import type { CommandModule } from 'yargs';
import { dbCommand } from './db';
import { doctorCommand } from './doctor';
import { drillCommand } from './drill';
import { generateCommand } from './generate';
import { invokeCommand } from './invoke';
import { packCommand } from './pack';
import { planCommand } from './plan';
import { signCommand } from './sign';
import { testCommand } from './test';
import { verifyCommand } from './verify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [generateCommand, signCommand, verifyCommand, packCommand, dbCommand, testCommand, invokeCommand, drillCommand, planCommand, doctorCommand];
