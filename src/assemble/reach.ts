// Selection decides what exists; deviations change only what exists. Text
// inside an alternative member the district did not choose, or inside optional
// language it leaves out, is not in its edition, so keeping it (options: true
// under a dropped parent) or moving, replacing or inserting next to it is a
// mistake the config must hear about, never a silent change of what is printed.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { Block, Condition, DistrictConfig, ListItem, Policy, PolicySettings, Selections } from '../model/model.js';
import { describeCondition, holds } from './conditions.js';
import { nestedBlocks } from '../model/walk.js';
import { pointerJoin } from '../model/pointer.js';

/** What holds a block or item: an alternative member, optional language, or a decision it depends on (when). */
type Holder = { kind: 'member'; group: string; member: string } | { kind: 'option'; id: string } | { kind: 'when'; id: string; when: Condition };

/** What a block or item adds to what holds it: its own optional language and its own condition. */
function own(node: { id: string; optional?: string; when?: Condition }, above: Holder[]): Holder[] {
  const mine = node.optional ? [...above, { kind: 'option' as const, id: node.id }] : above;
  return node.when ? [...mine, { kind: 'when', id: node.id, when: node.when }] : mine;
}

/** holdersOf's answer per policy: checkReach and effectiveSelections both ask, for every policy rendered. */
const known = new WeakMap<Policy, Map<string, Holder[]>>();

/** For each id of the sample, what holds it, outermost first (itself last, when it is optional). */
export function holdersOf(policy: Policy): Map<string, Holder[]> {
  const cached = known.get(policy);
  if (cached) return cached;
  const out = new Map<string, Holder[]>();
  known.set(policy, out);
  const items = (xs: readonly ListItem[], above: Holder[]) => {
    for (const it of xs) {
      const mine = own(it, above);
      out.set(it.id, mine);
      items(it.items, mine);
    }
  };
  const blocks = (bs: readonly Block[], above: Holder[]) => {
    for (const b of bs) {
      const mine = own(b, above);
      out.set(b.id, mine);
      for (const nested of nestedBlocks(b)) {
        const held: Holder[] = nested.member ? [...mine, { kind: 'member', group: b.id, member: nested.member.id }] : mine;
        if (nested.member) out.set(nested.member.id, held);
        blocks(nested.blocks, held);
      }
      if (b.kind === 'list') items(b.items, mine);
      else if (b.kind === 'definitions' || b.kind === 'table') {
        for (const it of b.kind === 'table' ? b.rows : b.items) out.set(it.id, own(it, mine));
      }
    }
  };
  for (const part of policy.parts) {
    const held: Holder[] = part.when ? [{ kind: 'when', id: part.id, when: part.when }] : [];
    if (part.when) out.set(part.id, held);
    blocks(part.body, held);
  }
  return out;
}

/** The first holder the selection removes, if any. */
function removedBy(holders: readonly Holder[] | undefined, sel: Selections): Holder | undefined {
  return holders?.find((h) => (h.kind === 'member' ? !(sel.alternatives[h.group] ?? []).includes(h.member) : h.kind === 'when' ? !holds(h.when, sel) : sel.options[h.id] === false));
}

function describe(h: Holder): { why: string; fix: string } {
  switch (h.kind) {
    case 'member':
      return { why: `member "${h.member}" of alternative "${h.group}", which this config does not choose`, fix: `choose it (alternatives: { ${h.group}: ${h.member} })` };
    case 'option':
      return { why: `optional language "${h.id}", which this config leaves out`, fix: `keep it (options: { ${h.id}: true })` };
    case 'when':
      return { why: `"${h.id}", which is printed only when ${describeCondition(h.when)}, and this config decides otherwise`, fix: `decide so that ${describeCondition(h.when)}` };
  }
}

/** Actions whose target (and, for move, anchor) must be in the district's edition. */
const TARGETED = ['replace', 'insert-before', 'insert-after', 'move', 'restyle', 'lead-in'] as const;

export function checkReach(sample: Policy, settings: PolicySettings | undefined, sel: Selections, config: DistrictConfig, diags: Diagnostics): void {
  if (!settings) return;
  const file = config.file.path;
  const holders = holdersOf(sample);
  for (const [id, o] of settings.options) {
    if (!o.include) continue;
    const chain = holders.get(id);
    // Its own optional language is what the line decides; its own condition is not.
    const h = removedBy(chain?.filter((x) => !(x.kind === 'option' && x.id === id)), sel);
    if (!h) continue;
    const { why, fix } = describe(h);
    const where = h.kind === 'when' && h.id === id ? `it is printed only when ${describeCondition(h.when)}, and this config decides otherwise` : `it is inside ${why}`;
    diags.error('deselected-option', `Policy ${sample.number}: "${id}" is kept, but ${where}, so it would not be printed`, {
      file,
      at: { pointer: o.pointer, part: 'key' },
      hint: `To print "${id}", ${fix}; otherwise remove the line for "${id}".`,
    });
  }
  settings.deviations.forEach((dev, i) => {
    const d = dev.input;
    for (const action of TARGETED) {
      const target = d[action];
      if (typeof target !== 'string') continue;
      const places: [string, string, string][] = [[target, pointerJoin(dev.pointer, action), 'targets']];
      if (action === 'move') {
        const anchor = d.before ?? d.after;
        if (anchor !== undefined) places.push([anchor, pointerJoin(dev.pointer, d.before !== undefined ? 'before' : 'after'), 'is placed next to']);
      }
      for (const [id, pointer, verb] of places) {
        const h = removedBy(holders.get(id), sel);
        if (!h) continue;
        const { why, fix } = describe(h);
        const effect = action === 'move' && verb === 'targets' ? 'moving it would print text the board did not choose' : 'the change would not be printed';
        diags.error('deselected-target', `Policy ${sample.number}: deviation ${i + 1} (${action}) ${verb} "${id}", which is inside ${why}: ${effect}`, {
          file,
          at: { pointer },
          hint: `Selection decides what the edition holds before deviations change it: ${fix}, or remove this deviation.`,
        });
      }
    }
  });
}

/**
 * The selections as the edition holds them: optional language or an
 * alternative group inside something the selection removes is not in the
 * edition, whatever its own answer says, so a condition on it (when:, rules:)
 * must read it as left out. Repeated until nothing changes, as removing one
 * may remove what depends on it.
 */
export function effectiveSelections(policy: Policy, sel: Selections): Selections {
  const holders = holdersOf(policy);
  const out: Selections = { ...sel, options: { ...sel.options }, alternatives: { ...sel.alternatives } };
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of Object.keys(out.options)) {
      if (out.options[id] && removedBy(holders.get(id), out)) {
        out.options[id] = false;
        changed = true;
      }
    }
    for (const id of Object.keys(out.alternatives)) {
      if (out.alternatives[id]!.length && removedBy(holders.get(id), out)) {
        out.alternatives[id] = [];
        changed = true;
      }
    }
  }
  return out;
}
