// Choice points of a policy, for `init` (a commented config the committee fills
// in) and `explain` (what can be chosen and which config key sets it). Pure.
import type { Block, ChoiceDecl, Library, ListItem, Policy, VariableDecl } from '../model/model.js';
import { comparePolicyNumbers } from '../model/number.js';

export interface ChoicePoints {
  alternatives: { id: string; mode: 'one-of' | 'any-of'; prompt?: string; defaults: string[]; members: { id: string; prompt?: string; preview: string }[] }[];
  options: { id: string; default: boolean; prompt?: string; preview: string }[];
  choices: ChoiceDecl[];
  variables: VariableDecl[];
  parts: { id: string; kind: string; approval: string }[];
}

function inlinePreview(text: readonly { kind: string; text?: string; name?: string }[]): string {
  return text.map((n) => (n.kind === 'text' ? n.text : `{{${n.name}}}`)).join('');
}

function shorten(s: string, max = 90): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function blockPreview(b: Block): string {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
    case 'note':
      return inlinePreview(b.text);
    case 'list':
      return b.leadIn ? inlinePreview(b.leadIn) : inlinePreview(b.items[0]?.text ?? []);
    case 'definitions':
      return b.leadIn ? inlinePreview(b.leadIn) : inlinePreview(b.items[0]?.term ?? []);
    case 'table':
      return b.caption ? inlinePreview(b.caption) : b.columns.map(inlinePreview).join(' | ');
    case 'alternatives':
      return b.prompt ?? b.id;
  }
}

/** `previews: false` leaves every preview empty, for callers that need only the ids (the lock file, every build). */
export function choicePoints(policy: Policy, { previews = true }: { previews?: boolean } = {}): ChoicePoints {
  const preview = (text: () => string) => (previews ? shorten(text()) : '');
  const out: ChoicePoints = { alternatives: [], options: [], choices: [...policy.choices.values()], variables: [...policy.variables.values()], parts: [] };
  const walk = (blocks: Block[]) => {
    for (const b of blocks) {
      if (b.optional) out.options.push({ id: b.id, default: b.optional === 'included', ...(b.prompt ? { prompt: b.prompt } : {}), preview: preview(() => blockPreview(b)) });
      if (b.kind === 'alternatives') {
        out.alternatives.push({
          id: b.id,
          mode: b.mode,
          ...(b.prompt ? { prompt: b.prompt } : {}),
          defaults: b.defaults,
          members: b.members.map((m) => ({ id: m.id, ...(m.prompt ? { prompt: m.prompt } : {}), preview: preview(() => m.blocks.map(blockPreview).join(' ')) })),
        });
        for (const m of b.members) walk(m.blocks);
      } else if (b.kind === 'list') {
        const items = (xs: ListItem[]) => {
          for (const it of xs) {
            if (it.optional) out.options.push({ id: it.id, default: it.optional === 'included', preview: preview(() => inlinePreview(it.text)) });
            items(it.items);
          }
        };
        items(b.items);
      } else if (b.kind === 'definitions') {
        for (const d of b.items) if (d.optional) out.options.push({ id: d.id, default: d.optional === 'included', preview: preview(() => inlinePreview(d.term)) });
      } else if (b.kind === 'table') {
        for (const r of b.rows) if (r.optional) out.options.push({ id: r.id, default: r.optional === 'included', preview: preview(() => r.cells.map(inlinePreview).join(' | ')) });
      }
    }
  };
  for (const p of policy.parts) {
    walk(p.body);
    out.parts.push({ id: p.id, kind: p.kind, approval: p.approval });
  }
  return out;
}

const yamlString = (s: string) => JSON.stringify(s);

/** Keys and values that never need quotes in YAML. */
function yamlKey(s: string): string {
  return /^[a-z0-9][a-z0-9-]*$/.test(s) && !/^\d+(\.\d+)?$/.test(s) ? s : yamlString(s);
}

function comment(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => `${indent}# ${l}`.trimEnd())
    .join('\n');
}

export interface InitOptions {
  /** Library entries exactly as they should appear in the config. */
  libraries: string[];
  schemaPath: string;
}

/**
 * A complete, commented district config: every policy of the libraries, every
 * choice point with its question, allowed values and default. Built with every
 * default, so it builds as it is and reproduces the sample defaults.
 */
