// import, second step: the sample's paragraphs as a clause file (a draft of
// its YAML data), with a note at every guess the reader should review: where
// an alternative or optional run ends, a revision mark read from spacing, a
// slash list offered as a multiple choice, a blank's name, a series number.
// Pure.
import { CF_ENTRY, listMarker, paragraphsOf, type Marker, type Paragraph } from './paragraphs.js';
import { clean, isSubHeading, listMarkerText, sameList, slug, startOfList } from './words.js';
import { DraftState, type Draft, type DraftValue } from './draft.js';

export { REVIEW, type Draft, type DraftValue } from './draft.js';

export interface Recognised {
  draft: Draft;
  number: string;
  /** What was found, for the report: construct → count. */
  found: Record<string, number>;
  guesses: string[];
}

/** "5142.4", "5132R", "2:10", "BP 5142", and the letter codes some services use ("JICH", "JLCD-R"). */
const NUMBER = /^(?:[A-Z]{0,4}\s?\d[\w.:/-]{0,30}|[A-Z]{2,8}(?:[-.][A-Z0-9]{1,4})?)(?:\([A-Z]{2,10}\))?$/;

export function recognise(input: string): Recognised {
  return new Recogniser(paragraphsOf(input)).run();
}

/** One part's paragraphs as read: body, references, approval and the sample's dated history. */
interface Segment {
  body: Draft[];
  cf: Draft[];
  legal: Draft[];
  history: Draft[];
  approval?: string;
  kind?: string;
}

type Unit = { block: Draft; kind: 'block' } | { kind: 'label'; label: 'alternative' | 'lead' | 'optional' | 'end-alternative' | 'end-optional'; text: string };

class Recogniser extends DraftState {
  constructor(private readonly paras: Paragraph[]) {
    super();
  }

  run(): Recognised {
    const paras = this.paras;
    let i = 0;
    const draft: Draft = { format: 1 };
    // The header: the number, then short lines (series, category, title) before the first sentence.
    let number = 'UNNUMBERED';
    const first = paras[0];
    if (first?.kind === 'text' && NUMBER.test(first.text.trim())) {
      number = first.text.trim();
      i++;
    }
    const heads: string[] = [];
    while (i < paras.length && heads.length < 3) {
      const p = paras[i]!;
      if (p.kind !== 'text' || /[.:;]$/.test(p.text) || p.text.split(/\s+/).length > 10) break;
      heads.push(p.text.replace(/\u00a0/g, ' ').trim());
      i++;
    }
    const title = heads[heads.length - 1] ?? 'Untitled';
    const seriesTitle = heads.length >= 2 ? heads[0]! : 'Policies';
    draft.number = number;
    draft.title = title;
    const seriesNumber = /^\d/.test(number) ? `${number[0]}000` : /^[A-Z]/.test(number) ? number[0]! : number;
    draft.series = { number: seriesNumber, title: seriesTitle };
    this.guess(draft.series, `review: series number "${seriesNumber}" is read from the policy number; the sample does not print it`);
    if (heads.length === 3) draft.category = heads[1]!;
    draft.kind = 'policy';
    this.count('header');

    // The main part, then each further part from its heading ("Regulation 5142.4R: Title").
    // A short heading ("R 2340") heads a part only with the policy's own number; any other is text.
    for (let k = i; k < paras.length; k++) {
      const p = paras[k]!;
      if (p.kind === 'part' && p.heading !== undefined && p.number !== number) paras[k] = { kind: 'text', text: p.heading, line: p.line };
    }
    const partAt = paras.map((p, k) => (k >= i && p.kind === 'part' ? k : -1)).filter((k) => k >= 0);
    const main = this.segment(paras.slice(i, partAt[0] ?? paras.length));
    if (main.kind) draft.kind = main.kind;
    const parts = partAt.map((h, n) => {
      const head = paras[h] as Extract<Paragraph, { kind: 'part' }>;
      const seg = this.segment(paras.slice(h + 1, partAt[n + 1] ?? paras.length));
      const part: Draft = { id: this.ids.take(head.part), kind: head.part };
      if (head.number !== number) part.number = head.number;
      if (head.title !== '' && head.title !== title) part.title = head.title;
      // Printed as the sample prints it: "R 2340 Field Trips".
      if (head.heading !== undefined) part.heading = head.heading;
      this.fill(part, seg, head.part);
      this.count(`${head.part} part`);
      return part;
    });
    const labels: Draft = {};
    if (this.labels.alternative !== undefined && this.labels.alternative !== 'Alternative language:') labels.alternative = this.labels.alternative;
    if (this.labels.optional !== undefined && this.labels.optional !== 'Optional Language:') labels.optional = this.labels.optional;
    if (this.labels.lead !== undefined) labels['alternative-lead'] = this.labels.lead;
    if (this.labels.legal !== undefined && this.labels.legal !== 'Legal Reference:') labels.legal = this.labels.legal;
    if (this.labels.optionalEnd !== undefined && this.labels.optionalEnd !== 'End of optional language.') labels['optional-end'] = this.labels.optionalEnd;
    if (this.labels.alternativeEnd !== undefined && this.labels.alternativeEnd !== 'End of alternative language.') labels['alternative-end'] = this.labels.alternativeEnd;
    if (this.labels.cf !== undefined && this.labels.cf !== 'cf.') labels.cf = this.labels.cf;
    if (this.labels.cfHeading !== undefined) labels['cf-heading'] = this.labels.cfHeading;
    if (this.labels.cfDash !== undefined && this.labels.cfDash !== '-') labels['cf-separator'] = ` ${this.labels.cfDash} `;
    if (Object.keys(labels).length) draft.labels = labels;
    if (this.optionalEach) draft['optional-labels'] = 'each';
    if (Object.keys(this.variables).length) draft.variables = this.variables;
    if (Object.keys(this.choices).length) draft.choices = this.choices;
    this.fill(draft, main, String(draft.kind));
    if (parts.length) draft.parts = parts;
    return { draft, number, found: this.found, guesses: this.guesses };
  }

