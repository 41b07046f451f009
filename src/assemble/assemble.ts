// assemble: apply a district's selections to a policy's clause tree and yield
// the resolved document of one edition. Pure: data in, data out; problems are
// returned as diagnostics, never thrown or printed.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type {
  Block,
  Condition,
  DistrictConfig,
  DocBlock,
  DocHistory,
  DocItem,
  DocLegal,
  DocList,
  DocPart,
  Document,
  Edition,
  HistoryLine,
  Inline,
  LegalEntry,
  ListItem,
  OptionalDefault,
  Part,
  Policy,
  Run,
  Selections,
} from '../model/model.js';
import type { AppliedDeviation } from './deviations.js';
import { assertNever, nestedBlocks } from '../model/walk.js';
import { formatDate, formatDateAs, formatMarker, OUTLINE_STYLES } from './wording.js';
import { InlineResolver } from './inline.js';
import { conditionLabel, describeCondition, holds } from './conditions.js';

/** A run of optional language that only an item's nested items are in (see optionalLabels). */
const NESTED = '\u0000nested';

export interface AssembleInput {
  policy: Policy;
  edition: Edition;
  /** Required for the district edition. */
  selections?: Selections;
  config?: DistrictConfig;
  history?: HistoryLine[];
  /** Draft builds print unresolved choices and missing values as visible placeholders. */
  draft?: boolean;
  /** Recorded deviations by the id of the block or item they changed (annotated edition). */
  notes?: ReadonlyMap<string, readonly AppliedDeviation[]>;
  /** Deviations that change no single block: renames, reference changes, omissions. */
  general?: readonly AppliedDeviation[];
}

const KIND_TITLES = { policy: 'Policy', regulation: 'Regulation', bylaw: 'Bylaw', exhibit: 'Exhibit' } as const;
const EVENT_WORDS = { adopted: 'adopted', approved: 'approved', revised: 'revised', reviewed: 'reviewed' } as const;

export function assemble(input: AssembleInput, diags: Diagnostics): Document {
  return new Assembler(input, diags).run();
}


function deviationNote(d: AppliedDeviation): string {
  return `[Deviation ${d.number}: ${d.summary}. Reason: ${d.reason}]`;
}

class Assembler {
  private readonly sample: boolean;
  /** Annotated edition: the district text with each choice and deviation marked. */
  private readonly annotate: boolean;
  private readonly sel: Selections;
  private readonly policy: Policy;
  /** Sample edition: the list just assembled ended in optional language (see list). */
  private openRun = false;
  /** Sample edition: the blocks just assembled ended in a run of optional language (see blocks). */
  private blocksOpen = false;
  /** The part's cross-references printed in its body, by the block they follow; taken off as they are printed. */
  private inlineCf = new Map<string, { number: string; title: string }[]>();
  private readonly resolver: InlineResolver;

  constructor(
    private readonly input: AssembleInput,
    private readonly diags: Diagnostics,
  ) {
    this.policy = input.policy;
    this.sample = input.edition === 'sample';
    this.annotate = input.edition === 'annotated';
    this.sel = input.selections ?? { alternatives: {}, options: {}, choices: {}, variables: {} };
    this.resolver = new InlineResolver(this.policy, input.edition, this.sel, input.config?.serialComma ?? false);
  }

  run(): Document {
    const { policy } = this;
    const doc: Document = {
      edition: this.input.edition,
      draft: this.input.draft ?? false,
      number: policy.number,
      title: policy.title,
      series: policy.series,
      kind: policy.kind,
      labels: policy.labels,
      // A further part that depends on a decision the district did not make is left out whole.
      parts: policy.parts.flatMap((p, i) => (i > 0 && !this.included(p) ? [] : [this.part(p, i)])),
      selections: this.sample ? { alternatives: {}, options: {}, choices: {}, variables: {} } : this.sel,
    };
    if (policy.category !== undefined) doc.category = policy.category;
    if (policy.status !== undefined) doc.status = policy.status;
    if (policy.sample !== undefined) doc.sample = policy.sample;
    if (!this.sample && this.input.config) doc.district = this.input.config.district;
    return doc;
  }

