import { describe, expect, it } from 'vitest';
import { didYouMean, formatList } from './suggest.js';

describe('didYouMean', () => {
  it('suggests the candidate fewest edits away', () => {
    expect(didYouMean('5142.44', ['5142', '5142.4', '5145.12'])).toBe('5142.4');
    expect(didYouMean('5124.4', ['5142.4', '6000'])).toBe('5142.4');
  });
  it('takes a prefix or suffix as a hint', () => {
    expect(didYouMean('invest', ['duties-investigating', 'selection'])).toBe('duties-investigating');
  });
  it('breaks ties in order, and suggests nothing far away', () => {
    expect(didYouMean('ab', ['ac', 'aa'])).toBe('aa');
    expect(didYouMean('selection', ['xyz'])).toBeUndefined();
  });
});

describe('formatList', () => {
  it('joins with the conjunction and shortens long lists', () => {
    expect(formatList(['a', 'b', 'c'], 'or')).toBe('a, b or c');
    expect(formatList(Array.from({ length: 13 }, (_, i) => String(i)), 'and')).toMatch(/… \(13 in all\)$/);
  });
});
