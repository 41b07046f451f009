// import, second step: the sample's paragraphs as a clause file (a draft of
// its YAML data), with a note at every guess the reader should review: where
// an alternative or optional run ends, a revision mark read from spacing, a
// slash list offered as a multiple choice, a blank's name, a series number.
// Pure.
import { CF_ENTRY, listMarker, paragraphsOf, type Paragraph } from './paragraphs.js';
import { clean, isSubHeading, listMarkerText, slug } from './words.js';
import type { Draft } from './draft.js';
import { ListRecogniser, termOf } from './lists.js';

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

class Recogniser extends ListRecogniser {
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
    if (this.labels.boardNote !== undefined && this.labels.boardNote !== 'Note to the board:') labels['board-note'] = this.labels.boardNote;
    if (this.labels.legal !== undefined && this.labels.legal !== 'Legal Reference:') labels.legal = this.labels.legal;
    if (this.labels.optionalEnd !== undefined && this.labels.optionalEnd !== 'End of optional language.') labels['optional-end'] = this.labels.optionalEnd;
    if (this.labels.alternativeEnd !== undefined && this.labels.alternativeEnd !== 'End of alternative language.') labels['alternative-end'] = this.labels.alternativeEnd;
    if (this.labels.cf !== undefined && this.labels.cf !== 'cf.') labels.cf = this.labels.cf;
    if (this.labels.cfHeading !== undefined) labels['cf-heading'] = this.labels.cfHeading;
    if (this.labels.cfDash !== undefined && this.labels.cfDash !== '-') labels['cf-separator'] = ` ${this.labels.cfDash} `;
    if (Object.keys(labels).length) draft.labels = labels;
    if (this.optionalEach) draft['optional-labels'] = 'each';
    if (this.dateFormat) draft['date-format'] = this.dateFormat;
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
        out.history.push({ [p.event]: p.date, ...(p.label !== undefined ? { label: p.label } : {}), ...(p.joined !== undefined ? { 'same-line': p.joined } : {}) });
        // Dates printed "1/12/2010": the file's date format (the first such line's).
        if (p.format) this.dateFormat ??= p.format;
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
      if (p.kind === 'row') {
        // Rows of a table: the first its columns; a short line just before it, its caption.
        const table = this.table(paras, k);
        if (!table) {
          units.push({ kind: 'block', block: { id: this.ids.take(slug(p.cells.join(' '))), paragraph: this.text(p.cells.join(' ')) } });
          k++;
          continue;
        }
        const last = units[units.length - 1];
        if (last?.kind === 'block' && typeof last.block.paragraph === 'string' && isSubHeading(last.block.paragraph)) {
          units.pop();
          (table.block.table as Draft).caption = last.block.paragraph;
          this.guess(table.block, 'review: the short line before the table is read as its caption');
        }
        units.push({ kind: 'block', block: table.block });
        k = table.next;
        continue;
      }
      if (p.kind === 'note') {
        // The sample's guidance to the board: a note the district edition leaves out.
        this.labels.boardNote ??= p.label;
        units.push({ kind: 'block', block: { id: this.ids.take(`note-${slug(p.text)}`), note: this.text(p.text), audience: 'board' } });
        this.count('note to the board');
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
        // Every item "Term: text": lettered or numbered definitions.
        const terms = (block.items as Draft[]).map((it) => (it.items || it.paragraphs ? null : termOf(String(it.text))));
        if (terms.length >= 2 && terms.every(Boolean)) {
          block.definitions = (block.items as Draft[]).map((it, n): Draft => ({ id: String(it.id), ...(it.optional ? { optional: it.optional } : {}), term: terms[n]![0], text: terms[n]![1] }));
          block.style = block.list!;
          delete block.list;
          delete block.items;
          this.count('definitions');
        }
        units.push({ kind: 'block', block });
        k = next;
        continue;
      }
      // A lead-in and paragraphs that each read "Term: text": definitions.
      const defs = text.endsWith(':') ? this.definitions(paras, k + 1) : undefined;
      if (defs) {
        units.push({ kind: 'block', block: { id: this.ids.take(slug(text)), 'lead-in': this.text(text), definitions: defs.items } });
        this.count('definitions');
        k = defs.next;
        continue;
      }
      // A short line of a few capitalised words, no sentence, with text after it: a sub-heading ("Prohibition").
      const after = paras[k + 1];
      // (Followed by a sentence or a list, not by another short line: a table's cells are not headings.)
      if (isSubHeading(text) && ((after?.kind === 'text' && /[.:;!?]$/.test(after.text.trim())) || after?.kind === 'item')) {
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

  private member(block: Draft): Draft {
    return { id: this.ids.take(`${String(block.id)}-member`), blocks: [block] };
  }

}

export { listMarker };