  private part(part: Part, index: number): DocPart {
    const cfOf = (c: Part['cf'][number]) => ({ number: c.number, title: c.titleInline ? this.plain(c.titleInline) : c.title });
    this.inlineCf = new Map();
    for (const c of part.cf) if (c.after !== undefined) this.inlineCf.set(c.after, [...(this.inlineCf.get(c.after) ?? []), cfOf(c)]);
    const blocks = this.blocks(part.body, true);
    // A reference whose block was left out is printed at the end: never lost.
    const unprinted = new Set([...this.inlineCf.values()].flat().map((c) => c.number));
    if (this.annotate && index === 0) blocks.unshift(...this.generalNotes());
    if (this.sample && part.when) blocks.unshift({ kind: 'label', text: conditionLabel(part.when, this.policy.labels.optional), for: part.id });
    const out: DocPart = {
      id: part.id,
      kind: part.kind,
      title: part.title ?? this.policy.title,
      blocks,
      cf: part.cf.filter((c) => c.after === undefined || unprinted.has(c.number)).map(cfOf),
      legal: part.legal.map((l) => this.legal(l)),
      history: this.history(part, index),
    };
    if (index > 0 && part.heading !== undefined) Object.assign(out, { heading: part.heading, verbatim: true });
    else if (index > 0) out.heading = `${KIND_TITLES[part.kind]} ${part.number ?? this.policy.number}`;
    return out;
  }

  private legal(l: LegalEntry): DocLegal {
    const out: DocLegal = { id: l.id, items: l.items.map((c) => this.legal(c)) };
    if (l.text !== undefined) out.text = `${l.footnote !== undefined ? `[${l.footnote}] ` : ''}${l.inline?.text ? this.plain(l.inline.text) : l.text}`;
    if (l.group !== undefined) out.group = l.inline?.group ? this.plain(l.inline.group) : l.group;
    return out;
  }

  private history(part: Part, index: number): DocHistory[] {
    const kind = KIND_TITLES[part.kind];
    // A part nobody approves (an exhibit) has no blank approval line in the sample,
    // but dates the district records for it are printed, never dropped.
    // The sample's own dated lines, where it prints them, stand for its blank approval line.
    if (this.sample && part.sampleHistory) {
      const format = this.policy.dateFormat;
      return part.sampleHistory.map((h) => ({
        event: h.event,
        label: h.label ?? `${kind} ${EVENT_WORDS[h.event]}:`,
        date: format ? formatDateAs(h.date, format) : formatDate(h.date),
        iso: h.date,
        ...(h.sameLine !== undefined ? { joined: h.sameLine } : {}),
      }));
    }
    if (this.sample) return part.approval === 'none' ? [] : [{ event: part.approval, label: `${kind} ${part.approval}:`, date: '', iso: '' }];
    const lines = (this.input.history ?? []).filter((h) => (h.part ?? this.policy.parts[0]!.id) === part.id || (index === 0 && h.part === undefined));
    return lines.map((h) => ({ event: h.event, label: `${kind} ${EVENT_WORDS[h.event]}:`, date: formatDate(h.date), iso: h.date }));
  }

  /** Renames, reference changes and omitted text have no block of their own to sit beside. */
  private generalNotes(): DocBlock[] {
    const present = new Set<string>();
    const walk = (bs: Block[]) => {
      for (const b of bs) {
        present.add(b.id);
        for (const nested of nestedBlocks(b)) walk(nested.blocks);
        if (b.kind === 'list') {
          const items = (xs: ListItem[]) => xs.forEach((x) => (present.add(x.id), items(x.items)));
          items(b.items);
        }
      }
    };
    for (const p of this.policy.parts) walk(p.body);
    const out = [...(this.input.general ?? [])];
    for (const [id, ds] of this.input.notes ?? []) if (!present.has(id)) out.push(...ds);
    return out.sort((a, b) => a.number - b.number).map((d) => ({ kind: 'annotation' as const, text: deviationNote(d), for: d.target }));
  }

