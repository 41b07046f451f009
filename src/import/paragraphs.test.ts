import { describe, expect, it } from 'vitest';
import { listMarker } from './paragraphs.js';
import { readingIn, startOfList } from './words.js';

describe('listMarker', () => {
  it('reads every numbered style the clause format prints, with the number', () => {
    const cases: [string, string, number][] = [
      ['1. one', '1.', 1],
      ['12) twelve', '1)', 12],
      ['(3) three', '(1)', 3],
      ['b. two', 'a.', 2],
      ['c) three', 'a)', 3],
      ['(d) four', '(a)', 4],
      ['D. four', 'A.', 4],
      ['iv. four', 'i.', 4],
      ['XIV. fourteen', 'I.', 14],
      ['(ii) two', '(i)', 2],
    ];
    for (const [text, style, ordinal] of cases) expect(listMarker(text)?.marker, text).toMatchObject({ style, ordinal });
  });

  it('reads a letter that is also a Roman numeral both ways, the lower number first', () => {
    const i = listMarker('i. first')!.marker;
    expect(i).toEqual({ style: 'i.', ordinal: 1, or: { style: 'a.', ordinal: 9 } });
    // "I." after "H." goes on a lettered list; "I." at the start begins a Roman one.
    expect(readingIn(listMarker('I. ninth')!.marker, 'A.', 9)).toEqual({ style: 'A.', ordinal: 9 });
    expect(startOfList(listMarker('I. first')!.marker, [])).toEqual({ style: 'I.', ordinal: 1 });
    // Numerals past a list's length are letters only.
    expect(listMarker('C. third')!.marker).toEqual({ style: 'A.', ordinal: 3 });
  });

  it('takes no ordinary words for markers', () => {
    for (const text of ['Mr. Smith', 'No. 5 is', 'ab. x', '(1 ) x', '1.5 percent', 'U.S. Code', '(a x', 'iiii. x']) expect(listMarker(text), text).toBeUndefined();
  });
});
