// import: lists and definitions, as recognise.ts reads them: items of one
// marker style numbered on, nested lists at any depth, paragraphs that continue
// an item, optional items after a label, and "Term: text" definitions. Pure.
import type { Marker, Paragraph } from './paragraphs.js';
import { clean, sameList, slug, startOfList } from './words.js';
import { DraftState, type Draft, type DraftValue } from './draft.js';

export class ListRecogniser extends DraftState {
  /**
   * A list from its first item (or an "Optional Language:" label before it):
   * items with one marker style, numbered on; an "Optional Language:" label
   * inside makes the items after it optional. `start` is the reading of the
   * first item's marker that the list has (see readingIn).
   */
  protected list(paras: Paragraph[], at: number, leadIn: string | undefined, outer: readonly string[] = [], start?: Marker): { block: Draft; next: number } {
    const first = paras.slice(at).find((p) => p.kind === 'item') as Extract<Paragraph, { kind: 'item' }>;
    const marker = start ?? first.marker;
    const style = marker.style;
    const items: Draft[] = [];
    let k = at;
    let optional = false;
    let expect = 'ordinal' in marker ? marker.ordinal : 0;
    const next = (q: Paragraph | undefined) => q?.kind === 'item' && sameList(q, style, expect);
    /** The reading of an item's marker that starts a list nested under the item before (another style, at its first number). */
    const nestedAt = (q: Paragraph | undefined) => (q?.kind === 'item' && !sameList(q, style, expect) ? startOfList(q.marker, [...outer, style]) : undefined);
    for (; k < paras.length; k++) {
      const p = paras[k]!;
      const last = items[items.length - 1];
      if (p.kind === 'label' && p.label === 'optional' && next(paras[k + 1])) {
        if (optional) this.optionalEach = true;
        optional = true;
        this.labels.optional ??= p.text;
        this.count('optional language');
        continue;
      }
      // An end marker between items: the optional items end here, and the list goes on.
      if (p.kind === 'label' && p.label === 'end-optional' && next(paras[k + 1])) {
        optional = false;
        this.endLabel(p.label, p.text);
        continue;
      }
      // A paragraph between items, with the list going on (or its nested list starting) after it: it continues the item.
      const after = paras[k + 1];
      // (A paragraph ending with ":" before a list of another style is that list's lead-in.)
      if (last && p.kind === 'text' && (next(after) || (nestedAt(after) && !p.text.trimEnd().endsWith(':')))) {
        ((last.paragraphs ??= []) as DraftValue[]).push(this.text(p.text));
        this.guess(last, 'review: the paragraph after this item is read as part of it');
        continue;
      }
      // Numbered sections ("1. Purpose", its paragraphs, "2. Authority", …): the last section's paragraphs are its own too.
      if (last && p.kind === 'text' && items.length >= 2 && items.slice(0, -1).every((it) => it.paragraphs) && !p.text.trimEnd().endsWith(':')) {
        ((last.paragraphs ??= []) as DraftValue[]).push(this.text(p.text));
        this.guess(last, 'review: the paragraphs after the last section of this numbered list are read as part of it');
        continue;
      }
      // Items of another style starting at the first, under an item of this list (after an
      // "Optional Language:" label, perhaps): its nested list.
      const nested = last ? nestedAt(p) ?? (p.kind === 'label' && p.label === 'optional' ? nestedAt(after) : undefined) : undefined;
      if (last && nested) {
        const inner = this.list(paras, k, undefined, [...outer, style], nested);
        last.items = inner.block.items!;
        last['items-style'] = inner.block.list!;
        this.guess(last, 'review: the items after this one, in another style, are read as its nested list');
        this.count('nested list');
        k = inner.next - 1;
        continue;
      }
      if (p.kind !== 'item' || !sameList(p, style, expect)) break;
      const item: Draft = { id: this.ids.take(slug(p.text)), text: this.text(p.text) };
      if (optional) item.optional = 'excluded';
      items.push(item);
      expect++;
    }
    const firstOptional = items.find((it) => it.optional !== undefined);
    if (firstOptional) this.guess(firstOptional, 'review: the optional language is read as every item from here to the end of the list');
    const block: Draft = { id: this.ids.take(slug(leadIn ?? first.text)), list: style === 'bullet' ? 'bullet' : style };
    if (leadIn !== undefined) block['lead-in'] = this.text(leadIn);
    block.items = items;
    if (style === 'checkbox') this.guess(block, 'review: each box is an option the board may check; none is checked unless an item says "optional: included"');
    this.count(style === 'bullet' ? 'bullet list' : style === 'checkbox' ? 'checkbox list' : 'numbered list');
    return { block, next: k };
  }


