import { describe, expect, it } from 'vitest';
import { readCommandLine, repeatedOption, wholeNumberOption } from '../server/cli/options';

describe('readCommandLine', () => {
  const options = { k: { type: 'string' }, json: { type: 'string' }, compare: { type: 'boolean' } } as const;

  it('returns the values typed from the options and the arguments', () => {
    expect(readCommandLine(['--k', '3', '--compare', 'why'], options, 1)).toEqual({ values: { k: '3', compare: true }, positionals: ['why'] });
  });

  it('returns help for -h or --help, whatever else is given', () => {
    expect(readCommandLine(['-h'], options)).toBe('help');
    expect(readCommandLine(['--k', '1', '--k', '2', '--help'], options)).toBe('help');
  });

  it('throws for an unknown option, a missing value and an option given twice', () => {
    expect(() => readCommandLine(['--bogus'], options)).toThrow(/--bogus/);
    expect(() => readCommandLine(['--k'], options)).toThrow(/--k/);
    expect(() => readCommandLine(['--json', 'a.json', '--json', 'b.json'], options)).toThrow('--json is given more than once; give it once');
  });

  it('throws for more arguments than maxPositionals (none by default)', () => {
    expect(() => readCommandLine(['stray'], options)).toThrow(/stray/);
    expect(() => readCommandLine(['a', 'b', 'c'], options, 2)).toThrow('unexpected argument "c": this command takes at most 2');
    expect(readCommandLine(['a', 'b', 'c'], options, Infinity)).toEqual({ values: {}, positionals: ['a', 'b', 'c'] });
  });
});

describe('repeatedOption', () => {
  it('names the option as the reader typed it the first time', () => {
    const tokens = [
      { kind: 'option', name: 'help', rawName: '-h' },
      { kind: 'option', name: 'help', rawName: '-h' },
    ];
    expect(repeatedOption(tokens)).toBe('-h is given more than once; give it once');
    expect(repeatedOption([{ kind: 'option', name: 'help', rawName: '-h' }, { kind: 'option', name: 'help', rawName: '--help' }])).toBe('--help is given more than once; give it once');
    expect(repeatedOption([{ kind: 'positional' }, { kind: 'option', name: 'k', rawName: '--k' }])).toBeUndefined();
  });
});

describe('wholeNumberOption', () => {
  it('reads decimal digits only, within the range', () => {
    expect(wholeNumberOption('k', '10', 1, 100)).toBe(10);
    for (const bad of ['0x10', '1e1', ' 3', '3.0', '', '-1']) expect(() => wholeNumberOption('k', bad)).toThrow(`--k must be a whole number ≥ 1 (got "${bad}")`);
    expect(() => wholeNumberOption('k', '101', 1, 100)).toThrow('--k must be a whole number from 1 to 100 (got "101")');
  });
});