  private notesFor(id: string): string[] {
    return (this.input.notes?.get(id) ?? []).map(deviationNote);
  }

  private included(node: { id: string; optional?: OptionalDefault; when?: Condition }): boolean {
    if (this.sample) return true;
    if (node.when && !holds(node.when, this.sel)) return false;
    if (node.optional === undefined) return true;
    return this.sel.options[node.id] ?? node.optional === 'included';
  }

  /** Sample edition: the label of the run a block or item belongs to (optional language, or text that depends on a decision). */
  private runOf(node: { optional?: OptionalDefault; when?: Condition } | undefined): string | undefined {
    if (!this.sample || !node) return undefined;
    if (node.when) return conditionLabel(node.when, this.policy.labels.optional);
    return node.optional ? this.policy.labels.optional : undefined;
  }

  /** Annotated edition: why a block or item is not printed. */
  private leftOut(node: { id: string; when?: Condition }): string {
    return node.when && !holds(node.when, this.sel) ? `["${node.id}" left out: it applies only when ${describeCondition(node.when)}]` : `[Optional language "${node.id}" left out]`;
  }

  /**
   * `partEnd`: these are the part's own blocks, so nothing of the body follows
   * the last one (the sample edition closes no run there).
   */
  private blocks(blocks: Block[], partEnd = false): DocBlock[] {
    const out: DocBlock[] = [];
    /** Sample edition: the label of the run of optional or conditional blocks being printed. */
    let run: string | undefined;
    for (const [index, b] of blocks.entries()) {
      if (!this.included(b)) {
        if (this.annotate) out.push({ kind: 'annotation', text: this.leftOut(b), for: b.id });
        continue;
      }
      const mine = this.runOf(b);
      if (mine !== undefined && (mine !== run || this.policy.optionalLabels === 'each')) out.push({ kind: 'label', text: mine, for: b.id });
      run = mine;
      if (this.annotate && b.optional) out.push({ kind: 'annotation', text: `[Optional language "${b.id}" included]`, for: b.id });
      const before = out.length;
      /** Sample edition: the block's last items are optional language, so what follows the block must say that the run ended. */
      let itemsOpen = false;
      switch (b.kind) {
        case 'alternatives': {
          const chosen = this.sample ? b.members.map((m) => m.id) : this.sel.alternatives[b.id] ?? b.defaults;
          if (this.annotate) {
            const same = chosen.length === b.defaults.length && chosen.every((c) => b.defaults.includes(c));
            const sampleDefault = b.defaults.length ? `the sample default is ${b.defaults.map((c) => `"${c}"`).join(' and ')}` : 'the sample has no default';
            out.push({
              kind: 'annotation',
              text: `[Alternative "${b.id}": ${chosen.map((c) => `"${c}"`).join(' and ')} ${same ? '(the sample default)' : `chosen; ${sampleDefault}`}]`,
              for: b.id,
            });
          }
          // A draft whose config has not chosen where the sample names no default: the choice, visibly open.
          if (!this.sample && chosen.length === 0) {
            out.push({ kind: 'paragraph', id: b.id, text: [{ kind: 'placeholder', text: `[choose one: ${b.members.map((m) => m.id).join(' / ')}]` }] });
          }
          b.members.forEach((m, i) => {
            if (!chosen.includes(m.id)) return;
            if (this.sample && i > 0) out.push({ kind: 'label', text: m.label ?? b.label ?? this.policy.labels.alternative, for: m.id });
            // Some publishers print a label before the first member too ("[CHOOSE ONE]").
            if (this.sample && i === 0 && this.policy.labels.alternativeLead) out.push({ kind: 'label', text: this.policy.labels.alternativeLead, for: b.id });
            // The group's own end label closes a run still open at the end of its last member.
            out.push(...this.blocks(m.blocks, i === b.members.length - 1));
          });
          break;
        }
        case 'heading':
          out.push({ kind: 'heading', id: b.id, level: b.level, text: this.runs(b.text) });
          break;
        case 'paragraph':
          out.push({ kind: 'paragraph', id: b.id, text: this.runs(b.text) });
          break;
        case 'note':
          if (b.audience === 'board' && !this.sample) break;
          out.push({
            kind: 'note',
            id: b.id,
            audience: b.audience,
            text: this.runs(b.text),
            ...(b.audience === 'board' ? { label: this.policy.labels.boardNote } : {}),
          });
          break;
        case 'list': {
          const list = this.list(b.items, b.style, b.styles, 0);
          itemsOpen = this.openRun;
          if (list.items.length === 0) {
            this.emptied(b.id, b.pointer, b.leadIn !== undefined);
            break;
          }
          out.push({ kind: 'list', id: b.id, ...(b.leadIn ? { leadIn: this.runs(b.leadIn) } : {}), list });
          break;
        }
        case 'definitions': {
          const label = this.optionalLabels();
          const items = b.items
            .filter((d) => this.included(d))
            .map((d) => ({ id: d.id, term: this.runs(d.term), text: this.marked(this.runs(d.text), d.id, d.optional), ...label(this.runOf(d)) }));
          itemsOpen = label.open();
          if (items.length === 0) {
            this.emptied(b.id, b.pointer, b.leadIn !== undefined);
            break;
          }
          const leadIn = b.leadIn ? { leadIn: this.runs(b.leadIn) } : {};
          if (b.style === undefined) out.push({ kind: 'definitions', id: b.id, ...leadIn, items });
          else {
            // A lettered or numbered list of definitions: each item reads "Term: text", the term in bold.
            const style = b.style;
            const listed = items.map((d, i): DocItem => {
              const text: Run[] = [{ kind: 'md', text: '**' }, ...d.term, { kind: 'md', text: '**: ' }, ...d.text];
              return { id: d.id, marker: formatMarker(style, i + 1), ordinal: i + 1, text, optional: false, ...(d.label !== undefined ? { label: d.label } : {}) };
            });
            out.push({ kind: 'list', id: b.id, ...leadIn, list: { style, items: listed } });
          }
          break;
        }
        case 'table': {
          const label = this.optionalLabels();
          const rows = b.rows
            .filter((r) => this.included(r))
            .map((r) => {
              const cells = r.cells.map((c) => this.runs(c));
              // The annotated edition's marks go after the row's last cell.
              if (cells.length) cells[cells.length - 1] = this.marked(cells[cells.length - 1]!, r.id, r.optional);
              return { id: r.id, cells, ...label(this.runOf(r)) };
            });
          itemsOpen = label.open();
          if (rows.length === 0) {
            this.emptied(b.id, b.pointer, false);
            break;
          }
          out.push({
            kind: 'table',
            id: b.id,
            ...(b.caption ? { caption: this.runs(b.caption) } : {}),
            columns: b.columns.map((c) => this.runs(c)),
            rows,
          });
          break;
        }
        case 'section':
          // One unit: its own label and end marker (below) stand for its blocks'.
          out.push(...this.blocks(b.blocks, true));
          itemsOpen = this.blocksOpen;
          break;
        default:
          assertNever(b, 'block kind');
      }
      if (this.annotate && out.length > before) for (const text of this.notesFor(b.id)) out.push({ kind: 'annotation', text, for: b.id });
      // The references that support this block, right after it, as the sample prints them.
      const cf = this.inlineCf.get(b.id);
      if (cf && out.length > before) {
        out.push({ kind: 'cf', for: b.id, label: this.policy.labels.cf, separator: this.policy.labels.cfSeparator, entries: cf });
        this.inlineCf.delete(b.id);
      }
      const last = index === blocks.length - 1;
      if (this.sample && last) this.blocksOpen = mine !== undefined || itemsOpen;
      if (this.sample && !(partEnd && last)) {
        // The sample edition closes each alternative group and each run of optional language,
        // so that a reader can tell where the text every district adopts begins again.
        const labels = this.policy.labels;
        if (b.kind === 'alternatives') out.push({ kind: 'label', text: labels.alternativeEnd, for: b.id });
        if (mine !== undefined ? this.runOf(blocks[index + 1]) !== mine : itemsOpen) out.push({ kind: 'label', text: labels.optionalEnd, for: b.id });
      }
    }
    return out;
  }

