import { describe, expect, it } from 'vitest';
import { formatDate, formatDateAs } from './wording.js';

describe('formatDateAs', () => {
  it('prints a date as a sample prints it, and a month alone without its day', () => {
    expect(formatDateAs('2010-01-12', 'M/D/YYYY')).toBe('1/12/2010');
    expect(formatDateAs('2010-01-02', 'MM/DD/YYYY')).toBe('01/02/2010');
    expect(formatDateAs('2023-09', 'M/D/YYYY')).toBe('9/2023');
    expect(formatDateAs('2019-04-23', 'MONTH D, YYYY')).toBe(formatDate('2019-04-23'));
    expect(formatDateAs('2022-11', 'MONTH D, YYYY')).toBe(formatDate('2022-11'));
    expect(formatDateAs('2021-03-03', 'D.M.YYYY')).toBe('3.3.2021');
  });
});
