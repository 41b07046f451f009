// validate (library side): a parsed clause file → a typed Policy, with every
// problem reported against the line it comes from.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { checkTextValues } from './check-text.js';
import { mapRange, parseInline, refsOf } from './inline.js';
import { checkLinks } from '../model/links.js';
import type {
  AlternativeMember,
  BuiltClause,
  Block,
  ChoiceDecl,
  CrossReference,
  DefinitionItem,
  IdEntry,
  Inline,
  LegalEntry,
  ListItem,
  Part,
  Policy,
  TableRow,
  VariableDecl,
} from '../model/model.js';
import { numberProblem } from '../model/number.js';
import { sourceRef } from '../model/source.js';
import { pointerJoin, pointerSplit, spanAt, type ParsedFile, type Range } from './yaml.js';
import { checkSchema, describePath } from './schema-check.js';
import {
  PolicyFile,
  type AlternativeMemberInput,
  type BlockInput,
  type LegalEntryInput,
  type ListItemInput,
  type PartInput,
  type PolicyFileInput,
} from '../schema/policy.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';

export const DEFAULT_LABELS = {
  alternative: 'Alternative language:',
  optional: 'Optional Language:',
  legal: 'Legal Reference:',
  cf: 'cf.',
  boardNote: 'Note to the board:',
} as const;

/** Keys whose values are policy numbers or dates: kept as written, never as numbers. */
export const TEXT_KEYS = new Set(['number', 'date', 'edition', 'adopted', 'approved', 'revised', 'reviewed', 'title', 'text', 'paragraph', 'heading', 'group', 'publisher']);

export function validatePolicy(parsed: ParsedFile, diags: Diagnostics): Policy | undefined {
  restoreNumbers(parsed);
  const input = checkSchema(parsed, PolicyFile, diags);
  if (!input) return undefined;
  checkTextValues(parsed, diags);
  return new PolicyBuilder(parsed, input, diags).build();
}

/**
 * YAML reads `number: 5131.60` as the float 5131.6. For keys that hold policy
 * numbers, dates and text, put back exactly what the writer typed.
 */
export function restoreNumbers(parsed: ParsedFile, extra?: (pointer: string) => boolean): void {
  // The path is joined into a pointer only at a number: this visits every value of every file, and most are text.
  const path: (string | number)[] = [];
  const pointer = () => path.reduce<string>((p, k) => pointerJoin(p, k), '');
  const visit = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'number') {
      if (key !== undefined && TEXT_KEYS.has(key)) return parsed.raw.get(pointer()) ?? String(v);
      if (extra) {
        const p = pointer();
        if (extra(p)) return parsed.raw.get(p) ?? String(v);
      }
      return v;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        v[i] = visit(v[i], undefined);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        path.push(k);
        o[k] = visit(o[k], k);
        path.pop();
      }
    }
    return v;
  };
  parsed.data = visit(parsed.data, undefined);
}

/** A {{name}} placeholder found in clause text. */
type PlaceholderRef = Extract<Inline, { kind: 'ref' }>;

class PolicyBuilder {
  readonly ids = new Map<string, IdEntry>();
  private readonly file: string;
  readonly refs: PlaceholderRef[] = [];

  constructor(
    private readonly parsed: ParsedFile,
    private readonly input: PolicyFileInput,
    private readonly diags: Diagnostics,
  ) {
    this.file = parsed.file.path;
  }