  /** One part's paragraphs: its body up to the references, then its cf. lines, legal references and approval line. */
  private segment(paras: Paragraph[]): Segment {
    // "(cf. …)" lines with more of the body after them support the block before them: printed there.
    const inline = new Set<number>();
    for (let k = 0; k < paras.length; k++) {
      let j = k;
      while (paras[j]?.kind === 'cf' && (paras[j] as { heading?: string }).heading === undefined) j++;
      const after = paras[j];
      if (j > k && k > 0 && (after?.kind === 'text' || after?.kind === 'item' || after?.kind === 'label')) for (let n = k; n < j; n++) inline.add(n);
      k = Math.max(k, j);
    }
    const end = paras.findIndex((p, k) => (p.kind === 'cf' && !inline.has(k)) || p.kind === 'legal-label' || p.kind === 'approval' || p.kind === 'history');
    const inBody: Draft[] = [];
    const body = this.blocks(paras.slice(0, end < 0 ? paras.length : end), inBody);
    const out: Segment = { body, cf: [...inBody], legal: [], history: [] };
    for (let k = end < 0 ? paras.length : end; k < paras.length; k++) {
      const p = paras[k]!;
      if (p.kind === 'cf') {
        const entries = [...p.entries];
        if (p.heading !== undefined) {
          // "Cross References:" and its entries, the paragraphs after it that read "5114 - Title".
          this.labels.cfHeading ??= p.heading;
          // (A page may print them as a bulleted list.)
          const entryOf = (q: Paragraph | undefined) => (q?.kind === 'text' || (q?.kind === 'item' && q.marker.style === 'bullet') ? CF_ENTRY.exec(clean(q.text)) : null);
          for (let m; (m = entryOf(paras[k + 1])); k++) entries.push({ label: 'cf.', number: m[1]!, dash: m[2]!, title: m[3]! });
        }
        for (const e of entries) {
          // A number alone ("(cf. 5114)") is a reference without a title.
          out.cf.push(e.title === undefined ? { number: e.number } : { number: e.number, title: clean(e.title) });
          // The sample's form of the line: "cf" without its full stop, an en dash (labels.cf, labels.cf-separator).
          this.labels.cf ??= e.label;
          if (e.dash !== undefined) this.labels.cfDash ??= e.dash;
        }
        this.count('cross-reference');
      } else if (p.kind === 'legal-label') {
        k = this.legal(paras, k, out.legal) - 1;
      } else if (p.kind === 'approval') {
        out.approval = p.event;
        out.kind = p.part;
        this.count('approval line');
      } else if (p.kind === 'history') {
        // The sample's own dated lines: printed in its sample edition as it prints them.
        out.history.push({ [p.event]: p.date, ...(p.label !== undefined ? { label: p.label } : {}) });
        if (p.part) out.kind ??= p.part;
        this.count('dated history line');
      }
    }
    return out;
  }

