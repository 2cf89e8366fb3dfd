/** Every sub-command of `vmm-backup`, in the order --help lists them. One module per command. */
import type { CommandModule } from 'yargs';
import { dbCommand } from './db';
import { generateCommand } from './generate';
import { packCommand } from './pack';
import { signCommand } from './sign';
import { verifyCommand } from './verify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [generateCommand, signCommand, verifyCommand, packCommand, dbCommand];
