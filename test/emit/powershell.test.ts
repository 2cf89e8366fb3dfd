import { helpText, psString, psStringArray, psValue, wrap } from '../../src/emit/powershell';

describe('PowerShell literals', () => {
  it('doubles every quote character PowerShell reads as a single quote', () => {
    expect(psString("it's")).toBe("'it''s'");
    expect(psString('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(psString('$(whoami) `n')).toBe("'$(whoami) `n'");
  });

  it('writes arrays, nulls, booleans and ordered dictionaries', () => {
    expect(psStringArray([])).toBe('@()');
    expect(psStringArray(['a', "b'"])).toBe("@('a', 'b''')");
    expect(psValue({ A: 1, B: null, C: true, 'd-e': ['x'] })).toBe("[ordered]@{ A = 1; B = $null; C = $true; 'd-e' = @('x') }");
    expect(() => psValue(Number.NaN)).toThrow(/NaN/);
  });

  it('keeps help text from closing the comment block', () => {
    expect(helpText('a #> b\nc')).toBe('a # > b c');
  });

  it('never starts a wrapped line with a dot, which PowerShell would read as a help keyword', () => {
    const text = 'files such as .vhd .vhdx .iso .inf .vmx .ps1 .vmc and .vsv among them are all taken';
    for (let width = 10; width < 60; width++) {
      for (const line of wrap(text, width, '    ').split('\n')) expect(line.trimStart().startsWith('.')).toBe(false);
    }
  });

  it('wraps prose at the width with the indent', () => {
    const lines = wrap('one two three four five six seven', 16, '  ').split('\n');
    expect(lines.every((l) => l.length <= 16 && l.startsWith('  '))).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ').trim()).toBe('one two three four five six seven');
  });
});
