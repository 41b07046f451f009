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

export function sameList(p: Extract<Paragraph, { kind: 'item' }>, style: Marker['style'], expect: number): boolean {
  if (p.marker.style !== style) return false;
  return !('ordinal' in p.marker) || p.marker.ordinal === expect;
}

/** The format stores ordinary single spaces: the sample's non-breaking spaces and runs of spaces are layout. */
export function clean(text: string): string {
  return text.replace(/[\u00a0 \t]+/g, ' ').trim();
}


/** A list marker as printed: the marker assembly prints for that style and number. */
export function listMarkerText(m: Marker & { ordinal: number }): string {
  return formatMarker(m.style, m.ordinal);
}
