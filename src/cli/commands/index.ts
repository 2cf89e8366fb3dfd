/** Every sub-command of `vmm-backup`, in the order --help lists them. One module per command. */
import type { CommandModule } from 'yargs';
import { generateCommand } from './generate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [generateCommand];
