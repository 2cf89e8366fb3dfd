import type { CommandModule } from 'yargs';
import * as path from 'node:path';
import { generate, GENERATED_DIR } from '../../emit';
import { GENERATED_RECORD } from '../../emit/write';
import { UnsafePathError } from '../../emit/safe-path';
import { badInput, CliError } from '../errors';
import { EXIT_CODE_HELP } from '../exit-codes';
import { nonEmpty } from '../options';

interface GenerateArgs {
  out?: string;
  json?: boolean;
}

/** Path errors of a command as the one table has them: a folder in the wrong place is bad input (2). */
export function pathFailure(error: unknown, prefix = ''): never {
  if (error instanceof UnsafePathError) throw badInput(`${prefix}${error.message}`, error.kind);
  if (error instanceof CliError) throw error;
  throw error;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write the module (and every other artifact) from the model into generated/',
  builder: (y) =>
    y
      .option('out', { type: 'string', describe: `Output folder instead of generated/: new, empty, or one generate wrote before (it keeps a record, ${GENERATED_RECORD}, and removes only files it wrote)`, coerce: nonEmpty('out') })
      .example('$0 generate', 'Regenerate generated/ (writes only files that changed)')
      .example('$0 generate --out /tmp/gen --json', 'Generate elsewhere and print what was written as JSON')
      .epilogue(EXIT_CODE_HELP) as never,
  handler: async (args) => {
    const out = path.resolve(args.out ?? GENERATED_DIR);
    const started = process.hrtime.bigint();
    let report;
    try {
      report = await generate(out);
    } catch (error) {
      pathFailure(error, 'generate: ');
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (args.json) {
      process.stdout.write(JSON.stringify({ out, files: report.files, written: report.written, removed: report.removed, kept: report.kept, unchanged: report.unchanged.length, ms: Math.round(ms) }) + '\n');
    } else {
      const kept = report.kept.length ? `, ${report.kept.length} left alone (not written by generate: ${report.kept.slice(0, 3).join(', ')}${report.kept.length > 3 ? ', …' : ''})` : '';
      process.stdout.write(`generated ${report.files} files into ${out}: ${report.written.length} written, ${report.removed.length} removed, ${report.unchanged.length} unchanged${kept} (${ms.toFixed(0)} ms)\n`);
    }
  },
};
