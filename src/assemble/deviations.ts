// Recorded deviations: the district's own departures from the sample text,
// each with a target id and a reason. They are applied to a copy of the
// clause tree before assembly (pure: the library's policy is never changed),
// and every one is remembered so the annotated edition and redlines can show it.
import type { Diagnostics, Place } from '../diagnostics/diagnostic.js';
import { sha256 } from '../model/hash.js';
import { checkLinks, unsafeLinks } from '../model/links.js';
import type { Block, DefinitionItem, DistrictConfig, LegalEntry, ListItem, Part, Policy, PolicySettings, TableRow } from '../model/model.js';
import { pointerJoin } from '../model/pointer.js';
import { DEVIATION_ACTIONS, type DeviationInput } from '../schema/district.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';
import { allTexts, walkParts } from '../model/walk.js';

export type DeviationAction = (typeof DEVIATION_ACTIONS)[number];

export interface AppliedDeviation {
  /** 1-based number in the policy's list, as shown to the board. */
  number: number;
  action: DeviationAction;
  target: string;
  reason: string;
  /** Hash of the sample text of the target (or of every text the rename matched). */
  sampleHash: string;
  /** The hash the config recorded, if any. */
  recordedHash?: string;
  pointer: string;
  /** Short description for annotations: 'replaced the text of "duty-observation"'. */
  summary: string;
}

export interface DeviationResult {
  policy: Policy;
  applied: AppliedDeviation[];
  /** Block or item id → deviations that changed it (for the annotated edition). */
  notes: Map<string, AppliedDeviation[]>;
  /** Deviations that do not belong to one block (renames, reference changes). */
  general: AppliedDeviation[];
}

/** Fields of a model node that say where it is in its file, not what it says. */
const POSITION_KEYS = new Set(['pointer', 'range', 'at', 'textAt']);

/** 8 hex characters of sha256 over the node's content, ignoring source positions (POSITION_KEYS). */
export function contentHash(value: unknown): string {
  // The lock file hashes tens of thousands of clause texts; a string needs no replacer.
  const json = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, (k, v: unknown) => (POSITION_KEYS.has(k) ? undefined : v instanceof Map ? [...v.entries()] : v));
  return jsonHash(json ?? '');
}

/** contentHash of a value whose JSON the caller already has (the lock file quotes each clause text once). */
export function jsonHash(json: string): string {
  return sha256(json).slice(0, 8);
}

type Located =
  | { kind: 'block'; array: Block[]; index: number; node: Block }
  | { kind: 'item'; array: ListItem[]; index: number; node: ListItem }
  | { kind: 'row'; array: (DefinitionItem | TableRow)[]; index: number; node: DefinitionItem | TableRow }
  | { kind: 'legal'; array: LegalEntry[]; index: number; node: LegalEntry };

/** Where each id sits in a (cloned) clause tree. */
function locate(parts: Part[]): Map<string, Located> {
  const out = new Map<string, Located>();
  walkParts(parts, {
    block: (node, array, index) => out.set(node.id, { kind: 'block', array, index, node }),
    item: (node, array, index) => out.set(node.id, { kind: 'item', array, index, node }),
    definition: (node, array, index) => out.set(node.id, { kind: 'row', array, index, node }),
    row: (node, array, index) => out.set(node.id, { kind: 'row', array, index, node }),
  });
  const legal = (array: LegalEntry[]) => {
    array.forEach((node, index) => {
      out.set(node.id, { kind: 'legal', array, index, node });
      legal(node.items);
    });
  };
  for (const p of parts) legal(p.legal);
  return out;
}

function actionsOf(d: DeviationInput): DeviationAction[] {
  return DEVIATION_ACTIONS.filter((a) => d[a] !== undefined);
}

