// The sample edition of 5142.4 must reproduce the publisher's sample word for
// word, in order (markup removed, whitespace and non-breaking spaces normalised).
// The one addition is sro-policy's own end markers, which close each alternative
// group and run of optional language (MARKERS): they are the only words taken out.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from './build-helpers.js';
import { FIXTURES } from './golden.js';
import { firstDifference, htmlWords, markdownWords, seedWords } from './words.js';
import { tempDir } from './temp.js';
import { DEFAULT_LABELS } from '../src/read/policy.js';

/** Words the sample edition adds to the publisher's text: where an alternative group or a run of optional language ends. */
const MARKERS = [DEFAULT_LABELS.alternativeEnd, DEFAULT_LABELS.optionalEnd];

/** A page without the end markers, so that what is left must be the publisher's words alone. */
function withoutMarkers(page: string): string {
  let out = page;
  for (const m of MARKERS) out = out.replaceAll(`*${m}*`, '').replaceAll(`<p class="label">${m}</p>`, '');
  return out;
}

const ROOT = join(import.meta.dirname, '..');
const SHARED_SEED = join(ROOT, '..', 'shared', 'seed', '000_407f44ad4286b70c.txt');
const VENDORED_SEED = join(FIXTURES, 'seed', '5142.4.txt');

function seed(): string {
  return readFileSync(existsSync(SHARED_SEED) ? SHARED_SEED : VENDORED_SEED, 'utf8');
}

function sampleEdition(library?: string) {
  const dir = tempDir('sro-fidelity-');
  const config = join(dir, 'district.yaml');
  writeFileSync(
    config,
    [
      'district: { name: Test District, board: Test Board of Education, town: Testtown, state: Connecticut }',
      ...(library ? [`library: ${JSON.stringify(library)}`] : []),
      'policies:',
      '  "5142.4": {}',
      '',
    ].join('\n'),
  );
  return buildInMemory(config, dir, { edition: 'sample' }).files;
}

describe('sample edition of 5142.4', () => {
  it('uses the same seed as ../shared (vendored copy is identical)', () => {
    if (!existsSync(SHARED_SEED)) return; // outside this workspace only the vendored copy exists
    expect(readFileSync(VENDORED_SEED, 'utf8')).toBe(readFileSync(SHARED_SEED, 'utf8'));
  });

  it('HTML reproduces the seed word for word', () => {
    const files = sampleEdition();
    const diff = firstDifference(seedWords(seed()), htmlWords(withoutMarkers(files['5142.4.sample.html']!)));
    expect(diff).toBeUndefined();
  });

  it('Markdown reproduces the seed word for word', () => {
    const files = sampleEdition();
    const diff = firstDifference(seedWords(seed()), markdownWords(withoutMarkers(files['5142.4.sample.md']!)));
    expect(diff).toBeUndefined();
  });

  it('closes each alternative group and run of optional language with a marker, and adds no other words', () => {
    const md = sampleEdition()['5142.4.sample.md']!;
    // goals (alternatives), the optional duties, regulations (alternatives): the last is the body's end.
    expect(md.split(`*${DEFAULT_LABELS.alternativeEnd}*`).length - 1).toBe(2);
    expect(md.split(`*${DEFAULT_LABELS.optionalEnd}*`).length - 1).toBe(1);
    expect(md).toMatch(/10\. Operating as a liaison between the community and the District\.\n\n\*End of optional language\.\*\n\n(?:.*\n)*?The Superintendent of Schools/);
  });

  it('shows the revision mark as struck and inserted text', () => {
    const files = sampleEdition();
    expect(files['5142.4.sample.html']).toContain('the district <del>will</del> <ins>may</ins> employ');
    expect(files['5142.4.sample.md']).toContain('the district ~~will~~ **may** employ');
  });

  it('fails when a single word of the library text changes', () => {
    const lib = tempDir('sro-lib-');
    cpSync(join(ROOT, 'policies'), lib, { recursive: true });
    const file = join(lib, '5142.4.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('more orderly, safer and secure', 'more orderly, safe and secure'));
    const files = sampleEdition(lib);
    const diff = firstDifference(seedWords(seed()), htmlWords(withoutMarkers(files['5142.4.sample.html']!)));
    expect(diff).toMatch(/word \d+: expected ".*safer.*" but got ".*safe and.*"/);
  });
});
