// The words and numbers assembly prints around the policy's own text: list
// markers ("A.", "(1)", "iv."), dates, and lists of chosen values joined as a
// sentence joins them.
import type { Run } from '../model/model.js';

export const OUTLINE_STYLES = ['1.', 'A.', '(1)', 'a.', '(a)', 'i.'];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2019-04-23" → "April 23, 2019"; "2021-09" → "September 2021". */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  const month = MONTHS[Number(m) - 1] ?? m;
  return d === undefined ? `${month} ${y}` : `${month} ${Number(d)}, ${y}`;
}

/**
 * A date as a sample prints it: MONTH (its name), MM or M, DD or D, YYYY
 * ("M/D/YYYY": 1/12/2010). A month alone ("2021-03") drops the day and the
 * separator after it ("M/YYYY": 3/2021).
 */
export function formatDateAs(iso: string, pattern: string): string {
  const [y, m, d] = iso.split('-');
  const p = d === undefined ? pattern.replace(/D{1,2}[,/.-]?\s*/, '').replace(/\s{2,}/g, ' ') : pattern;
  return p.replace(/MONTH|YYYY|MM|M|DD|D/g, (t) => {
    switch (t) {
      case 'MONTH':
        return MONTHS[Number(m) - 1] ?? m!;
      case 'YYYY':
        return y!;
      case 'MM':
        return m!;
      case 'M':
        return String(Number(m));
      case 'DD':
        return d ?? '';
      default:
        return String(Number(d));
    }
  });
}

/** "high", "high and middle", "high, middle and elementary" (or "…, and …" with the serial comma). */
export function joinGrammatical(items: readonly string[], conjunction: string, serialComma: boolean): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} ${conjunction} ${items[1]}`;
  const head = items.slice(0, -1).join(', ');
  return `${head}${serialComma ? ',' : ''} ${conjunction} ${items[items.length - 1]}`;
}

/** The printed marker of the n-th item (1-based) in a list style. */
export function formatMarker(style: string, n: number): string {
  if (style === 'bullet') return '•';
  // The sample's unchecked box; a district edition prints the items it keeps as bullets.
  if (style === 'checkbox') return '[ ]';
  if (style === 'none') return '';
  const m = /^(\(?)([1aAiI])([.)]?)$/.exec(style);
  if (!m) return `${n}.`;
  const [, open, token, close] = m;
  let body: string;
  switch (token) {
    case 'a':
      body = alpha(n).toLowerCase();
      break;
    case 'A':
      body = alpha(n);
      break;
    case 'i':
      body = roman(n).toLowerCase();
      break;
    case 'I':
      body = roman(n);
      break;
    default:
      body = String(n);
  }
  return `${open}${body}${close || (open ? ')' : '')}`;
}

function alpha(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let s = '';
  let k = n;
  for (const [v, r] of table) while (k >= v) { s += r; k -= v; }
  return s;
}

/** joinGrammatical over runs: "a and b", "a, b and c". */
export function joinRuns(items: Run[][], conjunction: string, serialComma: boolean): Run[] {
  if (items.length <= 1) return items[0] ?? [];
  const out: Run[] = [];
  items.forEach((runs, i) => {
    if (i > 0) {
      const last = i === items.length - 1;
      out.push({ kind: 'md', text: last ? `${items.length > 2 && serialComma ? ',' : ''} ${conjunction} ` : ', ' });
    }
    out.push(...runs);
  });
  return out;
}

/** A cross-reference as printed: "5114 - Title", or the number alone for one the sample prints without its title. */
export function cfEntry(c: { number: string; title: string }, separator: string): string {
  return c.title ? `${c.number}${separator}${c.title}` : c.number;
}

/**
 * History lines as printed: each line's label and date, a line the sample
 * prints on the line before (joined) added to that line's date, after its text.
 */
export function historyLines<T extends { label: string; date: string; joined?: string }>(history: readonly T[]): { entry: T; label: string; date: string }[] {
  const out: { entry: T; label: string; date: string }[] = [];
  for (const h of history) {
    const prev = out[out.length - 1];
    if (h.joined !== undefined && prev) prev.date = `${prev.date}${h.joined}${h.label} ${h.date}`.trimEnd();
    else out.push({ entry: h, label: h.label, date: h.date });
  }
  return out;
}