  /**
   * Sample edition: the label each item of a list, definitions block or table
   * gets, called once per item in order. A run of optional items is labelled
   * once, at its first item, as the publisher prints "Optional language" once
   * above a run of optional items.
   */
  private optionalLabels(): ((run: string | undefined) => { label?: string }) & { open(): boolean; continue(): void } {
    /** The label of the run the last item belongs to; NESTED when only its nested items ended in one. */
    let current: string | undefined;
    const label = (run: string | undefined) => {
      // A required item after a run says that the run ended; a new run says what it is.
      const each = this.policy.optionalLabels === 'each';
      const text = run !== undefined && (run !== current || each) ? run : run === undefined && current !== undefined ? this.policy.labels.optionalEnd : undefined;
      current = run;
      return text === undefined ? {} : { label: text };
    };
    return Object.assign(label, {
      /** Whether the last item was optional or conditional language. */
      open: () => current !== undefined,
      /** The last item's nested items ended in a run: it goes on until a required item. */
      continue: () => void (current ??= NESTED),
    });
  }

  /** Annotated edition: an item's text followed by its marks (optional language kept, deviations). */
  private marked(text: Run[], id: string, optional: string | undefined): Run[] {
    if (!this.annotate) return text;
    const marks = [...(optional ? [`[Optional language "${id}" included]`] : []), ...this.notesFor(id)];
    for (const m of marks) text.push({ kind: 'md', text: ' ' }, { kind: 'annotation', text: m });
    return text;
  }