export function applyDeviations(policy: Policy, settings: PolicySettings | undefined, config: DistrictConfig, diags: Diagnostics): DeviationResult {
  const result: DeviationResult = { policy, applied: [], notes: new Map(), general: [] };
  const list = settings?.deviations ?? [];
  if (list.length === 0) return result;
  const file = config.file.path;
  const at = (pointer: string, part: 'key' | 'value' = 'value'): { at: Place } => ({ at: part === 'key' ? { pointer, part } : { pointer } });
  const original = locate(policy.parts);
  // structuredClone keeps the library's policy untouched; the clone is what this district adopts.
  const parts = structuredClone(policy.parts);
  let where = locate(parts);
  const newIds = new Set<string>();
  const cf = parts.map((p) => p.cf);

  const note = (id: string, d: AppliedDeviation) => {
    let xs = result.notes.get(id);
    if (!xs) result.notes.set(id, (xs = []));
    xs.push(d);
  };
  const unknownTarget = (id: string, pointer: string, what = 'block, list item or legal reference') => {
    const guess = didYouMean(id, [...where.keys()]);
    diags.error('unknown-target', `Policy ${policy.number} has no ${what} "${id}"`, {
      file,
      ...at(pointer),
      actual: id,
      hint: guess ? `Did you mean "${guess}"? Run "sro-policy explain ${policy.number}" or read the clause file for ids.` : `Ids are in the clause file ${policy.file.path}.`,
    });
  };

  list.forEach((dev, i) => {
    const d = dev.input;
    const ptr = dev.pointer;
    const actions = actionsOf(d);
    if (actions.length !== 1) {
      // Two actions: point at the second in the file (keys keep the file's order), with the first as related.
      const keys = Object.keys(d)
        .filter((k): k is DeviationAction => (actions as string[]).includes(k))
        .map((a) => ({ a, ...at(pointerJoin(ptr, a), 'key') }));
      diags.error('invalid-deviation', actions.length === 0 ? 'A deviation needs one action' : `A deviation does one thing; this one has ${formatList(actions, 'and')}`, {
        file,
        ...(keys[1] ? { at: keys[1].at } : at(ptr)),
        expected: `one of ${formatList([...DEVIATION_ACTIONS], 'or')}`,
        hint: 'Split it into several deviations, each with its own reason.',
        ...(keys[1] ? { related: [{ file, at: keys[0]!.at, message: `the first action, ${keys[0]!.a}` }] } : {}),
      });
      return;
    }
    const action = actions[0]!;
    const need = (key: keyof DeviationInput, why: string): boolean => {
      if (d[key] !== undefined) return true;
      diags.error('invalid-deviation', `"${action}" needs "${String(key)}": ${why}`, { file, ...at(`${ptr}/${action}`, 'key') });
      return false;
    };
    const base = { number: i + 1, action, reason: d.reason, pointer: ptr, ...(d['sample-hash'] ? { recordedHash: d['sample-hash'] } : {}) };
    const record = (target: string, sampleHash: string, summary: string, noteIds: string[]) => {
      const applied: AppliedDeviation = { ...base, target, sampleHash, summary };
      result.applied.push(applied);
      if (noteIds.length) for (const id of noteIds) note(id, applied);
      else result.general.push(applied);
      if (d['sample-hash'] && d['sample-hash'] !== sampleHash) {
        diags.warn('deviation-stale', `Deviation ${i + 1} of policy ${policy.number} (${action} ${target}) was written against other sample text`, {
          file,
          ...at(`${ptr}/sample-hash`),
          expected: sampleHash,
          actual: d['sample-hash'],
          hint: `The publisher changed this text since; check that the deviation still applies (sro-policy outdated shows the change), then set sample-hash: ${sampleHash}.`,
        });
      } else if (!d['sample-hash']) {
        diags.warn('deviation-unhashed', `Deviation ${i + 1} of policy ${policy.number} does not record the sample text it was written against`, {
          file,
          ...at(`${ptr}/${action}`, 'key'),
          hint: `Add "sample-hash: ${sampleHash}" to the deviation, so a later change of the sample is noticed.`,
        });
      }
    };
    const targetId = typeof d[action] === 'string' ? (d[action] as string) : '';
    const hashOfOriginal = (id: string) => contentHash(original.get(id)?.node ?? null);

    switch (action) {
      case 'rename': {
        if (!need('to', 'the new wording')) return;
        const from = d.rename!;
        const to = d.to!;
        let count = 0;
        const matched: string[] = [];
        let linked = false;
        for (const text of allTexts(parts)) {
          for (const node of text) {
            if (node.kind !== 'text' || !node.text.includes(from)) continue;
            matched.push(node.text);
            count += node.text.split(from).length - 1;
            node.text = node.text.split(from).join(to);
            linked ||= unsafeLinks(node.text).length > 0;
          }
        }
        // The renamed text is printed as Markdown: it must not make a link the link policy refuses.
        if (linked) {
          if (unsafeLinks(to).length) checkLinks(to, file, () => at(`${ptr}/to`), diags);
          else {
            diags.error('unsafe-link', `Renaming "${from}" to "${to}" makes a link that is not allowed: links go to http, https or mailto addresses, or are relative`, {
              file,
              ...at(`${ptr}/to`),
              hint: 'Write the address as https://… (or mailto:…), or remove the link and keep its words.',
            });
          }
        }
        if (count === 0) {
          diags.error('rename-unmatched', `"${from}" does not occur in the text of policy ${policy.number}`, {
            file,
            ...at(`${ptr}/rename`),
            hint: 'Renames match the exact words, capitals and punctuation included; copy the phrase from the policy text.',
          });
          return;
        }
        record(from, contentHash(matched), `renamed "${from}" to "${to}" throughout (${count} ${count === 1 ? 'place' : 'places'})`, []);
        return;
      }
      case 'add-cf': {
        const c = d['add-cf']!;
        const first = cf[0]!;
        if (first.some((x) => x.number === c.number)) {
          diags.error('invalid-deviation', `Policy ${policy.number} already cross-references ${c.number}`, { file, ...at(`${ptr}/add-cf/number`) });
          return;
        }
        first.push({ number: c.number, title: c.title ?? '', pointer: `${ptr}/add-cf` });
        record(c.number, contentHash(policy.parts[0]!.cf), `added cross-reference ${c.number}${c.title ? ` - ${c.title}` : ''}`, []);
        return;
      }
      case 'remove-cf': {
        const n = d['remove-cf']!;
        const part = cf.find((xs) => xs.some((x) => x.number === n));
        if (!part) {
          const guess = didYouMean(n, cf.flat().map((x) => x.number));
          diags.error('unknown-target', `Policy ${policy.number} has no cross-reference to ${n}`, { file, ...at(`${ptr}/remove-cf`), hint: guess ? `Did you mean "${guess}"?` : undefined });
          return;
        }
        const idx = part.findIndex((x) => x.number === n);
        const [removed] = part.splice(idx, 1);
        record(n, contentHash(removed), `removed cross-reference ${n}`, []);
        return;
      }
      case 'add-legal': {
        const l = d['add-legal']!;
        if (where.has(l.id) || newIds.has(l.id)) {
          diags.error('duplicate-id', `The id "${l.id}" is already used in policy ${policy.number}`, { file, ...at(`${ptr}/add-legal/id`) });
          return;
        }
        const entry: LegalEntry = { id: l.id, pointer: `${ptr}/add-legal`, text: l.text, items: [] };
        if (l.after !== undefined) {
          const anchor = where.get(l.after);
          if (!anchor || anchor.kind !== 'legal') return unknownTarget(l.after, `${ptr}/add-legal/after`, 'legal reference');
          anchor.array.splice(anchor.index + 1, 0, entry);
        } else parts[0]!.legal.push(entry);
        newIds.add(l.id);
        where = locate(parts);
        record(l.id, contentHash(policy.parts[0]!.legal), `added legal reference "${l.text}"`, []);
        return;
      }
      case 'remove-legal': {
        const id = d['remove-legal']!;
        const entry = where.get(id);
        if (!entry || entry.kind !== 'legal') return unknownTarget(id, `${ptr}/remove-legal`, 'legal reference');
        entry.array.splice(entry.index, 1);
        where = locate(parts);
        record(id, hashOfOriginal(id), `removed legal reference "${entry.node.text ?? entry.node.group ?? id}"`, []);
        return;
      }
      default:
        break;
    }

    // Actions on one block or item.
    const target = where.get(targetId);
    if (!target) return unknownTarget(targetId, `${ptr}/${action}`);
    const sampleHash = hashOfOriginal(targetId);
    switch (action) {
      case 'replace': {
        if (!need('text', 'the district\'s wording')) return;
        const built = structuredClone(dev.built!);
        const text = built.item!.text;
        if (!checkRefs(built.refs, policy, file, diags)) return;
        if (target.kind === 'item') target.node.text = text;
        else if (target.kind === 'row' && 'term' in target.node) target.node.text = text;
        else if (target.kind === 'block' && (target.node.kind === 'paragraph' || target.node.kind === 'heading' || target.node.kind === 'note')) target.node.text = text;
        else {
          const node = target.node;
          const what = target.kind === 'block' ? (node as Block).kind : target.kind === 'legal' ? 'legal reference' : 'table row';
          diags.error('invalid-deviation', `"replace" changes the text of a paragraph, heading, note, list item or definition; "${targetId}" is a ${what}`, {
            file,
            ...at(`${ptr}/replace`),
            hint: what === 'list' ? 'Replace its items one by one, or its lead-in with "lead-in".' : what === 'legal reference' ? 'Remove it with "remove-legal" and add the new wording with "add-legal".' : undefined,
          });
          return;
        }
        record(targetId, sampleHash, `replaced the sample text of "${targetId}"`, [targetId]);
        return;
      }
      case 'omit': {
        target.array.splice(target.index, 1);
        where = locate(parts);
        record(targetId, sampleHash, `left out "${targetId}"`, [targetId]);
        return;
      }
      case 'restyle': {
        if (!need('style', 'the new list style, e.g. bullet or "1."')) return;
        if (target.kind !== 'block' || target.node.kind !== 'list') {
          diags.error('invalid-deviation', `"restyle" applies to a list; "${targetId}" is not one`, { file, ...at(`${ptr}/restyle`) });
          return;
        }
        target.node.style = d.style!;
        record(targetId, sampleHash, `changed the list style of "${targetId}" to ${d.style}`, [targetId]);
        return;
      }
      case 'lead-in': {
        if (!need('text', 'the new lead-in ("" removes it)')) return;
        if (target.kind !== 'block' || (target.node.kind !== 'list' && target.node.kind !== 'definitions')) {
          diags.error('invalid-deviation', `"lead-in" applies to a list; "${targetId}" is not one`, { file, ...at(`${ptr}/lead-in`) });
          return;
        }
        if (d.text === '') delete target.node.leadIn;
        else {
          const built = structuredClone(dev.built!);
          if (!checkRefs(built.refs, policy, file, diags)) return;
          target.node.leadIn = built.item!.text;
        }
        record(targetId, sampleHash, d.text === '' ? `removed the lead-in of "${targetId}"` : `replaced the lead-in of "${targetId}"`, [targetId]);
        return;
      }
      case 'move': {
        const anchorId = d.before ?? d.after;
        if (anchorId === undefined || (d.before !== undefined && d.after !== undefined)) {
          diags.error('invalid-deviation', '"move" needs exactly one of "before" or "after"', { file, ...at(`${ptr}/move`, 'key') });
          return;
        }
        const anchor = where.get(anchorId);
        if (!anchor) return unknownTarget(anchorId, `${ptr}/${d.before !== undefined ? 'before' : 'after'}`);
        if ((anchor.kind === 'block') !== (target.kind === 'block') || anchorId === targetId) {
          diags.error('invalid-deviation', `Cannot move "${targetId}" next to "${anchorId}": blocks move among blocks, list items among list items`, {
            file,
            ...at(`${ptr}/${d.before !== undefined ? 'before' : 'after'}`),
          });
          return;
        }
        const [node] = target.array.splice(target.index, 1);
        const fresh = locate(parts).get(anchorId);
        if (!fresh) {
          // The anchor went with the target: it is inside what moves.
          target.array.splice(target.index, 0, node as never);
          diags.error('invalid-deviation', `Cannot move "${targetId}" next to "${anchorId}", which is inside it`, {
            file,
            ...at(`${ptr}/${d.before !== undefined ? 'before' : 'after'}`),
            hint: 'Name a block or item outside the one that moves.',
          });
          return;
        }
        (fresh.array as unknown[]).splice(fresh.index + (d.after !== undefined ? 1 : 0), 0, node);
        where = locate(parts);
        record(targetId, sampleHash, `moved "${targetId}" ${d.before !== undefined ? 'before' : 'after'} "${anchorId}"`, [targetId]);
        return;
      }
      case 'insert-before':
      case 'insert-after': {
        if (d.block === undefined && d.item === undefined) {
          diags.error('invalid-deviation', `"${action}" needs the "block" (or list "item") to insert`, { file, ...at(`${ptr}/${action}`, 'key') });
          return;
        }
        const built = structuredClone(dev.built!);
        if (!checkRefs(built.refs, policy, file, diags)) return;
        for (const id of built.ids.keys()) {
          if (where.has(id) || newIds.has(id)) {
            diags.error('duplicate-id', `The id "${id}" is already used in policy ${policy.number}`, {
              file,
              ...at(`${ptr}/${d.block ? 'block' : 'item'}`),
              hint: 'Give inserted text ids of its own, e.g. with the district\'s name as a prefix.',
            });
            return;
          }
        }
        const node = built.block ?? built.item!;
        const isBlock = built.block !== undefined;
        if (isBlock !== (target.kind === 'block')) {
          diags.error('invalid-deviation', isBlock ? `"${targetId}" is a list item: insert an "item" next to it, not a "block"` : `"${targetId}" is a block: insert a "block" next to it, not an "item"`, {
            file,
            ...at(`${ptr}/${action}`),
          });
          return;
        }
        (target.array as unknown[]).splice(target.index + (action === 'insert-after' ? 1 : 0), 0, node);
        for (const id of built.ids.keys()) newIds.add(id);
        where = locate(parts);
        record(node.id, sampleHash, `inserted "${node.id}" ${action === 'insert-after' ? 'after' : 'before'} "${targetId}"`, [node.id]);
        return;
      }
      default:
        return;
    }
  });

  const ids = new Map(policy.ids);
  result.policy = { ...policy, parts, ids };
  return result;
}

function checkRefs(refs: { name: string; range: readonly [number, number] }[], policy: Policy, file: string, diags: Diagnostics): boolean {
  let ok = true;
  for (const r of refs) {
    if (policy.variables.has(r.name) || policy.choices.has(r.name)) continue;
    ok = false;
    const known = [...policy.variables.keys(), ...policy.choices.keys()];
    const guess = didYouMean(r.name, known);
    diags.error('unknown-placeholder', `{{${r.name}}} names no variable or choice of policy ${policy.number}`, {
      file,
      range: r.range,
      expected: known.length ? formatList(known, 'or') : 'no placeholders: this policy declares no variables or choices',
      hint: guess ? `Did you mean {{${guess}}}?` : undefined,
    });
  }
  return ok;
}

