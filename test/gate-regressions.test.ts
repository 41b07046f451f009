// Cases a review of the publishability gate and linked decisions found
// wrong (issue 15): each keeps a test. The inputs are in test/fixtures/regressions/.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild } from '../src/build/pipeline.js';
import { pageText } from './build-helpers.js';
import { FIXTURES } from './golden.js';
import { tempDir } from './temp.js';

function build(name: string, opts: { draft?: boolean } = {}) {
  const dir = tempDir('sro-regress-');
  cpSync(join(FIXTURES, 'regressions', name), dir, { recursive: true });
  const diags = new Diagnostics();
  const plan = planBuild({ config: join(dir, 'district.yaml'), cwd: dir, formats: ['md', 'html'], ...opts }, diags);
  const pages = Object.fromEntries((plan?.files ?? []).map((f) => [f.name, pageText(f)]));
  return { codes: diags.items.filter((d) => d.severity === 'error').map((d) => d.code), diags: diags.items, pages };
}

describe('gate and linked decisions: cases that once went wrong', () => {
  it('a condition on optional language inside a dropped section reads it as left out', () => {
    const r = build('option-inside-dropped-section');
    expect(r.codes).toEqual([]);
    expect(r.pages['9125.md']).not.toContain('monthly report');
  });

  it('moving a block next to one of its own blocks is an error, not a crash', () => {
    expect(build('move-next-to-own-child').codes).toEqual(['invalid-deviation']);
  });

  it('doubled words the clause text holds itself pass in lettered definitions and table cells', () => {
    expect(build('doubled-words-in-clause-text').codes).toEqual([]);
  });

  it('a draft lead-in made of an unresolved choice is not an empty lead-in', () => {
    expect(build('draft-lead-in-placeholder', { draft: true }).codes).toEqual([]);
  });

  it('Markdown bold with underscores and a quotation\'s [a]ny are not leftovers', () => {
    expect(build('markdown-bold-and-quoted-brackets').codes).toEqual([]);
  });

  it('an unmarked list keeps its items\' paragraphs in Markdown', () => {
    expect(build('plain-list-item-paragraphs').pages['9001.md']).toContain('Complaints are answered within ten school days.');
  });

  it('a marker the clause file declares is found in a legal reference too', () => {
    expect(build('marker-in-legal-reference').codes).toEqual(['editorial-marker']);
  });
});