  build(): Policy | undefined {
    const { input, parsed, diags } = this;
    const before = diags.errorCount;
    const problem = numberProblem(input.number);
    if (problem) {
      diags.error('invalid-number', `Policy number ${JSON.stringify(input.number)} ${problem}`, {
        file: this.file,
        range: spanAt(parsed, '/number'),
        hint: 'A policy number is printed text such as "5142.4", "5132R" or "2:90".',
      });
    }
    const variables = new Map<string, VariableDecl>();
    for (const [id, v] of Object.entries(input.variables ?? {})) {
      variables.set(id, { id, prompt: v.prompt, default: v.default, sample: v.sample });
    }
    const choices = new Map<string, ChoiceDecl>();
    for (const [id, c] of Object.entries(input.choices ?? {})) {
      const decl = this.choice(id, c);
      if (decl) choices.set(id, decl);
    }
    for (const id of variables.keys()) {
      if (choices.has(id)) {
        diags.error('duplicate-id', `"${id}" is both a variable and a choice`, {
          file: this.file,
          range: spanAt(parsed, `/choices/${id}`, 'key'),
          hint: 'Placeholders {{name}} must name one thing; rename one of them.',
        });
      }
    }

    const itemsBefore = diags.items.length;
    const mainKind = input.kind;
    const main: Part = this.part(
      { id: mainKind, kind: mainKind, title: input.title, body: input.body, cf: input.cf, legal: input.legal, approval: input.approval },
      '',
    );
    const parts = [main];
    (input.parts ?? []).forEach((p, i) => {
      // The main part's id is its kind; a later part with the same id would take its history lines.
      if (p.id === mainKind) {
        diags.error('duplicate-id', `Part "${p.id}" has the id of the main part (the policy's kind)`, {
          file: this.file,
          range: spanAt(parsed, `/parts/${i}/id`),
          hint: `Give the part another id, e.g. "${p.kind === mainKind ? `${p.kind}-2` : p.kind}".`,
        });
      }
      parts.push(this.part(p, `/parts/${i}`));
    });

    // Placeholders must name a declared variable or choice. A choice whose
    // declaration is broken was reported already; its uses are not unknown.
    const used = new Set<string>();
    for (const ref of this.refs) {
      used.add(ref.name);
      if (ref.sample !== undefined && !variables.has(ref.name) && (choices.has(ref.name) || Object.hasOwn(input.choices ?? {}, ref.name))) {
        // The sample edition prints a choice as the sample's own alternatives, never as a blank.
        diags.warn('sample-on-choice', `{{${ref.name} sample="${ref.sample}"}}: "${ref.name}" is a choice, and sample="…" has no effect on a choice`, {
          file: this.file,
          range: ref.range,
          hint: `Write {{${ref.name}}}: the sample edition prints a choice as its revision mark, its "sample:" text or its values. sample="…" is for variables; to print this choice differently in the sample, set the choice's own "sample:".`,
        });
      }
      if (variables.has(ref.name) || choices.has(ref.name) || Object.hasOwn(input.choices ?? {}, ref.name)) continue;
      const known = [...variables.keys(), ...choices.keys()];
      const guess = didYouMean(ref.name, known);
      // The misspelt placeholder is the one mistake: do not also call its declaration unused.
      if (guess) used.add(guess);
      diags.error('unknown-placeholder', `{{${ref.name}}} names no variable or choice of policy ${input.number}`, {
        file: this.file,
        range: ref.range,
        expected: known.length ? formatList(known, 'or') : 'a variable or choice declared under "variables:" or "choices:"',
        actual: ref.name,
        hint: guess ? `Did you mean {{${guess}}}?` : `Declare "${ref.name}" under "variables:" or "choices:".`,
      });
    }
    // Text whose placeholders could not be read may well use the declaration.
    const unreadable = diags.items.slice(itemsBefore).some((d) => d.code === 'clause-template');
    for (const [kind, map] of [['variables', variables], ['choices', choices]] as const) {
      for (const id of map.keys()) {
        if (!used.has(id) && !unreadable) {
          diags.warn('unused-declaration', `${kind === 'variables' ? 'Variable' : 'Choice'} "${id}" is declared but never used in the text`, {
            file: this.file,
            range: spanAt(parsed, `/${kind}/${id}`, 'key'),
            hint: `Use it as {{${id}}} in the text, or remove it.`,
          });
        }
      }
    }
    if (diags.errorCount > before) return undefined;
    const labels = input.labels ?? {};
    return {
      number: input.number,
      title: input.title,
      series: input.series,
      category: input.category,
      kind: input.kind,
      status: input.status,
      sample: input.sample,
      labels: {
        alternative: labels.alternative ?? DEFAULT_LABELS.alternative,
        optional: labels.optional ?? DEFAULT_LABELS.optional,
        legal: labels.legal ?? DEFAULT_LABELS.legal,
        cf: labels.cf ?? DEFAULT_LABELS.cf,
        boardNote: labels['board-note'] ?? DEFAULT_LABELS.boardNote,
      },
      variables,
      choices,
      parts,
      ids: this.ids,
      file: sourceRef(parsed.file),
    };
  }

  private choice(id: string, c: NonNullable<PolicyFileInput['choices']>[string]): ChoiceDecl | undefined {
    const { diags, parsed } = this;
    const ptr = `/choices/${id}`;
    const values = Object.keys(c.values);
    const texts = new Map(Object.entries(c.values));
    // A value is printed as publisher Markdown, as clause text is.
    for (const [v, text] of texts) {
      checkLinks(text, this.file, (index, length) => ({ range: mapRange(text, parsed.file.text, spanAt(parsed, pointerJoin(`${ptr}/values`, v)), index, length) }), diags);
    }
    let ok = true;
    if (values.length < 2) {
      diags.error('invalid-value', `Choice "${id}" needs at least two values to choose from`, {
        file: this.file,
        range: spanAt(parsed, `${ptr}/values`, 'key'),
        hint: 'Add the other value, or write the text without a choice if there is only one.',
      });
      ok = false;
    }
    const multiple = c.multiple ?? false;
    const defaults = c.default === undefined ? undefined : Array.isArray(c.default) ? c.default : [c.default];
    if (defaults) {
      if (!multiple && defaults.length !== 1) {
        diags.error('invalid-default', `Choice "${id}" takes one value; its default lists ${defaults.length}`, {
          file: this.file,
          range: spanAt(parsed, `${ptr}/default`),
          hint: 'Give one value, or add "multiple: true" if several may be chosen.',
        });
        ok = false;
      }
      if (multiple && defaults.length === 0) {
        diags.error('invalid-default', `Choice "${id}" needs at least one default value`, { file: this.file, range: spanAt(parsed, `${ptr}/default`) });
        ok = false;
      }
      defaults.forEach((d, i) => {
        if (!texts.has(d)) {
          ok = false;
          this.unknownValue(d, values, Array.isArray(c.default) ? `${ptr}/default/${i}` : `${ptr}/default`, `Choice "${id}"`);
        }
      });
    }
    if (c.revision) {
      if (multiple) {
        diags.error('invalid-value', `Choice "${id}" cannot be both a revision and a multiple choice`, { file: this.file, range: spanAt(parsed, `${ptr}/revision`) });
        ok = false;
      }
      for (const k of ['struck', 'inserted'] as const) {
        if (!texts.has(c.revision[k])) {
          ok = false;
          this.unknownValue(c.revision[k], values, `${ptr}/revision/${k}`, `Choice "${id}"`);
        }
      }
    }
    if (!ok) return undefined;
    return {
      id,
      prompt: c.prompt,
      values,
      texts,
      defaults,
      multiple,
      conjunction: c.conjunction ?? 'and',
      serialComma: c['serial-comma'],
      revision: c.revision,
      sample: c.sample,
      separator: c.separator ?? '/',
    };
  }

