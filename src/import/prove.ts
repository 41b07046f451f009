// import, last step: the proof. The sample edition of the clause file just
// written, as words in reading order with its list numbers, against the
// sample's own words: an import is exact only when the two are the same. The
// sample edition's end markers ("End of alternative language.") are
// sro-policy's additions, and are left out. Pure.
import type { DocBlock, DocList, Document, Run } from '../model/model.js';
import { runsToHtml } from '../render/runs.js';
import { legalToHtml } from '../render/legal.js';
import { assertNever } from '../model/walk.js';
import { cfEntry, historyLines } from '../assemble/wording.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };

/** The text of HTML: block tags part words, inline tags (a blank's <span>, <em>) do not. */
function htmlText(html: string): string {
  return html
    .replace(/<\/?(?:p|li|ul|ol|section|div|h\d|br|tr|td|th|table|dl|dt|dd)\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? m);
}

export function words(s: string): string[] {
  return s.replace(/\u00a0/g, ' ').split(/\s+/).filter(Boolean);
}

/** The words of a sample as given, without its list bullets: a bullet, whatever its glyph, is layout, as a list number is not. */
export function sampleWords(input: string): string[] {
  return words(
    input
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => l.replace(/^[\s\u00a0]*(?:[•◦▪·-]|o(?=[\s\u00a0]+[A-Z0-9]))[\s\u00a0]+/, ''))
      .join('\n'),
  );
}

/** The words of a sample edition, with each numbered list item's printed number. */
export function documentWords(doc: Document): string[] {
  const out: string[] = [];
  const push = (s: string | undefined) => {
    if (s !== undefined) out.push(...words(s));
  };
  const runs = (r: readonly Run[] | undefined) => r && push(htmlText(runsToHtml(r)));
  const end = new Set([doc.labels.alternativeEnd, doc.labels.optionalEnd]);
  const list = (l: DocList) => {
    for (const it of l.items) {
      if (it.label && !end.has(it.label)) push(it.label);
      if (l.style !== 'bullet') push(it.marker || undefined);
      runs(it.text);
      it.paragraphs?.forEach(runs);
      if (it.children) list(it.children);
    }
  };
  const block = (b: DocBlock) => {
    switch (b.kind) {
      case 'label':
        if (!end.has(b.text)) push(b.text);
        return;
      case 'annotation':
        return;
      case 'heading':
      case 'paragraph':
        return runs(b.text);
      case 'note':
        push(b.label);
        return runs(b.text);
      case 'list':
        runs(b.leadIn);
        return list(b.list);
      case 'definitions':
        runs(b.leadIn);
        for (const d of b.items) {
          if (d.label && !end.has(d.label)) push(d.label);
          // "Term: text", as Markdown prints it and a sample reads (HTML's <dt> and <dd> are read so too).
          push(`${htmlText(runsToHtml(d.term)).trim()}:`);
          runs(d.text);
        }
        return;
      case 'table':
        runs(b.caption);
        b.columns.forEach(runs);
        for (const r of b.rows) {
          if (r.label && !end.has(r.label)) push(r.label);
          r.cells.forEach(runs);
        }
        return;
      case 'cf':
        for (const e of b.entries) push(`(${b.label} ${cfEntry(e, b.separator)})`);
        return;
      default:
        return assertNever(b, 'block kind');
    }
  };
  push(doc.number);
  push(doc.series.title);
  push(doc.category);
  push(doc.title);
  for (const part of doc.parts) {
    if (part.heading) push(part.verbatim ? part.heading : `${part.heading}: ${part.title}`);
    part.blocks.forEach(block);
    if (part.cf.length && doc.labels.cfHeading) push(doc.labels.cfHeading);
    for (const c of part.cf) {
      const entry = cfEntry(c, doc.labels.cfSeparator);
      push(doc.labels.cfHeading ? entry : `(${doc.labels.cf} ${entry})`);
    }
    if (part.legal.length) push(htmlText(legalToHtml(part, doc)));
    // A line printed on the line before joins it ("Adopted: 1/12/2010; Revised: 3/3/2021").
    for (const h of historyLines(part.history)) push(`${h.label} ${h.date}`);
  }
  return out;
}

export interface Difference {
  /** 1-based index of the first word that differs. */
  at: number;
  expected: string;
  actual: string;
}

/** The stretches where two word lists part, up to `max` of them; [] when they are equal. */
export function differences(expected: readonly string[], actual: readonly string[], max = 5): Difference[] {
  const out: Difference[] = [];
  let i = 0;
  let j = 0;
  while ((i < expected.length || j < actual.length) && out.length < max) {
    if (expected[i] === actual[j]) {
      i++;
      j++;
      continue;
    }
    // Find where they meet again: the nearest pair of equal three-word runs.
    let meet: [number, number] | undefined;
    for (let d = 1; d < 60 && !meet; d++) {
      for (let a = 0; a <= d && !meet; a++) {
        const x = i + a;
        const y = j + (d - a);
        if (x < expected.length && y < actual.length && expected.slice(x, x + 3).join(' ') === actual.slice(y, y + 3).join(' ')) meet = [x, y];
      }
    }
    const [x, y] = meet ?? [expected.length, actual.length];
    out.push({ at: i + 1, expected: expected.slice(Math.max(0, i - 3), x).join(' '), actual: actual.slice(Math.max(0, j - 3), y).join(' ') });
    i = x;
    j = y;
  }
  return out;
}

/** The offsets of the line where the n-th word (1-based) of a sample is: where a mismatch is reported. */
export function lineOfWord(text: string, n: number): [number, number] {
  let count = 0;
  for (const m of text.matchAll(/\S+/g)) {
    // Bullets are not words, as sampleWords reads them.
    if (/^[•◦▪·]$/.test(m[0])) continue;
    if (++count >= n) {
      const start = text.lastIndexOf('\n', m.index) + 1;
      const end = text.indexOf('\n', m.index);
      return [start, end < 0 ? text.length : end];
    }
  }
  return [text.length, text.length];
}
