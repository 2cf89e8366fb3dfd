/**
 * Script files as the PowerShell SIP sees them: which comment style carries the signature block, how the text
 * is read (UTF-16LE when the file starts with FF FE, otherwise UTF-8/ASCII), what is hashed (the text before
 * the block, as UTF-16LE code units, BOM included), and how the block is written and found.
 */
import * as path from 'node:path';

export interface CommentStyle {
  open: string;
  close: string;
}

const HASH: CommentStyle = { open: '# ', close: '' };
const XML: CommentStyle = { open: '<!-- ', close: ' -->' };
const C: CommentStyle = { open: '/* ', close: ' */' };

/** File extensions the PowerShell SIP signs, with the comment style of their signature block. */
export const SCRIPT_FORMATS: Record<string, CommentStyle> = {
  '.ps1': HASH,
  '.psm1': HASH,
  '.psd1': HASH,
  '.ps1xml': XML,
  '.psc1': XML,
  '.cdxml': XML,
  '.mof': C,
};

export const HEADER = 'SIG # Begin signature block';
export const FOOTER = 'SIG # End signature block';

export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

export function styleFor(file: string): CommentStyle | undefined {
  return SCRIPT_FORMATS[path.extname(file).toLowerCase()];
}

export type Encoding = 'utf16le' | 'utf8';

export function encodingOf(bytes: Buffer): Encoding {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf16le' : 'utf8';
}

const encode = (s: string, enc: Encoding): Buffer => Buffer.from(s, enc);

/** The SIP's view of a file: the signed content and, if present, the signature block. */
export interface ScriptParts {
  encoding: Encoding;
  /** Bytes before the signature block (the whole file when unsigned). */
  content: Buffer;
  /** The block's bytes, from the CRLF that precedes the header to the end of the file. */
  block?: Buffer;
  /** The DER signature decoded from the block (undefined when unsigned). */
  signature?: Buffer;
  /** Why the block could not be read, when it is present but malformed. */
  blockError?: string;
}

/**
 * Split a file into content and signature block. The block starts at the first line that begins with the
 * commented header; the line break before it belongs to the block.
 */
export function splitScript(bytes: Buffer, style: CommentStyle): ScriptParts {
  const encoding = encodingOf(bytes);
  const unit = encoding === 'utf16le' ? 2 : 1;
  const marker = encode(style.open + HEADER, encoding);
  const lf = encode('\n', encoding);
  const cr = encode('\r', encoding);
  let at = -1;
  for (let from = 0; ; ) {
    const i = bytes.indexOf(marker, from);
    if (i < 0) break;
    const aligned = i % unit === 0;
    if (aligned && i >= unit && bytes.subarray(i - unit, i).equals(lf)) {
      at = i;
      break;
    }
    from = i + 1;
  }
  if (at < 0) return { encoding, content: bytes };
  let start = at - unit;
  if (start >= unit && bytes.subarray(start - unit, start).equals(cr)) start -= unit;
  const content = bytes.subarray(0, start);
  const block = bytes.subarray(start);
  try {
    return { encoding, content, block, signature: decodeBlock(block.toString(encoding), style) };
  } catch (e) {
    return { encoding, content, block, blockError: (e as Error).message };
  }
}

function decodeBlock(text: string, style: CommentStyle): Buffer {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== '') throw new ScriptError('the signature block does not start on its own line');
  if (lines[1] !== style.open + HEADER + style.close) throw new ScriptError('malformed signature block header');
  let i = 2;
  const parts: string[] = [];
  for (; i < lines.length && lines[i] !== style.open + FOOTER + style.close; i++) {
    const line = lines[i];
    if (!line.startsWith(style.open) || !line.endsWith(style.close)) throw new ScriptError(`malformed signature line ${i}`);
    const b64 = line.slice(style.open.length, line.length - style.close.length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new ScriptError(`signature line ${i} is not base64`);
    parts.push(b64);
  }
  if (i >= lines.length) throw new ScriptError('the signature block has no end line');
  const rest = lines.slice(i + 1);
  if (rest.length !== 1 || rest[0] !== '') throw new ScriptError('unexpected text after the signature block');
  const joined = parts.join('');
  if (joined.length % 4 !== 0) throw new ScriptError('the signature is not whole base64');
  const der = Buffer.from(joined, 'base64');
  if (der.toString('base64') !== joined) throw new ScriptError('the signature is not canonical base64');
  return der;
}

/** The signature block for `der`, in the file's encoding: CRLF, header, 64-character base64 lines, footer, CRLF. */
export function encodeBlock(der: Buffer, style: CommentStyle, encoding: Encoding): Buffer {
  const b64 = der.toString('base64');
  const lines = [style.open + HEADER + style.close];
  for (let i = 0; i < b64.length; i += 64) lines.push(style.open + b64.slice(i, i + 64) + style.close);
  lines.push(style.open + FOOTER + style.close);
  return encode('\r\n' + lines.join('\r\n') + '\r\n', encoding);
}

/** The bytes the SIP hashes: the content as UTF-16LE code units (UTF-8 content is transcoded, BOM kept). */
export function sipHashInput(content: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'utf16le') return content;
  return Buffer.from(content.toString('utf8'), 'utf16le');
}

export interface Normalised {
  bytes: Buffer;
  /** What was changed, for reporting. */
  changes: string[];
}

/**
 * Make a script's bytes mean the same on every Windows machine before it is signed: CRLF line breaks, and
 * either pure ASCII, UTF-8 with a BOM, or UTF-16LE with a BOM (UTF-16BE is converted to UTF-16LE). Text
 * without a BOM that is not valid UTF-8 is refused (its meaning would depend on the code page).
 */
export function normaliseScript(bytes: Buffer, name = 'file'): Normalised {
  if (bytes.length < 4) throw new ScriptError(`${name} is shorter than 4 bytes; the PowerShell SIP cannot sign it`);
  const changes: string[] = [];
  let text: string;
  let encoding: Encoding;
  let bom = false;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf16le';
    text = bytes.subarray(2).toString('utf16le');
    bom = true;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    if (swapped.length % 2) throw new ScriptError(`${name}: odd length for UTF-16`);
    swapped.swap16();
    text = swapped.toString('utf16le');
    encoding = 'utf16le';
    bom = true;
    changes.push('UTF-16BE converted to UTF-16LE');
  } else {
    encoding = 'utf8';
    const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const body = hasBom ? bytes.subarray(3) : bytes;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      throw new ScriptError(`${name} is neither UTF-16 nor valid UTF-8; save it as UTF-8 with a BOM`);
    }
    const ascii = body.every((b) => b < 0x80);
    bom = hasBom || !ascii;
    if (!hasBom && !ascii) changes.push('UTF-8 byte order mark added');
  }
  const crlf = text.replace(/\r\n|\r|\n/g, '\r\n');
  if (crlf !== text) changes.push('line breaks converted to CRLF');
  const out =
    encoding === 'utf16le'
      ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')])
      : Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(crlf, 'utf8')]);
  if (out.length < 4) throw new ScriptError(`${name} is shorter than 4 bytes; the PowerShell SIP cannot sign it`);
  return { bytes: out, changes };
}
