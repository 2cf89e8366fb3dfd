/**
 * The handlebars environment of the emitters: templates are read from templates/ by name, compiled once,
 * with HTML escaping off (the outputs are code) and strict mode on (a missing field is an error, not "").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { helpText, psString, psStringArray, wrap } from './powershell';

export const TEMPLATES_DIR = path.resolve(__dirname, '../../templates');

const hb = Handlebars.create();
hb.registerHelper('ps', (value: string) => psString(value));
hb.registerHelper('psArray', (values: string[]) => psStringArray(values));
hb.registerHelper('help', (value: string) => helpText(value));
hb.registerHelper('wrap', (value: string, indent: string) => wrap(helpText(value), 110, typeof indent === 'string' ? indent : ''));
hb.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);

const cache = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Renders templates/<name> with `data`. Code templates are not escaped; HTML templates (`*.html.hbs`) are,
 * so every model value reaches a page as text.
 */
export function render(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    template = hb.compile(readTemplate(name), { noEscape: !name.endsWith('.html.hbs'), strict: true });
    cache.set(name, template);
  }
  return template(data);
}

/** The raw text of templates/<name>, for files copied as they are (cmdlet bodies, private helpers). */
export function readTemplate(name: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, ...name.split('/')), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

export function templateExists(name: string): boolean {
  return fs.existsSync(path.join(TEMPLATES_DIR, ...name.split('/')));
}

/** Template file names in a folder of templates/, sorted. */
export function listTemplates(folder: string, extension: string): string[] {
  const dir = path.join(TEMPLATES_DIR, folder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((f) => `${folder}/${f}`);
}

/** Makes templates/<templateName> available to other templates as `{{> name}}`. */
export function registerPartial(name: string, templateName: string): void {
  hb.registerPartial(name, readTemplate(templateName));
}