  private unknownValue(value: string, values: string[], pointer: string, owner: string): void {
    const guess = didYouMean(value, values);
    this.diags.error('unknown-choice-value', `${owner} has no value "${value}"`, {
      file: this.file,
      range: spanAt(this.parsed, pointer),
      expected: formatList(values, 'or'),
      actual: value,
      hint: guess ? `Did you mean "${guess}"?` : undefined,
    });
  }

  private register(id: string, entry: IdEntry): void {
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

  private blankLine(value: string, pointer: string): void {
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

  private text(value: string, pointer: string): Inline[] {
    // A blank line would end a paragraph in Markdown but not in HTML: the two editions would differ.
    if (value.includes('\n')) this.blankLine(value, pointer);
    const inline = parseInline(value, this.file, this.parsed.file.text, () => spanAt(this.parsed, pointer), this.diags);
    this.refs.push(...refsOf(inline));
    return inline;
  }

  private part(p: PartInput, pointer: string): Part {
    const part: Part = {
      id: p.id,
      kind: p.kind,
      pointer,
      title: p.title,
      body: [],
      cf: [],
      legal: [],
      approval: p.approval ?? (p.kind === 'regulation' ? 'approved' : p.kind === 'exhibit' ? 'none' : 'adopted'),
    };
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
      part.cf.push({ number: c.number, title: c.title, pointer: ptr } satisfies CrossReference);
    });
    part.legal = (p.legal ?? []).map((l, i) => this.legal(l, `${pointer}/legal/${i}`));
    return part;
  }

  private legal(l: LegalEntryInput, pointer: string): LegalEntry {
    if (l.text === undefined && l.group === undefined && !l.items?.length) {
      this.diags.error('missing-key', `Legal reference "${l.id}" needs "text", or a "group" with "items"`, {
        file: this.file,
        range: spanAt(this.parsed, pointer),
      });
    }
    const entry: LegalEntry = { id: l.id, pointer, text: l.text, group: l.group, items: [] };
    this.register(l.id, { kind: 'legal', entry, pointer });
    entry.items = (l.items ?? []).map((c, i) => this.legal(c, `${pointer}/items/${i}`));
    return entry;
  }

  listItem(it: ListItemInput, pointer: string): ListItem {
    const item: ListItem = {
      id: it.id,
      pointer,
      text: this.text(it.text, `${pointer}/text`),
      optional: it.optional,
      items: [],
      itemsStyle: it['items-style'],
    };
    this.register(it.id, { kind: 'item', item, pointer });
    item.items = (it.items ?? []).map((c, i) => this.listItem(c, `${pointer}/items/${i}`));
    return item;
  }

  block(b: BlockInput, pointer: string): Block {
    const base = { id: b.id, pointer, optional: b.optional, prompt: b.prompt };
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
      block.items = b.items.map((it, i) => this.listItem(it, `${pointer}/items/${i}`));
      return block;
    } else if ('note' in b) {
      block = { ...base, kind: 'note', text: this.text(b.note, `${pointer}/note`), audience: b.audience };
    } else if ('definitions' in b) {
      block = {
        ...base,
        kind: 'definitions',
        leadIn: b['lead-in'] === undefined ? undefined : this.text(b['lead-in'], `${pointer}/lead-in`),
        items: [],
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
        const row: TableRow = { id: r.id, pointer: ptr, cells: r.cells.map((c, j) => this.text(c, `${ptr}/cells/${j}`)), optional: r.optional };
        this.register(r.id, { kind: 'item', item: row, pointer: ptr });
        return row;
      });
      return block;
    } else {
      const defaults = Array.isArray(b.default) ? b.default : [b.default];
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
      if (group.mode === 'one-of' && defaults.length !== 1) {
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
  const builder = new PolicyBuilder(parsed, {} as PolicyFileInput, diags);
  const out: { block?: Block; item?: ListItem } = {};
  if (input.block) out.block = builder.block(input.block, `${pointer}/block`);
  if (input.item) out.item = builder.listItem(input.item, `${pointer}/item`);
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
