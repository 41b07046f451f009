// Text tables for `list`, `explain` and `refs` over a library. Pure: data in, text out.
import type { Library, LegalEntry, Policy } from '../model/model.js';
import { comparePolicyNumbers } from '../model/number.js';
import { choicePoints } from '../assemble/choice-points.js';

/** Columns padded to their widest cell, two spaces apart. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n');
}

export function listReport(policies: readonly Policy[]): string {
  const rows = [['NUMBER', 'TITLE', 'KIND', 'STATUS']];
  for (const p of [...policies].sort((a, b) => comparePolicyNumbers(a.number, b.number))) {
    rows.push([p.number, p.title, p.kind + (p.parts.length > 1 ? ` + ${p.parts.slice(1).map((x) => x.kind).join(' + ')}` : ''), p.status ?? '-']);
  }
  return `${table(rows)}\n`;
}

function key(number: string, ...path: string[]): string {
  return `policies."${number}".${path.join('.')}`;
}

export function explainReport(policy: Policy, file: string): string {
  const cp = choicePoints(policy);
  const out: string[] = [];
  out.push(`${policy.number} ${policy.title} (${policy.kind}${policy.status ? `, ${policy.status}` : ''})`);
  out.push(`clause file: ${file}`);
  out.push('');
  out.push('Alternatives');
  if (cp.alternatives.length === 0) out.push('  (none)');
  for (const a of cp.alternatives) {
    out.push(`  ${a.id}: ${a.mode}, default ${a.defaults.length ? a.defaults.join(' + ') : 'none (must be chosen)'}${a.prompt ? ` - ${a.prompt}` : ''}`);
    for (const m of a.members) out.push(`    ${m.id}${a.defaults.includes(m.id) ? ' (default)' : ''}: ${m.prompt ?? m.preview}`);
    out.push(`    set with: ${key(policy.number, 'alternatives', a.id)}: ${a.mode === 'one-of' ? a.members.map((m) => m.id).join(' | ') : `[${a.members.map((m) => m.id).join(', ')}]`}`);
  }
  out.push('');
  out.push('Optional language');
  if (cp.options.length === 0) out.push('  (none)');
  for (const o of cp.options) {
    out.push(`  ${o.id}: ${o.default ? 'included' : 'left out'} by default - ${o.prompt ?? o.preview}`);
    out.push(`    set with: ${key(policy.number, 'options', o.id)}: true | false`);
  }
  out.push('');
  out.push('Inline choices');
  if (cp.choices.length === 0) out.push('  (none)');
  for (const c of cp.choices) {
    if (c.follows !== undefined) {
      out.push(`  ${c.id}: ${c.values.map((v) => `${v} "${c.texts.get(v)}"`).join(', ')}; follows "${c.follows}" (value for value)`);
      out.push(`    ${c.prompt}`);
      out.push(`    set with: ${key(policy.number, 'choices', c.follows)}, which decides both`);
      continue;
    }
    const def = c.defaults ? c.defaults.join(', ') : 'none (must be chosen)';
    out.push(`  ${c.id}: ${c.multiple ? 'one or more' : 'one'} of ${c.values.map((v) => `${v} "${c.texts.get(v)}"`).join(', ')}; default ${def}${c.revision ? ` (sample shows "${c.texts.get(c.revision.struck)}" struck, "${c.texts.get(c.revision.inserted)}" inserted)` : ''}`);
    out.push(`    ${c.prompt}`);
    out.push(`    set with: ${key(policy.number, 'choices', c.id)}: ${c.multiple ? `[${c.values.join(', ')}]` : c.values.join(' | ')}`);
  }
  if (cp.dependsOn.length || cp.rules.length) {
    out.push('');
    out.push('Linked decisions');
    for (const d of cp.dependsOn) out.push(`  ${d.id}: depends on ${d.on}`);
    for (const r of cp.rules) out.push(`  rule: ${r}`);
  }
  out.push('');
  out.push('Variables');
  if (cp.variables.length === 0) out.push('  (none)');
  for (const v of cp.variables) {
    const builtIn = { 'board-name': 'district.board', 'district-name': 'district.name', town: 'district.town', state: 'district.state' }[v.id];
    out.push(`  ${v.id}: default ${v.default !== undefined ? `"${v.default}"` : 'none (required)'} - ${v.prompt}`);
    out.push(`    set with: ${key(policy.number, 'variables', v.id)}, or variables.${v.id} for every policy${builtIn ? `, or ${builtIn}` : ''}`);
  }
  out.push('');
  out.push('History');
  for (const p of cp.parts) {
    if (p.approval === 'none') continue;
    out.push(`  ${p.id} (${p.kind}): ${key(policy.number, 'history')}: [{ ${p.approval}: YYYY-MM-DD${p.id === cp.parts[0]!.id ? '' : `, part: ${p.id}`} }]`);
  }
  return `${out.join('\n')}\n`;
}

export interface RefsEntry {
  target: string;
  kind: 'policy' | 'legal';
  citedBy: string[];
}

/** Every reference target (policy numbers and legal references) with the policies that cite it. */
export function collectRefs(policies: readonly Policy[]): RefsEntry[] {
  const map = new Map<string, RefsEntry>();
  const add = (kind: RefsEntry['kind'], target: string, by: string) => {
    const k = `${kind}\u0000${target}`;
    let e = map.get(k);
    if (!e) map.set(k, (e = { target, kind, citedBy: [] }));
    if (!e.citedBy.includes(by)) e.citedBy.push(by);
  };
  const legal = (l: LegalEntry, by: string, group: string | undefined) => {
    if (l.text !== undefined) add('legal', group && l.items.length === 0 && !l.text.startsWith(group) ? `${group}: ${l.text}` : l.text, by);
    for (const c of l.items) legal(c, by, l.group ?? group);
  };
  for (const p of policies) {
    for (const part of p.parts) {
      for (const c of part.cf) add('policy', c.number, p.number);
      for (const l of part.legal) legal(l, p.number, undefined);
    }
  }
  for (const e of map.values()) e.citedBy.sort(comparePolicyNumbers);
  return [...map.values()].sort((a, b) => (a.kind !== b.kind ? (a.kind === 'policy' ? -1 : 1) : a.kind === 'policy' ? comparePolicyNumbers(a.target, b.target) : a.target.localeCompare(b.target, 'en')));
}

/** Which policies cite a policy number (exactly) or a statute (any words of it, case-insensitive). */
export function refsReport(policies: readonly Policy[], query: string | undefined, library: Library): string {
  const entries = collectRefs(policies);
  const q = query?.trim().toLowerCase();
  const matches = q === undefined ? entries : entries.filter((e) => (e.kind === 'policy' ? e.target.toLowerCase() === q : e.target.toLowerCase().includes(q)));
  if (matches.length === 0) return `No policy in the manual cites ${JSON.stringify(query)}.\n`;
  const out: string[] = [];
  const title = (n: string) => library.policies.get(n)?.title;
  for (const e of matches) {
    out.push(e.kind === 'policy' ? `${e.target}${title(e.target) ? ` ${title(e.target)}` : ' (not in the manual)'}` : e.target);
    for (const by of e.citedBy) out.push(`  cited by ${by} ${title(by) ?? ''}`.trimEnd());
  }
  return `${out.join('\n')}\n`;
}
