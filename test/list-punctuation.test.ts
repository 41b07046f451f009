// list-punctuation: a warning when the items a district leaves out make an item
// last whose text ends as a middle item does, or take away the "and" before the last. The positive case is in the
// error corpus (list-punctuation-strict); these are the cases that must stay quiet.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { planBuild } from '../src/build/pipeline.js';
import { tempDir } from './temp.js';

const CASE = join(import.meta.dirname, 'fixtures', 'errors', 'list-punctuation-strict');

function codes(options: string, deviations = '', keepPositions?: number, lastItem?: string): string[] {
  return diagnostics(options, deviations, keepPositions, lastItem).map((d) => d.code).sort();
}

function diagnostics(options: string, deviations = '', keepPositions?: number, lastItem?: string, header = ''): Diagnostic[] {
  const dir = tempDir('sro-punct-');
  cpSync(CASE, dir, { recursive: true });
  if (header) {
    const clause = join(dir, 'policies', '9001.yaml');
    writeFileSync(clause, readFileSync(clause, 'utf8').replace('kind: policy\n', `kind: policy\n${header}\n`));
  }
  if (lastItem) {
    const clause = join(dir, 'policies', '9001.yaml');
    writeFileSync(clause, readFileSync(clause, 'utf8').replace('text: a helmet.', `text: ${lastItem}`));
  }
  const config = readFileSync(join(dir, 'district.yaml'), 'utf8').replace('options: { bring-helmet: false }', `options: ${options}${deviations}`);
  writeFileSync(join(dir, 'district.yaml'), config);
  const diags = new Diagnostics();
  planBuild({ config: join(dir, 'district.yaml'), cwd: dir, ...(keepPositions !== undefined ? { keepPositions } : {}) }, diags);
  return diags.items;
}

describe('list-punctuation', () => {
  it('is reported when the sample’s last item is left out and the new last item ends with "; and"', () => {
    expect(codes('{ bring-helmet: false }')).toContain('list-punctuation');
    // At the same place when a large manual has let go of the file's positions (noted before, not parsed again).
    const at = (keep?: number) => diagnostics('{ bring-helmet: false }', '', keep).find((d) => d.code === 'list-punctuation')?.range;
    expect(at(0)).toEqual(at());
  });

  it('is not reported for a clause file whose lists stand item by item (list-punctuation: none)', () => {
    const found = diagnostics('{ bring-helmet: false }', '', undefined, undefined, 'list-punctuation: none').map((d) => d.code);
    expect(found).not.toContain('list-punctuation');
    expect(diagnostics('{ bring-helmet: false }', '', undefined, undefined, 'list-punctuation: sentence').map((d) => d.code)).toContain('list-punctuation');
  });

  it('is not reported when the sample’s last item is kept', () => {
    expect(codes('{ bring-helmet: true }')).not.toContain('list-punctuation');
  });

  it('is not reported when the sample’s own last item ends with ";" too (no other ending to lose)', () => {
    expect(codes('{ bring-helmet: false }', '', undefined, 'a helmet;')).not.toContain('list-punctuation');
  });

  it('is not reported once deviations give the new last item its ending and the one before it its "and"', () => {
    const lock = '\n      - replace: bring-lock\n        text: a lock.\n        reason: The list ends with the lock.\n        sample-hash: 2ea07094';
    const bicycle = '\n      - replace: bring-bicycle\n        text: a bicycle; and\n        reason: The lock is the last item now.\n        sample-hash: 29fca5e9';
    // The last item fixed alone leaves "a bicycle;" / "a lock.": the "and" went with the lock's old text.
    expect(codes('{ bring-helmet: false }', `\n    deviations:${lock}`)).toEqual(['list-punctuation']);
    const deviation = `\n    deviations:${lock}${bicycle}`;
    expect(codes('{ bring-helmet: false }', deviation)).toEqual([]);
    // A large manual notes where such an item's text is before letting go of the file's
    // positions; the note is no part of the item's content, whose hash the deviation records.
    expect(codes('{ bring-helmet: false }', deviation, 0)).toEqual([]);
  });
});
