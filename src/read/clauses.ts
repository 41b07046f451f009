// Clause text and blocks as a clause file (or a deviation in a config) writes
// them: parts, blocks, list items, legal references, each checked and
// registered by id, with the placeholders its text holds.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { parseInline, refsOf } from './inline.js';
import { readCondition } from './conditions.js';
import type {
  AlternativeMember,
  BuiltClause,
  Block,
  Condition,
  CrossReference,
  DefinitionItem,
  IdEntry,
  Inline,
  LegalEntry,
  ListItem,
  Part,
  TableRow,
} from '../model/model.js';
import { numberProblem } from '../model/number.js';
import { nestedBlocks } from '../model/walk.js';
import { pointerJoin, pointerSplit, spanAt, type ParsedFile, type Range } from './yaml.js';
import { describePath } from './schema-check.js';
import {
  type AlternativeMemberInput,
  type BlockInput,
  type ConditionInput,
  type LegalEntryInput,
  type ListItemInput,
  type PartInput,
} from '../schema/policy.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';

/** A {{name}} placeholder found in clause text. */
type PlaceholderRef = Extract<Inline, { kind: 'ref' }>;

export class ClauseBuilder {
  readonly ids = new Map<string, IdEntry>();
  protected readonly file: string;
  readonly refs: PlaceholderRef[] = [];
  /** Placeholders in text fields that are not clause text (choice values, legal references, cf. titles), which may name variables only. */
  readonly fieldRefs: { ref: PlaceholderRef; field: string }[] = [];
  /** Every `when:` read, checked once the whole file is known (conditions.ts). */
  readonly conditions: Condition[] = [];

  constructor(
    protected readonly parsed: ParsedFile,
    protected readonly diags: Diagnostics,
  ) {
    this.file = parsed.file.path;
  }

  protected register(id: string, entry: IdEntry): void {
    const prev = this.ids.get(id);
    if (prev) {
      this.diags.error('duplicate-id', `The id "${id}" is used twice in this policy`, {
        file: this.file,
        range: spanAt(this.parsed, pointerJoin(entry.pointer, 'id')),
        hint: 'Every block, list item, alternative and reference needs its own id; district configs refer to them.',
        related: [{ file: this.file, range: spanAt(this.parsed, pointerJoin(prev.pointer, 'id')), message: 'first used here' }],
      });
      return;
    }
    this.ids.set(id, entry);
  }

  protected blankLine(value: string, pointer: string): void {
    // Blank lines after the last words (YAML's "|+") end nothing.
    const blank = /\n[ \t]*\n(?=[^]*\S)/.exec(value);
    if (!blank) return;
    const path = pointerSplit(pointer).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    this.diags.error('blank-line', `${describePath(path)} has a blank line inside it; a clause is one paragraph`, {
      file: this.file,
      range: afterBlankLine(this.parsed.file.text, spanAt(this.parsed, pointer)),
      hint: pointer.endsWith('/paragraph')
        ? 'Write the second paragraph as a block of its own, with its own id.'
        : 'Join the two paragraphs, or write the second as a paragraph block of its own after this block.',
    });
  }

  protected text(value: string, pointer: string): Inline[] {
    // A blank line would end a paragraph in Markdown but not in HTML: the two editions would differ.
    if (value.includes('\n')) this.blankLine(value, pointer);
    const inline = parseInline(value, this.file, this.parsed.file.text, () => spanAt(this.parsed, pointer), this.diags);
    this.refs.push(...refsOf(inline));
    return inline;
  }

  /**
   * A text field that is not a block's or item's text but is printed as policy
   * text: its placeholders are expanded as clause text's are, and may name
   * variables only. Undefined when it holds none.
   */
  protected when(input: ConditionInput | undefined, pointer: string): { when?: Condition } {
    if (!input) return {};
    const when = readCondition(input, pointer);
    this.conditions.push(when);
    return { when };
  }

  protected fieldText(value: string, span: () => Range, field: string): Inline[] | undefined {
    if (!value.includes('{{')) return undefined;
    const inline = parseInline(value, this.file, this.parsed.file.text, span, this.diags);
    for (const ref of refsOf(inline)) {
      this.refs.push(ref);
      this.fieldRefs.push({ ref, field });
    }
    return inline;
  }