  private emptied(id: string, pointer: string, hadLeadIn: boolean): void {
    const cfg = this.input.config;
    this.diags.warn('emptied-list', `Policy ${this.policy.number}: every item of "${id}" is left out, so the whole list${hadLeadIn ? ' and its lead-in are' : ' is'} dropped`, {
      file: this.policy.file.path,
      at: { pointer },
      hint: 'Include at least one item, or record that the board drops the whole list.',
      ...(cfg ? { related: [{ file: cfg.file.path, message: 'options chosen in this config' }] } : {}),
    });
  }

  private list(items: ListItem[], rootStyle: string, styles: string[] | undefined, depth: number, levelStyle?: string): DocList {
    const given = levelStyle ?? (rootStyle === 'outline' ? styles?.[0] ?? OUTLINE_STYLES[0]! : rootStyle);
    // A checkbox list: its boxes are the sample's; the district's edition lists what the board checked.
    const checkbox = given === 'checkbox';
    const style = checkbox && !this.sample ? 'bullet' : given;
    const out: DocItem[] = [];
    let n = 0;
    const label = this.optionalLabels();
    for (const it of items) {
      if (!this.included(it)) continue;
      n++;
      const text = this.marked(this.runs(it.text), it.id, it.optional);
      // Each box says what "Optional Language:" would: no label for a checkbox item.
      const item: DocItem = { id: it.id, marker: formatMarker(style, n), ordinal: n, text, optional: it.optional !== undefined, ...label(checkbox ? undefined : this.runOf(it)) };
      if (it.paragraphs) item.paragraphs = it.paragraphs.map((p) => this.runs(p));
      if (it.items.length) {
        const childStyle =
          it.itemsStyle ?? styles?.[depth + 1] ?? (rootStyle === 'bullet' ? 'bullet' : OUTLINE_STYLES[(depth + 1) % OUTLINE_STYLES.length]!);
        const children = this.list(it.items, rootStyle, styles, depth + 1, childStyle);
        if (children.items.length) item.children = children;
        if (this.openRun) label.continue();
      }
      out.push(item);
    }
    this.openRun = label.open();
    return { style, items: out };
  }

  /** Resolve placeholders to runs of text for this edition. */
  runs(inline: Inline[]): Run[] {
    return this.resolver.runs(inline);
  }

  /** Placeholders resolved to plain text, for fields printed as literal text (legal references, cf. titles). */
  plain(inline: Inline[]): string {
    return this.resolver.plain(inline);
  }
}
