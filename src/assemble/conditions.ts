// Linked decisions, decided: whether a condition holds under a district's
// selections, how it reads in words, and the rules that keep decisions from
// contradicting each other. Pure.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { Condition, DistrictConfig, Policy, PolicySettings, Selections } from '../model/model.js';
import { formatList } from '../diagnostics/suggest.js';

export function holds(c: Condition, sel: Selections): boolean {
  switch (c.kind) {
    case 'choice':
      return (sel.choices[c.id] ?? []).some((v) => c.values.includes(v));
    case 'option':
      return (sel.options[c.id] ?? false) === c.kept;
    case 'alternative':
      return (sel.alternatives[c.id] ?? []).some((m) => c.members.includes(m));
    case 'all':
      return c.of.every((x) => holds(x, sel));
    case 'any':
      return c.of.some((x) => holds(x, sel));
    case 'not':
      return !holds(c.of, sel);
  }
}

/** The condition in words, by the ids the district's config uses: `"vice-chair" is "with"`. */
export function describeCondition(c: Condition): string {
  const quoted = (xs: readonly string[]) => formatList(xs.map((x) => `"${x}"`), 'or');
  switch (c.kind) {
    case 'choice':
      return `"${c.id}" is ${quoted(c.values)}`;
    case 'option':
      return `"${c.id}" is ${c.kept ? 'kept' : 'left out'}`;
    case 'alternative':
      return `"${c.id}" is ${quoted(c.members)}`;
    case 'all':
      return c.of.map(describeCondition).join(' and ');
    case 'any':
      return c.of.map(describeCondition).join(' or ');
    case 'not':
      return `not (${describeCondition(c.of)})`;
  }
}

/** Sample edition: the label before text that depends on a decision, as optional language whose keeping follows it. */
export function conditionLabel(c: Condition, optionalLabel: string): string {
  return c.label ?? `${optionalLabel.replace(/:\s*$/, '')} (when ${describeCondition(c)}):`;
}

/** The policy's rules: a config whose decisions break one fails, at the policy's entry. */
export function checkRules(policy: Policy, settings: PolicySettings | undefined, sel: Selections, config: DistrictConfig, diags: Diagnostics): void {
  for (const rule of policy.rules ?? []) {
    if (!holds(rule.if, sel)) continue;
    const broken = rule.requires && !holds(rule.requires, sel) ? `which requires that ${describeCondition(rule.requires)}` : rule.conflicts && holds(rule.conflicts, sel) ? `which cannot go with ${describeCondition(rule.conflicts)}` : undefined;
    if (!broken) continue;
    diags.error('decision-conflict', `Policy ${policy.number}: ${describeCondition(rule.if)}, ${broken}${rule.message ? `. ${rule.message}` : ''}`, {
      file: config.file.path,
      ...(settings ? { at: { pointer: settings.pointer, part: 'key' as const } } : {}),
      hint: 'Change one of the two decisions in the config, so that they go together as the sample says.',
      related: [{ file: policy.file.path, at: { pointer: rule.pointer }, message: 'the rule' }],
    });
  }
}
