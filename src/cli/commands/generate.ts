import type { CommandModule } from 'yargs';
import * as path from 'node:path';
import { generate, GENERATED_DIR } from '../../emit';

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
    const out = path.resolve(args.out ?? GENERATED_DIR);
    const started = process.hrtime.bigint();
    const report = await generate(out);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (args.json) {
      process.stdout.write(JSON.stringify({ out, files: report.files, written: report.written, removed: report.removed, unchanged: report.unchanged.length, ms: Math.round(ms) }) + '\n');
    } else {
      process.stdout.write(`generated ${report.files} files into ${out}: ${report.written.length} written, ${report.removed.length} removed, ${report.unchanged.length} unchanged (${ms.toFixed(0)} ms)\n`);
    }
  },
};
