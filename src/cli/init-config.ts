// The config `init` writes: every policy of the libraries and every choice,
// with defaults filled in and each choice explained in a comment.
import type { Library, VariableDecl } from '../model/model.js';
import { comparePolicyNumbers } from '../model/number.js';
import { choicePoints } from '../assemble/choice-points.js';


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
        if (!a.defaults.length) {
          lines.push(`      ${yamlKey(a.id)}: ${a.members[0]!.id}   # REQUIRED: the sample has no default; ${a.members[0]!.id} is a placeholder`);
          continue;
        }
        const value = a.mode === 'one-of' ? a.defaults[0]! : `[${a.defaults.join(', ')}]`;
        lines.push(`      ${yamlKey(a.id)}: ${value}`);
      }
    }
    if (cp.options.length) {
      lines.push('    options:                             # true: include the optional language');
      for (const o of cp.options) lines.push(`      ${yamlKey(o.id)}: ${o.default}${' '.repeat(Math.max(1, 30 - o.id.length - String(o.default).length))}# ${o.prompt ?? o.preview}`);
    }
    // A choice that follows another takes its answer: the config never sets it.
    const asked = cp.choices.filter((c) => c.follows === undefined);
    if (asked.length) {
      lines.push('    choices:');
      for (const c of asked) {
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