  protected part(p: PartInput, pointer: string): Part {
    const part: Part = {
      id: p.id,
      kind: p.kind,
      ...('number' in p && p.number !== undefined ? { number: p.number } : {}),
      ...('when' in p ? this.when(p.when, `${pointer}/when`) : {}),
      pointer,
      title: p.title,
      ...('heading' in p && p.heading !== undefined ? { heading: p.heading } : {}),
      body: [],
      cf: [],
      legal: [],
      approval: p.approval ?? (p.kind === 'regulation' ? 'approved' : p.kind === 'exhibit' ? 'none' : 'adopted'),
    };
    if (part.number !== undefined) {
      const problem = numberProblem(part.number);
      if (problem) this.diags.error('invalid-number', `Part number ${JSON.stringify(part.number)} ${problem}`, { file: this.file, range: spanAt(this.parsed, `${pointer}/number`) });
    }
    if (p.history) {
      part.sampleHistory = p.history.flatMap((h, i) => {
        const events = (['adopted', 'approved', 'revised', 'reviewed'] as const).filter((e) => h[e] !== undefined);
        if (events.length !== 1) {
          this.diags.error(events.length ? 'conflicting-keys' : 'missing-key', `A history line of the sample gives ${events.length ? 'two events' : 'no event'}`, { file: this.file, range: spanAt(this.parsed, `${pointer}/history/${i}`), hint: 'Write one line each, e.g. { adopted: 2022-11 }.' });
          return [];
        }
        return [{ event: events[0]!, date: h[events[0]!]!, ...(h.label !== undefined ? { label: h.label } : {}), ...(h['same-line'] !== undefined ? { sameLine: h['same-line'] } : {}) }];
      });
    }
    if (pointer !== '') this.register(p.id, { kind: 'part', part, pointer });
    part.body = p.body.map((b, i) => this.block(b, `${pointer}/body/${i}`));
    const seenCf = new Map<string, string>();
    (p.cf ?? []).forEach((c, i) => {
      const ptr = `${pointer}/cf/${i}`;
      const problem = numberProblem(c.number);
      if (problem) {
        this.diags.error('invalid-number', `Cross-reference number ${JSON.stringify(c.number)} ${problem}`, { file: this.file, range: spanAt(this.parsed, `${ptr}/number`) });
      }
      const prev = seenCf.get(c.number);
      if (prev !== undefined) {
        this.diags.warn('duplicate-cross-reference', `Policy ${c.number} is cross-referenced twice`, {
          file: this.file,
          range: spanAt(this.parsed, `${ptr}/number`),
          related: [{ file: this.file, range: spanAt(this.parsed, `${prev}/number`), message: 'first listed here' }],
        });
      }
      seenCf.set(c.number, ptr);
      // A sample may print the number alone ("(cf. 5114)"): the title is then empty, and printed so.
      const title = c.title ?? '';
      const titleInline = title ? this.fieldText(title, () => spanAt(this.parsed, `${ptr}/title`), 'a cross-reference title') : undefined;
      part.cf.push({ number: c.number, title, ...(titleInline ? { titleInline } : {}), ...(c.after !== undefined ? { after: c.after } : {}), pointer: ptr } satisfies CrossReference);
    });
    part.legal = (p.legal ?? []).map((l, i) => this.legal(l, `${pointer}/legal/${i}`));
    // A reference printed in the body follows a block of this part's.
    const blocks: string[] = [];
    const collect = (bs: readonly Block[]): void => {
      for (const b of bs) {
        blocks.push(b.id);
        for (const nested of nestedBlocks(b)) collect(nested.blocks);
      }
    };
    collect(part.body);
    part.cf.forEach((c, i) => {
      if (c.after === undefined || blocks.includes(c.after)) return;
      const guess = didYouMean(c.after, blocks);
      this.diags.error('invalid-value', `Cross-reference ${c.number} is to follow "${c.after}", which is no block of this part`, {
        file: this.file,
        range: spanAt(this.parsed, `${pointer}/cf/${i}/after`),
        hint: guess ? `Did you mean "${guess}"?` : `Name the paragraph it supports: one of ${formatList(blocks.map((b) => `"${b}"`), 'or')}.`,
      });
    });
    return part;
  }

