/**
 * What the sub-commands share at the terminal: a password prompt without echo, a quiet end when the reader of
 * standard output goes away, plain-text tables and a progress line. The commands import these from here and
 * never from each other.
 */
import { badInput, CliError } from './errors';

/** Read a password without echo from the terminal (never from argv). */
export function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(badInput('no password: set --password-env VAR (or VMMBACKUP_SIGN_PASSWORD), or run on a terminal to be prompted', 'MissingPassword'));
  }
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Ends quietly when the reader of standard output goes away (`vmm-backup plan backup | head`). */
let pipeGuarded = false;
export function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/** A plain-text table: columns padded to their widest cell, the last column free. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * A progress line on standard error while `work` runs (only on a terminal): a spinner with the elapsed time,
 * or a bar once `status` reports a percentage.
 */
export async function withProgress<T>(label: string, enabled: boolean, work: (status: (text: string, percent?: number) => void) => Promise<T>): Promise<T> {
  if (!enabled || !process.stderr.isTTY) return work(() => undefined);
  const frames = ['|', '/', '-', '\\'];
  const started = Date.now();
  let n = 0;
  let detail = '';
  let percent: number | undefined;
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const head = percent === undefined ? frames[n++ % frames.length] : `[${'#'.repeat(Math.round(percent / 5)).padEnd(20, '-')}] ${String(percent).padStart(3)}%`;
    const text = `${head} ${label} ${seconds} s${detail ? `  ${detail}` : ''}`;
    process.stderr.write(`\r\u001b[2K${text.slice(0, (process.stderr.columns || 100) - 1)}`);
  };
  draw();
  const timer = setInterval(draw, 100);
  try {
    return await work((text, value) => {
      detail = text;
      percent = value === undefined || value < 0 ? undefined : Math.min(100, value);
      draw();
    });
  } finally {
    clearInterval(timer);
    process.stderr.write('\r\u001b[2K');
  }
}
