import { describe, expect, it } from 'vitest';
import { comparePolicyNumbers, numberProblem, numberSlug } from './number.js';

const sorted = (xs: string[]) => [...xs].sort(comparePolicyNumbers);

describe('comparePolicyNumbers', () => {
  it('orders Connecticut numbers as decimal fractions', () => {
    expect(sorted(['5131.7', '5131.612', '5131.6', '5131.61', '5131'])).toEqual(['5131', '5131.6', '5131.61', '5131.612', '5131.7']);
    expect(sorted(['5145.121', '5145.12', '5145.11', '5144', '5142.4', '5142'])).toEqual(['5142', '5142.4', '5144', '5145.11', '5145.12', '5145.121']);
  });

  it('never parses numbers as floats', () => {
    // As floats 5131.60 === 5131.6 and 5131.10 < 5131.9; as printed numbers they differ.
    expect(comparePolicyNumbers('5131.6', '5131.60')).toBeLessThan(0);
    expect(sorted(['5131.9', '5131.10'])).toEqual(['5131.10', '5131.9']);
  });

  it('orders Illinois colon numbers as integers after the colon', () => {
    expect(sorted(['2:100', '2:90', '2:20', '10:5', '2:9'])).toEqual(['2:9', '2:20', '2:90', '2:100', '10:5']);
  });

  it('puts a plain number before its suffixed forms', () => {
    expect(sorted(['5132R', '5132', '5132.1', '5131'])).toEqual(['5131', '5132', '5132.1', '5132R']);
    expect(sorted(['P6146', '6146'])).toEqual(['6146', 'P6146']);
  });

  it('orders letter codes and California prefixes alphabetically, then by number', () => {
    expect(sorted(['JLCD', 'JICA', 'BP 5142', 'AR 0450', 'AR 5142'])).toEqual(['AR 0450', 'AR 5142', 'BP 5142', 'JICA', 'JLCD']);
  });

  it('handles multi-level and combined numbers', () => {
    expect(sorted(['5141.22.1', '5141.221', '5141.22', '4118.5/4218.5', '4118.5'])).toEqual(['4118.5', '4118.5/4218.5', '5141.22', '5141.22.1', '5141.221']);
  });

  it('is a total order (antisymmetric)', () => {
    const xs = ['5131.6', '5131.61', '2:90', '2:100', '5132R', 'BP 5142', 'JLCD', '5131.60'];
    for (const a of xs) for (const b of xs) expect(Math.sign(comparePolicyNumbers(a, b)) + Math.sign(comparePolicyNumbers(b, a))).toBe(0);
  });
});

describe('numberSlug and numberProblem', () => {
  it('makes safe file names', () => {
    expect(numberSlug('5142.4')).toBe('5142.4');
    expect(numberSlug('4118.5/4218.5')).toBe('4118.5-4218.5');
    expect(numberSlug('2:90')).toBe('2-90');
    expect(numberSlug('BP 5142')).toBe('BP-5142');
    expect(numberSlug('FFI(LOCAL)')).toBe('FFI-LOCAL');
    expect(numberSlug('../../etc/passwd')).not.toMatch(/\.\.|\//);
  });

  it('refuses numbers that could be paths or hide control characters', () => {
    expect(numberProblem('../x')).toBeDefined();
    expect(numberProblem('a\u0000b')).toBeDefined();
    expect(numberProblem('/etc')).toBeDefined();
    expect(numberProblem('5131..6')).toBeDefined();
    expect(numberProblem('4118.5/4218.5')).toBeUndefined();
    expect(numberProblem('BP 5142')).toBeUndefined();
    // The legal and local documents of one code, as some services number them.
    expect(numberProblem('FFI(LOCAL)')).toBeUndefined();
    expect(comparePolicyNumbers('FFI(LEGAL)', 'FFI(LOCAL)')).toBeLessThan(0);
    for (const n of ['FFI(LOCAL', 'FFI)LOCAL(', 'FFI(a))', '(LOCAL)']) expect(numberProblem(n), n).toBeDefined();
  });
});
