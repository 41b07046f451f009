import { describe, expect, it } from 'vitest';
import { keptLines, sparseText } from './reporters.js';

/** The straightforward way: split the whole text, blank the other lines (up to the last one kept). */
const reference = (text: string, keep: Set<number>) => {
  const lines = text.split('\n');
  const last = Math.max(-1, ...[...keep].filter((i) => i >= 0 && i < lines.length));
  return lines
    .slice(0, last + 1)
    .map((l, i) => (keep.has(i) ? l : ''))
    .join('\n');
};

describe('keptLines and sparseText', () => {
  it('keep the chosen lines, numbered, and put them back in place with the rest blank, as splitting the text would', () => {
    const texts = ['', '\n', 'one', 'one\n', 'one\ntwo', 'a\n\nb\r\nc\n', 'x\n'.repeat(9) + 'last', 'ünï\ncödé — ok\n\n', 'tab\there\n\t\n'];
    for (const text of texts) {
      const count = text.split('\n').length;
      for (const keep of [[], [0], [count - 1], [0, count - 1], [-1, 1, 2, count + 3], [2, 1, 1]]) {
        const sources = new Map([['f.yaml', text]]);
        const kept = keptLines(sources, 'f.yaml', keep);
        expect(kept.split('\n').filter(Boolean).length, JSON.stringify({ text, keep })).toBeLessThanOrEqual(new Set(keep).size);
        expect(sparseText(kept), JSON.stringify({ text, keep })).toBe(reference(text, new Set(keep)));
      }
    }
  });

  it('sparseText ignores what keptLines never writes (a hand-edited cache)', () => {
    expect(sparseText('garbage\n3\tthree\n2\tback\nx\ty\n5\tfive')).toBe('\n\nthree\n\nfive');
  });
});
