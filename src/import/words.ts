// import: the small words of recognising a sample: ids made from its text,
// spacing as the clause format stores it, and list markers as printed. Pure.
import type { Marker, Paragraph } from './paragraphs.js';
import { formatMarker } from '../assemble/wording.js';

export function slug(s: string, max = 3): string {
  const words = s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !['the', 'a', 'an', 'of', 'and', 'or', 'to', 'in', 'for', 'on', 'at', 'by', 'with', 'is', 'be'].includes(w));
  return words.slice(0, max).join('-').replace(/-+/g, '-').replace(/^-|-$/g, '') || 'text';
}

export class Ids {
  private readonly used = new Set<string>();
  take(base: string): string {
    const b = base.slice(0, 60).replace(/-$/, '') || 'text';
    let id = b;
    for (let n = 2; this.used.has(id); n++) id = `${b}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** Whether an item goes on a list of this style whose next number is `expect`. */
export function sameList(p: Extract<Paragraph, { kind: 'item' }>, style: string, expect: number): boolean {
  return readingIn(p.marker, style, expect) !== undefined;
}

/** The reading of a marker in this style with this number (a letter that is also a Roman numeral has two). */
export function readingIn(m: Marker, style: string, expect?: number): Marker | undefined {
  if (!('ordinal' in m)) return m.style === style ? m : undefined;
  for (const r of m.or ? [m, m.or] : [m]) if (r.style === style && (expect === undefined || r.ordinal === expect)) return { style: r.style, ordinal: r.ordinal };
  return undefined;
}

/** The reading of a marker that starts a list of another style than those given (its first item: a bullet, or number one). */
export function startOfList(m: Marker, not: readonly string[]): Marker | undefined {
  if (!('ordinal' in m)) return not.includes(m.style) ? undefined : m;
  for (const r of m.or ? [m, m.or] : [m]) if (r.ordinal === 1 && !not.includes(r.style)) return { style: r.style, ordinal: 1 };
  return undefined;
}

/** The format stores ordinary single spaces: the sample's non-breaking spaces and runs of spaces are layout. */
export function clean(text: string): string {
  return text.replace(/[\u00a0 \t]+/g, ' ').trim();
}


/** A list marker as printed: the marker assembly prints for that style and number. */
export function listMarkerText(m: { style: string; ordinal: number }): string {
  return formatMarker(m.style, m.ordinal);
}

/** A sub-heading: one to six words, the first capitalised, no sentence punctuation, no placeholder or blank. */
export function isSubHeading(text: string): boolean {
  const t = clean(text);
  const words = t.split(' ');
  return words.length <= 6 && /^[A-Z]/.test(t) && !/[.:;,!?)\]"”_{}]$/.test(t) && !/_{3,}|[{}]/.test(t) && !/^(?:and|or|but)$/i.test(words[words.length - 1]!);
}
