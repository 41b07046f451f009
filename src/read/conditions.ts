// Linked decisions as a clause file writes them (`when:` on a block or item,
// `rules:` on the policy, `follows:` on a choice): read into conditions, then
// checked against the policy's own choices, optional language and alternative
// groups once the whole file is read, so that a condition never names a
// decision that does not exist or a value it cannot have.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';
import type { ChoiceDecl, Condition, DecisionRule, IdEntry } from '../model/model.js';
import type { ConditionInput } from '../schema/policy.js';
import { spanAt, type ParsedFile } from './yaml.js';

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

export function readCondition(c: ConditionInput, pointer: string): Condition {
  const label = c.label !== undefined ? { label: c.label } : {};
  if ('choice' in c) return { kind: 'choice', id: c.choice, values: list(c.is), pointer, ...label };
  if ('option' in c) return { kind: 'option', id: c.option, kept: c.kept ?? true, pointer, ...label };
  if ('alternative' in c) return { kind: 'alternative', id: c.alternative, members: list(c.is), pointer, ...label };
  if ('all' in c) return { kind: 'all', of: c.all.map((x, i) => readCondition(x, `${pointer}/all/${i}`)), pointer, ...label };
  if ('any' in c) return { kind: 'any', of: c.any.map((x, i) => readCondition(x, `${pointer}/any/${i}`)), pointer, ...label };
  return { kind: 'not', of: readCondition(c.not, `${pointer}/not`), pointer, ...label };
}

/** What a condition may name: the policy's choices, and its optional language and alternative groups by id. */
export interface Decisions {
  choices: ReadonlyMap<string, ChoiceDecl>;
  ids: ReadonlyMap<string, IdEntry>;
}

function optionalIds(ids: ReadonlyMap<string, IdEntry>): string[] {
  const out: string[] = [];
  for (const [id, e] of ids) if ((e.kind === 'block' && e.block.optional) || (e.kind === 'item' && e.item.optional)) out.push(id);
  return out;
}

function groupIds(ids: ReadonlyMap<string, IdEntry>): string[] {
  const out: string[] = [];
  for (const [id, e] of ids) if (e.kind === 'block' && e.block.kind === 'alternatives') out.push(id);
  return out;
}

/** Report every name a condition gives that the policy does not have. True when all are known. */
export function checkCondition(c: Condition, d: Decisions, file: string, parsed: ParsedFile, diags: Diagnostics): boolean {
  const bad = (key: string, message: string, known: readonly string[], actual: string) => {
    const guess = didYouMean(actual, known);
    diags.error('invalid-condition', message, {
      file,
      range: spanAt(parsed, `${c.pointer}/${key}`),
      expected: known.length ? formatList([...known], 'or') : undefined,
      actual,
      hint: guess ? `Did you mean "${guess}"?` : undefined,
    });
    return false;
  };
  switch (c.kind) {
    case 'choice': {
      const choice = d.choices.get(c.id);
      if (!choice) return bad('choice', `The condition names no choice "${c.id}" of this policy`, [...d.choices.keys()], c.id);
      let ok = true;
      c.values.forEach((v, i) => {
        if (!choice.texts.has(v)) ok = bad(c.values.length > 1 ? `is/${i}` : 'is', `Choice "${c.id}" has no value "${v}"`, choice.values, v) && ok;
      });
      return ok;
    }
    case 'option': {
      const known = optionalIds(d.ids);
      return known.includes(c.id) ? true : bad('option', `The condition names "${c.id}", which is not optional language of this policy`, known, c.id);
    }
    case 'alternative': {
      const e = d.ids.get(c.id);
      if (e?.kind !== 'block' || e.block.kind !== 'alternatives') return bad('alternative', `The condition names no alternative group "${c.id}" of this policy`, groupIds(d.ids), c.id);
      const members = e.block.members.map((m) => m.id);
      let ok = true;
      c.members.forEach((m, i) => {
        if (!members.includes(m)) ok = bad(c.members.length > 1 ? `is/${i}` : 'is', `Alternative group "${c.id}" has no member "${m}"`, members, m) && ok;
      });
      return ok;
    }
    case 'all':
    case 'any':
      return c.of.map((x) => checkCondition(x, d, file, parsed, diags)).every(Boolean);
    case 'not':
      return checkCondition(c.of, d, file, parsed, diags);
  }
}

export function readRules(rules: readonly { if: ConditionInput; requires?: ConditionInput | undefined; conflicts?: ConditionInput | undefined; message?: string | undefined }[] | undefined): DecisionRule[] {
  return (rules ?? []).map((r, i) => {
    const pointer = `/rules/${i}`;
    return {
      if: readCondition(r.if, `${pointer}/if`),
      ...(r.requires ? { requires: readCondition(r.requires, `${pointer}/requires`) } : {}),
      ...(r.conflicts ? { conflicts: readCondition(r.conflicts, `${pointer}/conflicts`) } : {}),
      ...(r.message !== undefined ? { message: r.message } : {}),
      pointer,
    };
  });
}
