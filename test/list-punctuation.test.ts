// list-punctuation: a warning when the items a district leaves out make an item
// last whose text ends as a middle item does. The positive case is in the
// error corpus (list-punctuation-strict); these are the cases that must stay quiet.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics.js';
import { planBuild } from '../src/pipeline.js';
import { tempDir } from './temp.js';

const CASE = join(import.meta.dirname, 'fixtures', 'errors', 'list-punctuation-strict');

function codes(options: string, deviations = '', keepPositions?: number): string[] {
  const dir = tempDir('sro-punct-');
  cpSync(CASE, dir, { recursive: true });
  const config = readFileSync(join(dir, 'district.yaml'), 'utf8').replace('options: { bring-helmet: false }', `options: ${options}${deviations}`);
  writeFileSync(join(dir, 'district.yaml'), config);
  const diags = new Diagnostics();
  planBuild({ config: join(dir, 'district.yaml'), cwd: dir, ...(keepPositions !== undefined ? { keepPositions } : {}) }, diags);
  return diags.items.map((d) => d.code).sort();
}

describe('list-punctuation', () => {
  it('is reported when the sample’s last item is left out and the new last item ends with "; and"', () => {
    expect(codes('{ bring-helmet: false }')).toContain('list-punctuation');
  });

  it('is not reported when the sample’s last item is kept', () => {
    expect(codes('{ bring-helmet: true }')).not.toContain('list-punctuation');
  });

  it('is not reported once a deviation gives the new last item its ending', () => {
    const deviation = '\n    deviations:\n      - replace: bring-lock\n        text: a lock.\n        reason: The list ends with the lock.\n        sample-hash: 2ea07094';
    expect(codes('{ bring-helmet: false }', deviation)).toEqual([]);
    // A large manual notes where such an item's text is before letting go of the file's
    // positions; the note is no part of the item's content, whose hash the deviation records.
    expect(codes('{ bring-helmet: false }', deviation, 0)).toEqual([]);
  });
});
