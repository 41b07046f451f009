// The shipped example manual (examples/district.yaml with the shipped library
// and the district's own policies) must build without errors and match its
// reviewed golden output.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from './build-helpers.js';
import { expectGolden, FIXTURES } from './golden.js';

const ROOT = join(import.meta.dirname, '..');

describe('examples/district.yaml', () => {
  it('builds the whole manual as reviewed', () => {
    const { files, diags } = buildInMemory(join(ROOT, 'examples', 'district.yaml'), ROOT);
    expect(diags.errorCount).toBe(0);
    expectGolden(join(FIXTURES, 'example-manual'), files);
  });

  it('links cross-references between the policies of the manual, in both formats', () => {
    const { files } = buildInMemory(join(ROOT, 'examples', 'district.yaml'), ROOT);
    expect(files['5142.4.html']).toContain('<a href="5142.html">5142 - Safety</a>');
    expect(files['5142.4.md']).toContain('(cf. [5142 - Safety](5142.md))');
    expect(files['5142.4.md']).toContain('(cf. 5114 - Suspension/Expulsion; Student Due Process)');
    expect(files['5141.6.html']).toMatch(/Referenced by[\s\S]*<a href="5142.4.html">5142.4 School Resource Officer<\/a>/);
    const index = files['index.html']!;
    const order = ['5141.6', '5142', '5142.4', '5145.12'].map((n) => index.indexOf(`<a href="${n}.html">${n}</a>`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
