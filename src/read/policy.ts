// validate (library side): a parsed clause file → a typed Policy, with every
// problem reported against the line it comes from.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { checkTextValues } from './check-text.js';
import { mapRange } from './inline.js';
import { checkLinks } from '../model/links.js';
import type {
  ChoiceDecl,
  Inline,
  Labels,
  Part,
  Policy,
  VariableDecl,
} from '../model/model.js';
import { numberProblem } from '../model/number.js';
import { sourceRef } from '../model/source.js';
import { pointerJoin, spanAt, type ParsedFile } from './yaml.js';
import { checkSchema } from './schema-check.js';
import {
  PolicyFile,
  type PolicyFileInput,
} from '../schema/policy.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';
import { ClauseBuilder } from './clauses.js';
import { checkCondition, readRules } from './conditions.js';

export { buildConfigClause } from './clauses.js';

export const DEFAULT_LABELS = {
  alternative: 'Alternative language:',
  optional: 'Optional Language:',
  alternativeEnd: 'End of alternative language.',
  optionalEnd: 'End of optional language.',
  alternativeLead: '',
  legal: 'Legal Reference:',
  cf: 'cf.',
  cfSeparator: ' - ',
  cfHeading: '',
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

/** The labels a clause file (or a library's settings) writes, by the model's names. */
export function ownLabels(l: NonNullable<PolicyFileInput['labels']>): Partial<Labels> {
  const out: Partial<Labels> = {};
  const names: [keyof typeof l, keyof Labels][] = [
    ['alternative', 'alternative'],
    ['optional', 'optional'],
    ['alternative-end', 'alternativeEnd'],
    ['alternative-lead', 'alternativeLead'],
    ['optional-end', 'optionalEnd'],
    ['legal', 'legal'],
    ['cf', 'cf'],
    ['cf-separator', 'cfSeparator'],
    ['cf-heading', 'cfHeading'],
    ['board-note', 'boardNote'],
  ];
  for (const [from, to] of names) if (l[from] !== undefined) out[to] = l[from];
  return out;
}

class PolicyBuilder extends ClauseBuilder {
  constructor(
    parsed: ParsedFile,
    private readonly input: PolicyFileInput,
    diags: Diagnostics,
  ) {
    super(parsed, diags);
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
      { id: mainKind, kind: mainKind, title: input.title, body: input.body, cf: input.cf, legal: input.legal, approval: input.approval, history: input.history },
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
    // Linked decisions name this policy's own choices, optional language and alternative groups.
    const rules = readRules(input.rules);
    const decisions = { choices, ids: this.ids };
    for (const c of [...this.conditions, ...rules.flatMap((r) => [r.if, ...(r.requires ? [r.requires] : []), ...(r.conflicts ? [r.conflicts] : [])])]) {
      checkCondition(c, decisions, this.file, parsed, diags);
    }
    this.checkFollows(choices);
    // A choice inside a choice value, a legal reference or a cf. title would be a question inside an answer.
    for (const { ref, field } of this.fieldRefs) {
      if (!choices.has(ref.name) || variables.has(ref.name)) continue;
      diags.error('clause-template', `{{${ref.name}}} is a choice; ${field} can hold variables only`, {
        file: this.file,
        range: ref.range,
        hint: field === 'a choice value' ? `Write the words of "${ref.name}" into each value of this choice, or make it one choice whose values list the combinations.` : `Put the words in the policy's text, where a choice may be used, or make "${ref.name}" a variable.`,
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
        alternativeEnd: labels['alternative-end'] ?? DEFAULT_LABELS.alternativeEnd,
        optionalEnd: labels['optional-end'] ?? DEFAULT_LABELS.optionalEnd,
        alternativeLead: labels['alternative-lead'] ?? DEFAULT_LABELS.alternativeLead,
        legal: labels.legal ?? DEFAULT_LABELS.legal,
        cf: labels.cf ?? DEFAULT_LABELS.cf,
        cfSeparator: labels['cf-separator'] ?? DEFAULT_LABELS.cfSeparator,
        cfHeading: labels['cf-heading'] ?? DEFAULT_LABELS.cfHeading,
        boardNote: labels['board-note'] ?? DEFAULT_LABELS.boardNote,
      },
      ...(input.markers?.length ? { markers: input.markers } : {}),
      ...(input['list-punctuation'] ? { listPunctuation: input['list-punctuation'] } : {}),
      ...(input['optional-labels'] ? { optionalLabels: input['optional-labels'] } : {}),
      ...(input['date-format'] ? { dateFormat: input['date-format'] } : {}),
      ...(input.labels ? { ownLabels: ownLabels(input.labels) } : {}),
      variables,
      choices,
      ...(rules.length ? { rules } : {}),
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
    // A value is printed as publisher Markdown, as clause text is, and its placeholders are expanded (fieldText).
    const inline = new Map<string, Inline[]>();
    for (const [v, text] of [...texts, ...(c.sample !== undefined ? [['', c.sample] as const] : [])]) {
      const at = pointerJoin(`${ptr}/values`, v);
      const split = this.fieldText(text, () => spanAt(parsed, v === '' ? `${ptr}/sample` : at), 'a choice value');
      if (split) inline.set(v, split);
      else if (v !== '') checkLinks(text, this.file, (index, length) => ({ range: mapRange(text, parsed.file.text, spanAt(parsed, at), index, length) }), diags);
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
      ...(inline.size ? { inline } : {}),
      defaults,
      multiple,
      conjunction: c.conjunction ?? 'and',
      serialComma: c['serial-comma'],
      revision: c.revision,
      sample: c.sample,
      separator: c.separator ?? '/',
      ...(c.follows !== undefined ? { follows: c.follows } : {}),
    };
  }

  /** A following choice takes another's answer value for value: that choice must exist, lead itself, and offer no value this one lacks. */
  private checkFollows(choices: ReadonlyMap<string, ChoiceDecl>): void {
    for (const [id, c] of choices) {
      if (c.follows === undefined) continue;
      const at = spanAt(this.parsed, `/choices/${id}/follows`);
      const leader = choices.get(c.follows);
      if (!leader || c.follows === id) {
        const others = [...choices.keys()].filter((k) => k !== id);
        const guess = didYouMean(c.follows, others);
        this.diags.error('invalid-condition', `Choice "${id}" follows "${c.follows}", which is not another choice of this policy`, { file: this.file, range: at, expected: others.length ? formatList(others, 'or') : undefined, actual: c.follows, hint: guess ? `Did you mean "${guess}"?` : undefined });
        continue;
      }
      if (leader.follows !== undefined) {
        this.diags.error('invalid-condition', `Choice "${id}" follows "${c.follows}", which follows "${leader.follows}" itself`, { file: this.file, range: at, hint: `Write follows: ${leader.follows}: every following choice names the choice the district answers.` });
        continue;
      }
      const missing = leader.values.filter((v) => !c.texts.has(v));
      if (missing.length || leader.multiple !== c.multiple) {
        this.diags.error('invalid-condition', missing.length ? `Choice "${id}" follows "${c.follows}" but has no value for ${formatList(missing.map((v) => `"${v}"`), 'or')}` : `Choice "${id}" follows "${c.follows}", but one of them is multiple and the other is not`, {
          file: this.file,
          range: at,
          hint: `Give "${id}" a value for each value of "${c.follows}" (${formatList(leader.values, 'and')}), with the same ids.`,
        });
      }
    }
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

}
