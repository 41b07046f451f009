import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { frontMatterLine } from './render.js';

const reference = (key: string, value: unknown) => jsyaml.dump({ [key]: value }, { lineWidth: -1, schema: jsyaml.CORE_SCHEMA, quotingType: '"', noRefs: true });

/** A small seeded generator (mulberry32): the same strings on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('front matter', () => {
  it('writes what js-yaml writes, for the values pages carry and for awkward ones', () => {
    const values: unknown[] = [
      '1012', '5142.4', '5000', '0', '0123', '1.', '.5', '1e3', '1_000', '0x1F', '1:20', '-1', '+1', '12.5.1',
      'School Resource Officer', 'Students', "Parents' Rights", 'Suspension/Expulsion (Due Process)', 'A, B and C', 'Policy - Draft',
      'yes', 'No', 'ON', 'off', 'y', 'N', 'null', 'Null', 'TRUE', 'false', 'Yes!', 'nothing', 'onward', 'Trueness',
      '', ' leading', 'trailing ', 'two  spaces', 'key: value', 'a #comment', '#x', '- item', '? q', 'x:', 'tab\there', 'line\nbreak',
      'quote "inside"', "'single'", 'em — dash', 'café', '*alias', '&anchor', '!tag', '|', '>', '%', '@', '`', '[a]', '{a}', '~',
      true, false, 12, null, ['2020-01-14'], ['2020-01-14', '2021-03-02'],
    ];
    const next = random(7);
    const alphabet = "aZ09 .,'()/-:#\"\\\t\n—é!&*?|>%@`~[]{}_+";
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const n = Math.floor(next() * 12);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(next() * alphabet.length)];
      values.push(s);
    }
    let fast = 0;
    for (const key of ['title', 'number', 'policy_title', 'district']) {
      for (const v of values) {
        expect(frontMatterLine(key, v), JSON.stringify(v)).toBe(reference(key, v));
        if (typeof v === 'string' && /^[A-Za-z0-9]/.test(v)) fast++;
      }
    }
    // The comparison means something only if many values take the fast path.
    expect(fast).toBeGreaterThan(1000);
  });
});