  /** Definitions from a paragraph on: two or more that read "Term: text", optional ones after an "Optional Language:" label. */
  protected definitions(paras: Paragraph[], at: number): { items: Draft[]; next: number } | undefined {
    const items: { term: string; text: string; optional: boolean }[] = [];
    let optional = false;
    let k = at;
    const isTerm = (q: Paragraph | undefined) => q?.kind === 'text' && termOf(q.text) !== undefined;
    for (; k < paras.length; k++) {
      const p = paras[k]!;
      if (p.kind === 'label' && (p.label === 'optional' || p.label === 'end-optional') && isTerm(paras[k + 1])) {
        optional = p.label === 'optional';
        if (optional) this.labels.optional ??= p.text;
        else this.endLabel('end-optional', p.text);
        continue;
      }
      if (!isTerm(p)) break;
      const [term, text] = termOf((p as { text: string }).text)!;
      items.push({ term, text, optional });
    }
    if (items.length < 2) return undefined;
    const drafts = items.map((d): Draft => ({ id: this.ids.take(`term-${slug(d.term)}`), ...(d.optional ? { optional: 'excluded' } : {}), term: this.text(d.term), text: this.text(d.text) }));
    const first = drafts.find((d) => d.optional !== undefined);
    if (first) this.guess(first, 'review: the optional language is read as the definitions from here to the end of the run');
    return { items: drafts, next: k };
  }

  /** A table from its first row (its columns): the rows after it, optional ones after an "Optional Language:" label. */
  protected table(paras: Paragraph[], at: number): { block: Draft; next: number } | undefined {
    const columns = (paras[at] as Extract<Paragraph, { kind: 'row' }>).cells;
    const rows: Draft[] = [];
    let optional = false;
    let k = at + 1;
    const isRow = (q: Paragraph | undefined) => q?.kind === 'row' && q.cells.length <= columns.length;
    for (; k < paras.length; k++) {
      const p = paras[k]!;
      if (p.kind === 'label' && (p.label === 'optional' || p.label === 'end-optional') && isRow(paras[k + 1])) {
        optional = p.label === 'optional';
        if (optional) this.labels.optional ??= p.text;
        else this.endLabel('end-optional', p.text);
        continue;
      }
      if (!isRow(p)) break;
      // Empty cells at the end of a row are gone from a text sample's line: they are still cells.
      const cells = (p as Extract<Paragraph, { kind: 'row' }>).cells;
      const row: Draft = { id: this.ids.take(`row-${slug(cells.join(' '))}`), cells: [...cells, ...Array<string>(columns.length - cells.length).fill('')].map((c) => this.text(c)) };
      if (optional) row.optional = 'excluded';
      rows.push(row);
    }
    // A row alone is a line with tabs in it, not a table.
    if (rows.length === 0) return undefined;
    const block: Draft = { id: this.ids.take(`table-${slug(columns.join(' '))}`), table: { columns: columns.map((c) => this.text(c)), rows } };
    if (rows.some((r) => r.optional)) this.guess(rows.find((r) => r.optional)!, 'review: the optional language is read as the rows from here to the end of the run');
    this.count('table');
    return { block, next: k };
  }

  protected endLabel(label: 'end-optional' | 'end-alternative', text: string): void {
    if (label === 'end-optional') this.labels.optionalEnd ??= text;
    else this.labels.alternativeEnd ??= text;
  }
}

/** "Bicycle: a pedal-driven vehicle": a term of one to five words, capitalised, then its text. */
export function termOf(text: string): [string, string] | undefined {
  const m = /^([A-Z][^:;.,!?]{0,48}?):\s+(\S[\s\S]*)$/.exec(clean(text));
  return m && m[1]!.split(' ').length <= 5 ? [m[1]!, m[2]!] : undefined;
}

