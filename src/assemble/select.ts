// Work out, for one policy, what the district chose: every alternative group,
// optional block or item, inline choice and variable gets a value, from the
// config or from the sample's defaults. Pure: no file system, no printing.
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { DiagnosticInit, Diagnostics, Place } from '../diagnostics/diagnostic.js';
import type { Block, DistrictConfig, IdEntry, Policy, PolicySettings, Selections } from '../model/model.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';
import { walkParts } from '../model/walk.js';

export interface SelectOptions {
  /** Draft builds turn unresolved choices and missing values into warnings. */
  draft: boolean;
}

/** Variables every policy may use without declaring a default. */
export function identityVariables(config: DistrictConfig): Map<string, string> {
  return new Map([
    ['district-name', config.district.name],
    ['board-name', config.district.board],
    ['town', config.district.town],
    ['state', config.district.state],
  ]);
}

export function selectChoices(
  policy: Policy,
  settings: PolicySettings | undefined,
  config: DistrictConfig,
  options: SelectOptions,
  diags: Diagnostics,
): Selections {
  const cfgFile = config.file.path;
  const polFile = policy.file.path;
  const at = (pointer: string, part: 'key' | 'value' = 'value'): { at: Place } => ({ at: part === 'key' ? { pointer, part } : { pointer } });
  const sel: Selections = { alternatives: {}, options: {}, choices: {}, variables: {} };
  const unresolved = (code: DiagnosticCode, message: string, hint: string, declPointer: string) => {
    const init: DiagnosticInit = {
      file: cfgFile,
      ...(settings ? at(settings.pointer, 'key') : { range: [0, 0] as const }),
      hint,
      related: [{ file: polFile, at: { pointer: declPointer, part: 'key' }, message: 'declared here' }],
    };
    if (options.draft) diags.warn(code, message, init);
    else diags.error(code, message, init);
  };

  // Alternative groups and optional blocks/items, by walking the clause tree.
  const groups = new Map<string, Block & { kind: 'alternatives' }>();
  const optionals = new Map<string, { default: boolean; pointer: string }>();
  const optional = (node: { id: string; optional?: string; pointer: string }) => {
    if (node.optional) optionals.set(node.id, { default: node.optional === 'included', pointer: node.pointer });
  };
  walkParts(policy.parts, {
    block: (b) => {
      optional(b);
      if (b.kind === 'alternatives') groups.set(b.id, b);
    },
    item: optional,
    definition: optional,
    row: optional,
  });

  for (const [id, g] of groups) sel.alternatives[id] = [...g.defaults];
  // A group the sample gives no default ("[CHOOSE ONE]"): the district must choose.
  for (const [id, g] of groups) {
    if (g.defaults.length || settings?.alternatives.has(id)) continue;
    const first = g.members[0]!.id;
    unresolved(
      'unresolved-choice',
      `Policy ${policy.number}: alternative group "${id}" has no default and the config does not choose`,
      `Add "alternatives: { ${id}: ${first} }" under policy ${policy.number}; the members are ${formatList(g.members.map((m) => m.id), 'or')}.`,
      g.pointer,
    );
  }
  for (const [id, o] of optionals) sel.options[id] = o.default;

  if (settings) {
    for (const [id, chosen] of settings.alternatives) {
      const g = groups.get(id);
      if (!g) {
        const guess = didYouMean(id, groups.keys());
        const entry = policy.ids.get(id);
        diags.error('unknown-alternative', `Policy ${policy.number} has no alternative group "${id}"`, {
          file: cfgFile,
          ...at(chosen.pointer, 'key'),
          expected: groups.size ? formatList([...groups.keys()], 'or') : 'no alternative groups in this policy',
          actual: id,
          hint: guess
            ? `Did you mean "${guess}"?`
            : entry?.kind === 'member'
              ? `"${id}" is a member of group "${entry.group.id}": write "${entry.group.id}: ${id}".`
              : `Run "sro-policy explain ${policy.number}" to list its choice points.`,
        });
        continue;
      }
      const memberIds = g.members.map((m) => m.id);
      let ok = true;
      chosen.members.forEach((m, i) => {
        if (memberIds.includes(m)) return;
        ok = false;
        const guess = didYouMean(m, memberIds);
        diags.error('unknown-alternative', `Alternative group "${id}" has no member "${m}"`, {
          file: cfgFile,
          ...at(chosen.members.length > 1 || chosen.list ? `${chosen.pointer}/${i}` : chosen.pointer),
          expected: formatList(memberIds, 'or'),
          actual: m,
          hint: guess ? `Did you mean "${guess}"?` : `Choose one of ${formatList(memberIds.map((x) => `"${x}"`), 'or')}.`,
        });
      });
      if (!ok) continue;
      const unique = [...new Set(chosen.members)];
      if (g.mode === 'one-of' && unique.length > 1) {
        diags.error('too-many-selections', `Alternative group "${id}" is one-of: keep one member, not ${unique.length}`, {
          file: cfgFile,
          ...at(chosen.pointer),
          expected: `one of ${formatList(memberIds, 'or')}`,
          actual: unique.join(', '),
          hint: 'Pick the one member the board adopts.',
        });
        continue;
      }
      if (unique.length === 0) {
        diags.error('no-selection', `Alternative group "${id}" needs at least one member`, {
          file: cfgFile,
          ...at(chosen.pointer),
          expected: `one or more of ${formatList(memberIds, 'and')}`,
          hint: `Remove the line to keep the sample default (${g.defaults.join(', ')}).`,
        });
        continue;
      }
      // Keep the sample's order, whatever order the config lists them in.
      sel.alternatives[id] = memberIds.filter((m) => unique.includes(m));
    }

    for (const [id, o] of settings.options) {
      if (optionals.has(id)) {
        sel.options[id] = o.include;
        continue;
      }
      const entry = policy.ids.get(id);
      // Optional in the sample, but no longer in the tree: a recorded deviation left it (or what holds it) out.
      if (entry && isOptional(entry)) {
        const by = settings.deviations.findIndex((d) => d.input.omit === id);
        diags.error('deselected-option', `Policy ${policy.number}: "${id}" is kept here, but a recorded deviation leaves it out`, {
          file: cfgFile,
          ...at(o.pointer, 'key'),
          hint: `Remove the line for "${id}", or the deviation that omits it: an option decides only text the edition still holds.`,
          ...(by >= 0 ? { related: [{ file: cfgFile, at: { pointer: settings.deviations[by]!.pointer }, message: `deviation ${by + 1}` }] } : {}),
        });
        continue;
      }
      const guess = didYouMean(id, optionals.keys());
      diags.error(entry ? 'not-optional' : 'unknown-option', entry ? `"${id}" in policy ${policy.number} is not optional language` : `Policy ${policy.number} has no optional block or item "${id}"`, {
        file: cfgFile,
        ...at(o.pointer, 'key'),
        expected: optionals.size ? formatList([...optionals.keys()], 'or') : 'no optional language in this policy',
        actual: id,
        hint: guess ? `Did you mean "${guess}"?` : entry ? 'Only text the sample marks as optional can be left out; record a deviation to change other text.' : undefined,
      });
    }
  }

  // Inline choices; a following choice takes its leader's answer, after the loop.
  for (const [id, c] of policy.choices) {
    const chosen = settings?.choices.get(id);
    if (c.follows !== undefined) {
      if (chosen) {
        diags.error('decision-conflict', `Policy ${policy.number}: choice "${id}" follows "${c.follows}" and is not chosen on its own`, {
          file: cfgFile,
          ...at(chosen.pointer, 'key'),
          hint: `Remove the line for "${id}"; choose "${c.follows}", which decides both.`,
          related: [{ file: polFile, at: { pointer: `/choices/${id}/follows` }, message: 'it follows here' }],
        });
      }
      continue;
    }
    if (chosen) {
      let ok = true;
      chosen.values.forEach((v, i) => {
        if (c.texts.has(v)) return;
        ok = false;
        const guess = didYouMean(v, c.values);
        diags.error('unknown-choice-value', `Choice "${id}" has no value "${v}"`, {
          file: cfgFile,
          ...at(chosen.list ? `${chosen.pointer}/${i}` : chosen.pointer),
          expected: formatList(c.values, 'or'),
          actual: v,
          hint: guess ? `Did you mean "${guess}"?` : undefined,
        });
      });
      if (!ok) continue;
      const unique = [...new Set(chosen.values)];
      if (!c.multiple && unique.length > 1) {
        diags.error('too-many-selections', `Choice "${id}" takes one value, not ${unique.length}`, {
          file: cfgFile,
          ...at(chosen.pointer),
          expected: `one of ${formatList(c.values, 'or')}`,
          actual: unique.join(', '),
        });
        continue;
      }
      if (unique.length === 0) {
        diags.error('no-selection', `Choice "${id}" needs at least one value`, {
          file: cfgFile,
          ...at(chosen.pointer),
          expected: `one or more of ${formatList(c.values, 'and')}`,
        });
        continue;
      }
      sel.choices[id] = c.values.filter((v) => unique.includes(v));
    } else if (c.defaults) {
      sel.choices[id] = [...c.defaults];
    } else {
      unresolved(
        'unresolved-choice',
        `Policy ${policy.number}: choice "${id}" has no default and the config does not choose (${c.prompt})`,
        `Add "choices: { ${id}: ${c.values[0]} }" under policy ${policy.number}; the values are ${formatList(c.values, 'or')}.`,
        `/choices/${id}`,
      );
    }
  }
  for (const [id, c] of policy.choices) {
    const leader = c.follows === undefined ? undefined : sel.choices[c.follows];
    if (leader) sel.choices[id] = leader.filter((v) => c.texts.has(v));
  }
  if (settings) {
    for (const [id, chosen] of settings.choices) {
      if (policy.choices.has(id)) continue;
      const guess = didYouMean(id, policy.choices.keys());
      diags.error('unknown-choice', `Policy ${policy.number} has no inline choice "${id}"`, {
        file: cfgFile,
        ...at(chosen.pointer, 'key'),
        expected: policy.choices.size ? formatList([...policy.choices.keys()], 'or') : 'no inline choices in this policy',
        actual: id,
        hint: guess ? `Did you mean "${guess}"?` : policy.variables.has(id) ? `"${id}" is a variable: put it under "variables:".` : undefined,
      });
    }
  }

  // Variables: policy setting > shared config value > district identity > clause default.
  const identity = identityVariables(config);
  for (const [id, v] of policy.variables) {
    const value = settings?.variables.get(id)?.value ?? config.variables.get(id)?.value ?? identity.get(id) ?? v.default;
    if (value !== undefined) {
      sel.variables[id] = value;
      continue;
    }
    unresolved(
      'missing-variable',
      `Policy ${policy.number}: variable "${id}" has no value and no default (${v.prompt})`,
      `Add "variables: { ${id}: … }" under policy ${policy.number}, or under "variables:" at the top to share it.`,
      `/variables/${id}`,
    );
  }
  if (settings) {
    for (const [id, v] of settings.variables) {
      if (policy.variables.has(id)) continue;
      const guess = didYouMean(id, policy.variables.keys());
      diags.error('unknown-variable', `Policy ${policy.number} has no variable "${id}"`, {
        file: cfgFile,
        ...at(v.pointer, 'key'),
        expected: policy.variables.size ? formatList([...policy.variables.keys()], 'or') : 'no variables in this policy',
        actual: id,
        hint: guess ? `Did you mean "${guess}"?` : policy.choices.has(id) ? `"${id}" is an inline choice: put it under "choices:".` : undefined,
      });
    }
    const partIds = policy.parts.map((p) => p.id);
    for (const h of settings.history) {
      if (h.part !== undefined && !partIds.includes(h.part)) {
        const guess = didYouMean(h.part, partIds);
        diags.error('unknown-part', `Policy ${policy.number} has no part "${h.part}"`, {
          file: cfgFile,
          ...at(`${h.pointer}/part`),
          expected: formatList(partIds, 'or'),
          actual: h.part,
          hint: guess ? `Did you mean "${guess}"?` : undefined,
        });
      }
    }
  }
  return sel;
}

function isOptional(entry: IdEntry): boolean {
  if (entry.kind === 'block') return entry.block.optional !== undefined;
  return entry.kind === 'item' && entry.item.optional !== undefined;
}