  protected legal(l: LegalEntryInput, pointer: string): LegalEntry {
    if (l.text === undefined && l.group === undefined && !l.items?.length) {
      this.diags.error('missing-key', `Legal reference "${l.id}" needs "text", or a "group" with "items"`, {
        file: this.file,
        range: spanAt(this.parsed, pointer),
      });
    }
    const entry: LegalEntry = { id: l.id, pointer, text: l.text, group: l.group, ...(l.footnote !== undefined ? { footnote: l.footnote } : {}), items: [] };
    const text = l.text === undefined ? undefined : this.fieldText(l.text, () => spanAt(this.parsed, `${pointer}/text`), 'a legal reference');
    const group = l.group === undefined ? undefined : this.fieldText(l.group, () => spanAt(this.parsed, `${pointer}/group`), 'a legal reference');
    if (text || group) entry.inline = { ...(text ? { text } : {}), ...(group ? { group } : {}) };
    this.register(l.id, { kind: 'legal', entry, pointer });
    entry.items = (l.items ?? []).map((c, i) => this.legal(c, `${pointer}/items/${i}`));
    return entry;
  }

  listItem(it: ListItemInput, pointer: string, checkbox = false): ListItem {
    const item: ListItem = {
      id: it.id,
      pointer,
      text: this.text(it.text, `${pointer}/text`),
      // An item of a checkbox list is one the board may check: optional, unchecked unless it says otherwise.
      optional: it.optional ?? (checkbox ? 'excluded' : undefined),
      ...this.when(it.when, `${pointer}/when`),
      ...(it.paragraphs ? { paragraphs: it.paragraphs.map((p, i) => this.text(p, `${pointer}/paragraphs/${i}`)) } : {}),
      items: [],
      itemsStyle: it['items-style'],
    };
    this.register(it.id, { kind: 'item', item, pointer });
    item.items = (it.items ?? []).map((c, i) => this.listItem(c, `${pointer}/items/${i}`, it['items-style'] === 'checkbox'));
    return item;
  }

  block(b: BlockInput, pointer: string): Block {
    const base = { id: b.id, pointer, optional: b.optional, ...this.when(b.when, `${pointer}/when`), prompt: b.prompt };
    let block: Block;
    if ('heading' in b) {
      block = { ...base, kind: 'heading', text: this.text(b.heading, `${pointer}/heading`), level: b.level ?? 1 };
    } else if ('paragraph' in b) {
      block = { ...base, kind: 'paragraph', text: this.text(b.paragraph, `${pointer}/paragraph`) };
    } else if ('list' in b) {
      block = {
        ...base,
        kind: 'list',
        style: b.list,
        styles: b.styles,
        leadIn: b['lead-in'] === undefined ? undefined : this.text(b['lead-in'], `${pointer}/lead-in`),
        items: [],
      };
      this.register(b.id, { kind: 'block', block, pointer });
      block.items = b.items.map((it, i) => this.listItem(it, `${pointer}/items/${i}`, b.list === 'checkbox'));
      return block;
    } else if ('note' in b) {
      block = { ...base, kind: 'note', text: this.text(b.note, `${pointer}/note`), audience: b.audience };
    } else if ('definitions' in b) {
      block = {
        ...base,
        kind: 'definitions',
        leadIn: b['lead-in'] === undefined ? undefined : this.text(b['lead-in'], `${pointer}/lead-in`),
        items: [],
        ...(b.style !== undefined && b.style !== 'terms' ? { style: b.style } : {}),
      };
      this.register(b.id, { kind: 'block', block, pointer });
      block.items = b.definitions.map((d, i) => {
        const ptr = `${pointer}/definitions/${i}`;
        const item: DefinitionItem = {
          id: d.id,
          pointer: ptr,
          term: this.text(d.term, `${ptr}/term`),
          text: this.text(d.text, `${ptr}/text`),
          optional: d.optional,
          ...this.when(d.when, `${ptr}/when`),
        };
        this.register(d.id, { kind: 'item', item, pointer: ptr });
        return item;
      });
      return block;
    } else if ('table' in b) {
      const t = b.table;
      block = {
        ...base,
        kind: 'table',
        caption: t.caption === undefined ? undefined : this.text(t.caption, `${pointer}/table/caption`),
        columns: t.columns.map((c, i) => this.text(c, `${pointer}/table/columns/${i}`)),
        rows: [],
      };
      this.register(b.id, { kind: 'block', block, pointer });
      block.rows = t.rows.map((r, i) => {
        const ptr = `${pointer}/table/rows/${i}`;
        if (r.cells.length !== t.columns.length) {
          this.diags.error('table-shape', `Row "${r.id}" has ${r.cells.length} cells; the table has ${t.columns.length} columns`, {
            file: this.file,
            range: spanAt(this.parsed, `${ptr}/cells`),
          });
        }
        const row: TableRow = { id: r.id, pointer: ptr, cells: r.cells.map((c, j) => this.text(c, `${ptr}/cells/${j}`)), optional: r.optional, ...this.when(r.when, `${ptr}/when`) };
        this.register(r.id, { kind: 'item', item: row, pointer: ptr });
        return row;
      });
      return block;
    } else if ('section' in b) {
      const section: Block & { kind: 'section' } = { ...base, kind: 'section', blocks: [] };
      this.register(b.id, { kind: 'block', block: section, pointer });
      section.blocks = b.section.map((sb, i) => this.block(sb, `${pointer}/section/${i}`));
      return section;
    } else {
      // No default: the district must choose (select.ts).
      const defaults = b.default === undefined ? [] : Array.isArray(b.default) ? b.default : [b.default];
      const group: Block & { kind: 'alternatives' } = {
        ...base,
        kind: 'alternatives',
        mode: b.alternatives,
        defaults,
        label: b.label,
        members: [],
      };
      this.register(b.id, { kind: 'block', block: group, pointer });
      group.members = b.members.map((m: AlternativeMemberInput, i: number) => {
        const ptr = `${pointer}/members/${i}`;
        const member: AlternativeMember = { id: m.id, pointer: ptr, label: m.label, prompt: m.prompt, blocks: [] };
        this.register(m.id, { kind: 'member', member, group, pointer: ptr });
        member.blocks = m.blocks.map((mb, j) => this.block(mb, `${ptr}/blocks/${j}`));
        return member;
      });
      const memberIds = group.members.map((m) => m.id);
      if (group.mode === 'one-of' && defaults.length > 1) {
        this.diags.error('invalid-default', `Alternative group "${b.id}" is one-of; its default must name one member`, {
          file: this.file,
          range: spanAt(this.parsed, `${pointer}/default`),
          hint: 'Use "alternatives: any-of" if several members may be kept together.',
        });
      }
      defaults.forEach((d, i) => {
        if (!memberIds.includes(d)) {
          const guess = didYouMean(d, memberIds);
          this.diags.error('invalid-default', `Alternative group "${b.id}" has no member "${d}"`, {
            file: this.file,
            range: spanAt(this.parsed, Array.isArray(b.default) ? `${pointer}/default/${i}` : `${pointer}/default`),
            expected: formatList(memberIds, 'or'),
            actual: d,
            hint: guess ? `Did you mean "${guess}"?` : undefined,
          });
        }
      });
      return group;
    }
    this.register(b.id, { kind: 'block', block, pointer });
    return block;
  }
}

