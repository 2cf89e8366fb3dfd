import type { CommandModule } from 'yargs';
import * as path from 'node:path';
import { CliError } from '../errors';

interface GenerateArgs {
  out?: string;
  json?: boolean;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write the module (and every other artifact) from the model into generated/',
  builder: (y) =>
    y
      .option('out', { type: 'string', describe: 'Output folder instead of generated/' })
      .example('$0 generate', 'Regenerate generated/ (writes only files that changed)')
      .example('$0 generate --out /tmp/gen --json', 'Generate elsewhere and print what was written as JSON') as never,
  handler: async (args) => {
    const root = path.resolve(__dirname, '../../..');
    const out = path.resolve(args.out ?? path.join(root, 'generated'));
    void out;
    throw new CliError('generate: not implemented yet');
  },
};