  /** A part's body, references and approval, as the clause file writes them (approval only where it is not the kind's own). */
  private fill(part: Draft, seg: Segment, kind: string): void {
    part.body = seg.body;
    if (seg.cf.length) part.cf = seg.cf;
    if (seg.legal.length) part.legal = seg.legal;
    if (seg.history.length) {
      part.history = seg.history;
      // Its dated lines stand for the approval line: keep the kind's own.
      return;
    }
    const defaultApproval = kind === 'regulation' ? 'approved' : kind === 'exhibit' ? 'none' : 'adopted';
    const approval = seg.approval ?? 'none';
    if (approval !== defaultApproval) part.approval = approval;
  }

  /** Legal references from the label on: a group named after the label, then entries, a "Sec." entry under the one before it. */
  private legal(paras: Paragraph[], at: number, out: Draft[]): number {
    const label = paras[at] as Extract<Paragraph, { kind: 'legal-label' }>;
    // The sample's wording of the label ("Legal References:"): the file's.
    this.labels.legal ??= label.label;
    this.count('legal references');
    let k = at + 1;
    const entries: string[] = [];
    // Entries are paragraphs, or bullet items where a page prints them as a list.
    const isEntry = (p: Paragraph) => p.kind === 'text' || p.kind === 'item';
    for (; k < paras.length && isEntry(paras[k]!); k++) {
      const p = paras[k]!;
      // A numbered list of references keeps its numbers: they are part of the text as printed.
      const number = p.kind === 'item' && 'ordinal' in p.marker ? `${listMarkerText(p.marker)} ` : '';
      entries.push(clean(`${number}${(p as { text: string }).text}`));
    }
    // Statute numbers ("10-220", "53a-3", "PA 94-221") belong to the group the label names.
    let g = 0;
    if (label.rest !== '') {
      while (g < entries.length && /^(?:\d|PA\s)/.test(entries[g]!)) g++;
      const group: Draft = { id: this.ids.take(slug(label.rest)), group: clean(label.rest), items: entries.slice(0, g).map((t) => this.legalEntry(t)) };
      if (g === 0) delete group.items;
      this.guess(group, `review: the entries under "${label.rest}" are those that start with a statute number`);
      out.push(group);
    }
    let last: Draft | undefined;
    for (const t of entries.slice(g)) {
      const entry = this.legalEntry(t);
      if (last && /^(?:Sec\.|Section)\s/.test(t)) {
        ((last.items ??= []) as Draft[]).push(entry);
        this.guess(entry, 'review: a "Sec." entry is read as part of the entry before it');
        continue;
      }
      out.push(entry);
      last = entry;
    }
    return k;
  }

  private legalEntry(text: string): Draft {
    // "[1] M.G.L. 30B:5": the reference the text cites by footnote marker "[1]".
    const note = /^\[(\d{1,3})\]\s+(\S.*)$/.exec(text);
    if (note) return { id: this.ids.take(slug(note[2]!, 3)), footnote: note[1]!, text: note[2]! };
    return { id: this.ids.take(slug(text, 3)), text };
  }