export function initConfig(library: Library, options: InitOptions): string {
  const lines: string[] = [];
  lines.push(`# yaml-language-server: $schema=${options.schemaPath}`);
  lines.push('#');
  lines.push('# District config written by "sro-policy init". Every choice the sample policies');
  lines.push('# offer is listed below with its question, the allowed values and the sample\'s');
  lines.push('# default, which is filled in. Change what the board decides; delete a policy\'s');
  lines.push('# entry to leave it out of the manual. Docs: docs/district-config.md');
  lines.push('');
  lines.push('district:');
  lines.push('  name: Example Public Schools          # the district\'s full name');
  lines.push('  board: Example Board of Education     # also fills {{board-name}} in the policies');
  lines.push('  town: Example                          # fills {{town}}');
  lines.push('  state: Connecticut                     # fills {{state}}');
  lines.push('');
  if (options.libraries.length === 1 && options.libraries[0] === 'sro-policy') {
    lines.push('# Clause libraries, searched in order ("sro-policy" is the library shipped with sro-policy).');
  }
  lines.push('libraries:');
  for (const l of options.libraries) lines.push(`  - ${yamlString(l)}`);
  lines.push('');
  lines.push('output:');
  lines.push('  folder: out                            # relative to this file');
  lines.push('  formats: [md, html]                    # also: json (manual.json)');
  lines.push('');
  lines.push('style:');
  lines.push('  serial-comma: false                    # true: "high, middle, and elementary"');
  lines.push('');
  const shared = new Map<string, VariableDecl>();
  const policies = [...library.policies.values()].sort((a, b) => comparePolicyNumbers(a.number, b.number));
  for (const p of policies) for (const v of p.variables.values()) if (!shared.has(v.id) && !['board-name', 'district-name', 'town', 'state'].includes(v.id)) shared.set(v.id, v);
  lines.push('# Values shared by every policy that uses them. Uncomment and fill in.');
  lines.push('variables:');
  if (shared.size === 0) lines.push('  {}');
  for (const v of [...shared.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    lines.push(comment(v.prompt, '  '));
    lines.push(`  # ${v.id}: ${v.default !== undefined ? yamlString(v.default) : '""   # REQUIRED: no default'}`);
  }
  lines.push('');
  lines.push('policies:');
  for (const p of policies) {
    const cp = choicePoints(p);
    lines.push('');
    lines.push(`  # ${p.number} ${p.title} (${p.kind}${p.status ? `, ${p.status}` : ''})`);
    lines.push(`  ${yamlString(p.number)}:`);
    if (cp.alternatives.length) {
      lines.push('    alternatives:');
      for (const a of cp.alternatives) {
        if (a.prompt) lines.push(comment(a.prompt, '      '));
        lines.push(`      # ${a.mode === 'one-of' ? 'Keep one of' : 'Keep one or more of'}:`);
        for (const m of a.members) lines.push(`      #   ${m.id}: ${m.prompt ?? m.preview}`);
        const value = a.mode === 'one-of' ? a.defaults[0]! : `[${a.defaults.join(', ')}]`;
        lines.push(`      ${yamlKey(a.id)}: ${value}`);
      }
    }
    if (cp.options.length) {
      lines.push('    options:                             # true: include the optional language');
      for (const o of cp.options) lines.push(`      ${yamlKey(o.id)}: ${o.default}${' '.repeat(Math.max(1, 30 - o.id.length - String(o.default).length))}# ${o.prompt ?? o.preview}`);
    }
    if (cp.choices.length) {
      lines.push('    choices:');
      for (const c of cp.choices) {
        lines.push(comment(c.prompt, '      '));
        lines.push(`      # ${c.multiple ? 'One or more of' : 'One of'}: ${c.values.map((v) => `${v} ("${c.texts.get(v)}")`).join(', ')}`);
        if (c.defaults) lines.push(`      ${yamlKey(c.id)}: ${c.multiple ? `[${c.defaults.join(', ')}]` : c.defaults[0]}`);
        else lines.push(`      ${yamlKey(c.id)}: ${c.values[0]}   # REQUIRED: the sample has no default; ${c.values[0]} is a placeholder`);
      }
    }
    const own = cp.variables.filter((v) => !['board-name', 'district-name', 'town', 'state'].includes(v.id));
    if (own.length) {
      lines.push('    variables:                           # or set them once under "variables:" above');
      for (const v of own) {
        lines.push(comment(v.prompt, '      '));
        lines.push(`      # ${yamlKey(v.id)}: ${v.default !== undefined ? yamlString(v.default) : '""   # REQUIRED: no default'}`);
      }
    }
    lines.push('    history:                             # dates as YYYY-MM-DD, or YYYY-MM');
    const events = cp.parts.filter((x) => x.approval !== 'none');
    if (events.length === 0) lines.push('      []');
    for (const part of events) {
      lines.push(`      # - ${part.approval}: 2024-01-15${part.id === cp.parts[0]!.id ? '' : `\n      #   part: ${part.id}`}`);
    }
    if (events.length) lines.push('      []');
  }
  return `${lines.join('\n')}\n`;
}
