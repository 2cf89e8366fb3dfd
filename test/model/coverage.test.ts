import * as fs from 'node:fs';
import { model } from '../../src/model';
import { specPath } from '../support/paths';

/** `##`/`###` headings of the specification, plus its `#` title. */
function specHeadings(levels: RegExp): string[] {
  const text = fs.readFileSync(specPath, 'utf8');
  return [...text.matchAll(/^(#{1,6})\s+(.+?)\s*$/gm)].filter((m) => levels.test(m[1])).map((m) => m[2]);
}

describe('coverage of the specification', () => {
  const sections = specHeadings(/^#{2,3}$/);
  const covered = new Set(model.procedures.map((p) => p.section));
  const prose = new Map(model.proseOnly.map((p) => [p.section, p.reason]));

  it('reads the specification sections', () => {
    expect(sections.length).toBeGreaterThan(20);
    expect(sections).toContain('Back up the VMM database');
    expect(sections).toContain('Review add-ins, driver packages, and certificates');
  });

  it.each(specHeadings(/^#{2,3}$/))('section "%s" has a procedure or is prose-only with a reason', (section) => {
    const hasProcedure = covered.has(section);
    const reason = prose.get(section);
    expect(hasProcedure || (reason !== undefined && reason.length > 20)).toBe(true);
    // Not both: a prose-only section must really hold no procedure.
    expect(hasProcedure && reason !== undefined).toBe(false);
  });

  it('names only sections that exist in the specification', () => {
    const all = new Set(specHeadings(/^#{1,6}$/));
    const unknown = [...covered, ...prose.keys()].filter((s) => !all.has(s));
    expect(unknown).toEqual([]);
  });

  it('models the warning that checkpoints are not backups', () => {
    const warning = model.procedures.find((p) => p.id === 'check.checkpoints-not-backups');
    expect(warning?.warning).toMatch(/checkpoints/i);
  });

  it('names every library file type the specification lists', () => {
    const library = model.procedures.find((p) => p.id === 'backup.library');
    for (const ext of ['.vhd', '.vhdx', '.iso', '.inf', '.vmx', '.ps1', '.vmc', '.vsv']) expect(library?.summary).toContain(ext);
  });

  it('has procedures of every kind', () => {
    const kinds = new Set(model.procedures.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['backup', 'check', 'post-restore', 'restore']);
  });
});