  /** Body paragraphs as blocks: lists with their lead-ins, alternative groups and optional language. */
  private blocks(paras: Paragraph[], inBody: Draft[] = []): Draft[] {
    const units: Unit[] = [];
    let k = 0;
    while (k < paras.length) {
      const p = paras[k]!;
      if (p.kind === 'cf') {
        // After the block it supports (segment found it has more of the body after it).
        const before = [...units].reverse().find((u) => u.kind === 'block');
        for (const e of p.entries) {
          const entry: Draft = e.title === undefined ? { number: e.number } : { number: e.number, title: clean(e.title) };
          if (before?.kind === 'block') entry.after = String(before.block.id);
          inBody.push(entry);
          this.labels.cf ??= e.label;
          if (e.dash !== undefined) this.labels.cfDash ??= e.dash;
        }
        this.count('cross-reference in the body');
        k++;
        continue;
      }
      if (p.kind === 'label') {
        units.push({ kind: 'label', label: p.label, text: p.text });
        k++;
        continue;
      }
      if (p.kind === 'item') {
        const { block, next } = this.list(paras, k, undefined);
        units.push({ kind: 'block', block });
        k = next;
        continue;
      }
      const text = (p as { text: string }).text;
      if (text.endsWith(':') && paras[k + 1]?.kind === 'item') {
        const { block, next } = this.list(paras, k + 1, text);
        units.push({ kind: 'block', block });
        k = next;
        continue;
      }
      // A short line of a few capitalised words, no sentence, with text after it: a sub-heading ("Prohibition").
      const after = paras[k + 1];
      if (isSubHeading(text) && (after?.kind === 'text' || after?.kind === 'item')) {
        const heading: Draft = { id: this.ids.take(slug(text)), heading: this.text(text) };
        this.guess(heading, 'review: this short line is read as a sub-heading');
        units.push({ kind: 'block', block: heading });
        this.count('sub-heading');
        k++;
        continue;
      }
      units.push({ kind: 'block', block: { id: this.ids.take(slug(text)), paragraph: this.text(text) } });
      this.count('paragraph');
      k++;
    }
    // Labels: "Alternative language:" makes the block before it and the block after it members of one group.
    const out: Draft[] = [];
    for (let u = 0; u < units.length; u++) {
      const unit = units[u]!;
      if (unit.kind === 'block') {
        out.push(unit.block);
        continue;
      }
      // An end marker closes what the layout closes already (one block per label); its wording is the file's label.
      if (unit.label === 'end-optional' || unit.label === 'end-alternative') {
        this.endLabel(unit.label, unit.text);
        continue;
      }
      const next = units[u + 1];
      if (next?.kind !== 'block') continue;
      u++;
      if (unit.label === 'lead') {
        // "[CHOOSE ONE]": the alternatives begin here, and the sample names no default (the board picks).
        this.labels.lead ??= unit.text;
        const group: Draft = { id: this.ids.take(`${String(next.block.id)}-choice`), alternatives: 'one-of', members: [this.member(next.block)] };
        this.guess(group, 'review: each alternative is read as the one block after its label; the sample asks the board to choose, so there is no default (a district config must choose); one-of (any-of if a district may keep several)');
        this.count('alternative group');
        out.push(group);
        continue;
      }
      if (unit.label === 'optional') {
        this.labels.optional ??= unit.text;
        // A label again right after optional language: the publisher labels each, not once per run.
        if (out[out.length - 1]?.optional !== undefined) this.optionalEach = true;
        next.block.optional = 'excluded';
        this.guess(next.block, 'review: the optional language is read as this one block');
        this.count('optional language');
        out.push(next.block);
        continue;
      }
      const prev = out.pop();
      if (!prev) {
        out.push(next.block);
        continue;
      }
      let group = prev;
      if (!('alternatives' in prev)) {
        group = { id: this.ids.take(`${String(prev.id)}-choice`), alternatives: 'one-of', default: '', members: [this.member(prev)] };
        group.default = (group.members as Draft[])[0]!.id as string;
        this.guess(group, 'review: each alternative is read as the one block after its label; the first member is the sample default; one-of (any-of if a district may keep several)');
        this.count('alternative group');
      }
      const m = this.member(next.block);
      // The sample's own wording of the label: the file's, or this member's when it differs from the file's.
      this.labels.alternative ??= unit.text;
      if (unit.text !== this.labels.alternative) m.label = unit.text;
      (group.members as Draft[]).push(m);
      out.push(group);
    }
    return out;
  }

  private endLabel(label: 'end-optional' | 'end-alternative', text: string): void {
    if (label === 'end-optional') this.labels.optionalEnd ??= text;
    else this.labels.alternativeEnd ??= text;
  }

  private member(block: Draft): Draft {
    return { id: this.ids.take(`${String(block.id)}-member`), blocks: [block] };
  }

  /**
   * A list from its first item (or an "Optional Language:" label before it):
   * items with one marker style, numbered on; an "Optional Language:" label
   * inside makes the items after it optional. `start` is the reading of the
   * first item's marker that the list has (see readingIn).
   */
  private list(paras: Paragraph[], at: number, leadIn: string | undefined, outer: readonly string[] = [], start?: Marker): { block: Draft; next: number } {
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

}

export { listMarker };

