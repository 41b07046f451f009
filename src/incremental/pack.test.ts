import { describe, expect, it } from 'vitest';
import { pack, unpack } from './pack.js';

describe('pack', () => {
  const text = JSON.stringify({ policies: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [String(5000 + i), { title: `Policy ${i}`, hash: 'ab'.repeat(32) }])) });

  it('unpacks to the same text, and packs the same text to the same bytes', () => {
    expect(unpack(pack(text))).toBe(text);
    expect(pack(text).equals(pack(text))).toBe(true);
    expect(pack(text).length).toBeLessThan(text.length / 4);
  });

  it('gives nothing for bytes that are not a packed file, or would unpack past the limit', () => {
    expect(unpack(undefined)).toBeUndefined();
    expect(unpack(Buffer.from(text))).toBeUndefined();
    expect(unpack(pack(text).subarray(0, 40))).toBeUndefined();
    expect(unpack(pack(text), 1000)).toBeUndefined();
  });
});
