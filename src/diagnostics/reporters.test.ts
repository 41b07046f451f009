import { describe, expect, it } from 'vitest';
import { keepLines } from './reporters.js';

/** The straightforward way: split the whole text, blank the other lines. */
const reference = (text: string, keep: Set<number>) =>
  text
    .split('\n')
    .map((l, i) => (keep.has(i) ? l : ''))
    .join('\n');

describe('keepLines', () => {
  it('keeps the chosen lines in place and blanks the rest, as splitting the text would', () => {
    const texts = ['', '\n', 'one', 'one\n', 'one\ntwo', 'a\n\nb\r\nc\n', 'x\n'.repeat(9) + 'last', 'ünï\ncödé — ok\n\n'];
    for (const text of texts) {
      const count = text.split('\n').length;
      for (const keep of [[], [0], [count - 1], [0, count - 1], [-1, 1, 2, count + 3], [2, 1, 1]]) {
        const sources = new Map([['f.yaml', text]]);
        expect(keepLines(sources, 'f.yaml', keep), JSON.stringify({ text, keep })).toBe(reference(text, new Set(keep)));
      }
    }
  });
});