/**
 * Clause blocks and list items written in a district config (inserted by a
 * recorded deviation), built like those of a clause file. Their positions are
 * in the config file; ids and placeholders are returned for the caller to
 * check against the policy.
 */
export function buildConfigClause(
  parsed: ParsedFile,
  input: { block?: BlockInput; item?: ListItemInput },
  pointer: string,
  diags: Diagnostics,
): BuiltClause {
  const builder = new ClauseBuilder(parsed, diags);
  const out: { block?: Block; item?: ListItem } = {};
  if (input.block) out.block = builder.block(input.block, `${pointer}/block`);
  if (input.item) out.item = builder.listItem(input.item, `${pointer}/item`);
  // The district's own text is the district's decision already.
  for (const c of builder.conditions) {
    diags.error('invalid-deviation', 'Text a deviation brings cannot depend on a decision ("when")', {
      file: parsed.file.path,
      range: spanAt(parsed, c.pointer, 'key'),
      hint: 'Remove "when": the deviation itself records that the board adopts this text.',
    });
  }
  return { ...out, ids: builder.ids, refs: builder.refs };
}

/**
 * The first words after a blank line inside a scalar's source: where the
 * second paragraph starts. The whole scalar when its source has no empty line
 * (a blank line written as "\n\n" in quotes).
 */
function afterBlankLine(source: string, scalar: Range): Range {
  const slice = source.slice(scalar[0], scalar[1]);
  const blank = /\n[ \t]*\r?\n[ \t\r\n]*/.exec(slice);
  if (!blank) return scalar;
  const start = scalar[0] + blank.index + blank[0].length;
  let end = source.indexOf('\n', start);
  if (end < 0 || end > scalar[1]) end = scalar[1];
  return [start, source.slice(start, end).trimEnd().length + start];
}
