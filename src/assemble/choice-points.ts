// Choice points of a policy, for `init` (a commented config the committee fills
// in) and `explain` (what can be chosen and which config key sets it). Pure.
import type { Block, ChoiceDecl, Condition, ListItem, Policy, VariableDecl } from '../model/model.js';
import { describeCondition } from './conditions.js';
import { assertNever } from '../model/walk.js';

export interface ChoicePoints {
  alternatives: { id: string; mode: 'one-of' | 'any-of'; prompt?: string; defaults: string[]; members: { id: string; prompt?: string; preview: string }[] }[];
  options: { id: string; default: boolean; prompt?: string; preview: string }[];
  choices: ChoiceDecl[];
  variables: VariableDecl[];
  parts: { id: string; kind: string; approval: string }[];
  /** Blocks and items printed only when a decision holds, the choices that follow another, and the rules between decisions, in words. */
  dependsOn: { id: string; on: string }[];
  rules: string[];
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
    case 'section':
      return b.prompt ?? (b.blocks[0] ? blockPreview(b.blocks[0]) : b.id);
    default:
      return assertNever(b, 'block kind');
  }
}

/** `previews: false` leaves every preview empty, for callers that need only the ids (the lock file, every build). */
export function choicePoints(policy: Policy, { previews = true }: { previews?: boolean } = {}): ChoicePoints {
  const preview = (text: () => string) => (previews ? shorten(text()) : '');
  const out: ChoicePoints = { alternatives: [], options: [], choices: [...policy.choices.values()], variables: [...policy.variables.values()], parts: [], dependsOn: [], rules: [] };
  const depends = (node: { id: string; when?: Condition }) => {
    if (node.when) out.dependsOn.push({ id: node.id, on: describeCondition(node.when) });
  };
  const walk = (blocks: Block[]) => {
    for (const b of blocks) {
      depends(b);
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
      } else if (b.kind === 'section') {
        walk(b.blocks);
      } else if (b.kind === 'list') {
        const items = (xs: ListItem[]) => {
          for (const it of xs) {
            depends(it);
            if (it.optional) out.options.push({ id: it.id, default: it.optional === 'included', preview: preview(() => inlinePreview(it.text)) });
            items(it.items);
          }
        };
        items(b.items);
      } else if (b.kind === 'definitions') {
        b.items.forEach(depends);
        for (const d of b.items) if (d.optional) out.options.push({ id: d.id, default: d.optional === 'included', preview: preview(() => inlinePreview(d.term)) });
      } else if (b.kind === 'table') {
        b.rows.forEach(depends);
        for (const r of b.rows) if (r.optional) out.options.push({ id: r.id, default: r.optional === 'included', preview: preview(() => r.cells.map(inlinePreview).join(' | ')) });
      }
    }
  };
  for (const p of policy.parts) {
    depends(p);
    walk(p.body);
    out.parts.push({ id: p.id, kind: p.kind, approval: p.approval });
  }
  for (const c of policy.choices.values()) if (c.follows !== undefined) out.dependsOn.push({ id: c.id, on: `the answer to "${c.follows}" (the choice follows it)` });
  for (const r of policy.rules ?? []) {
    const then = [...(r.requires ? [`requires ${describeCondition(r.requires)}`] : []), ...(r.conflicts ? [`cannot go with ${describeCondition(r.conflicts)}`] : [])].join(' and ');
    out.rules.push(`when ${describeCondition(r.if)}, ${then}${r.message ? ` (${r.message})` : ''}`);
  }
  return out;
}
