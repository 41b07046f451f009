// outdated: what changed in the library since the lock file was written, policy
// by policy, as findings a person reviews (with a word-level redline of each text).
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { createRequire } from 'node:module';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, Policy, PolicySettings } from '../model/model.js';
import type { Place } from '../diagnostics/diagnostic.js';
const diffWords = (a: string, b: string) => (createRequire(import.meta.url)('diff') as typeof import('diff')).diffWords(a, b);
import { type LockedPolicy } from './lock.js';

/** "~~old~~ **new**" for one changed clause, words only. */
export function inlineRedline(oldText: string, newText: string): string {
  let out = '';
  const parts = diffWords(oldText, newText);
  parts.forEach((p, i) => {
    const prev = parts[i - 1];
    if (prev?.removed && p.added && !/\s$/.test(prev.value) && !/^\s/.test(p.value)) out += ' ';
    if (!p.added && !p.removed) {
      out += p.value;
      return;
    }
    // Spaces stay outside the marks, as Markdown needs them.
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(p.value)!;
    out += m[2] ? `${m[1]}${p.added ? `**${m[2]}**` : `~~${m[2]}~~`}${m[3]}` : p.value;
  });
  return out;
}

export interface OutdatedInput {
  policy: Policy;
  locked: LockedPolicy;
  current: LockedPolicy;
  settings: PolicySettings | undefined;
  config: DistrictConfig;
  /** Clause keys the district edition uses (block:, item:, lead-in:). */
  used: ReadonlySet<string>;
}

/** Everything about one policy that changed in the library since the lock; each needs a person's review. */
export function outdatedPolicy(input: OutdatedInput, diags: Diagnostics): number {
  const { policy, locked, current, settings, config, used } = input;
  const before = diags.items.length;
  const pfile = policy.file.path;
  const cfile = config.file.path;
  const numberPlace: Place = { pointer: '/number' };
  const at = (id: string): Place => {
    const entry = policy.ids.get(id);
    return entry ? { pointer: entry.pointer } : numberPlace;
  };
  const idOf = (key: string) => key.slice(key.indexOf(':') + 1);
  const warn = (code: DiagnosticCode, message: string, init: Parameters<Diagnostics['warn']>[2]) => diags.warn(code, message, init);

  // Clause text the district uses. Text a deviation replaces or omits is not the
  // sample's any more: its change is reported once, as a stale deviation.
  const replaced = new Set(current.deviations.filter((d) => d.action === 'replace' || d.action === 'omit').map((d) => d.target));
  for (const [key, c] of Object.entries(current.clauses)) {
    const old = locked.clauses[key];
    if (!old || old.hash === c.hash || !used.has(key) || replaced.has(idOf(key))) continue;
    warn('outdated-clause', `Policy ${policy.number}: the sample text of "${idOf(key)}" changed: ${inlineRedline(old.text, c.text)}`, {
      file: pfile,
      at: at(idOf(key)),
      expected: old.text,
      actual: c.text,
      hint: 'Read the change; if the district keeps the new text, accept it with "sro-policy build --update-lock".',
    });
  }
  for (const [key, old] of Object.entries(locked.clauses)) {
    if (current.clauses[key] || !used.has(key)) continue;
    warn('outdated-clause', `Policy ${policy.number}: "${idOf(key)}", which the district uses, is no longer in the sample ("${old.text}")`, {
      file: pfile,
      at: numberPlace,
      hint: 'Check what replaced it in the clause file, and adjust the config.',
    });
  }

  // Choice points the config sets that are gone or renamed, and new ones needing a decision.
  const renamedTo = (oldKey: string): string | undefined => {
    const old = locked.clauses[oldKey];
    if (!old) return undefined;
    const match = Object.entries(current.clauses).find(([k, c]) => c.hash === old.hash && !locked.clauses[k]);
    return match ? idOf(match[0]) : undefined;
  };
  const configAt = (pointer: string): Place => ({ pointer, part: 'key' });
  for (const id of locked.options) {
    if (current.options.includes(id)) continue;
    const chosen = settings?.options.get(id);
    const to = renamedTo(`item:${id}`) ?? renamedTo(`block:${id}`);
    warn(to ? 'outdated-renamed' : 'outdated-removed', to ? `Policy ${policy.number}: optional "${id}" is now "${to}"` : `Policy ${policy.number}: optional "${id}" was removed from the sample`, {
      file: chosen ? cfile : pfile,
      at: chosen ? configAt(chosen.pointer) : numberPlace,
      hint: to ? `Rename it in the config: options: { ${to}: ${chosen?.include ?? false} }.` : chosen ? 'Remove it from the config, or record the text as a deviation if the board keeps it.' : undefined,
    });
  }
  for (const id of current.options) {
    if (locked.options.includes(id)) continue;
    if (Object.values(locked.clauses).some((c) => c.hash === current.clauses[`item:${id}`]?.hash || c.hash === current.clauses[`block:${id}`]?.hash)) continue;
    warn('outdated-new-choice', `Policy ${policy.number}: new optional language "${id}" needs a decision ("${current.clauses[`item:${id}`]?.text ?? current.clauses[`block:${id}`]?.text ?? id}")`, {
      file: pfile,
      at: at(id),
      hint: `Decide, then set options: { ${id}: true } or false under policy ${policy.number}.`,
    });
  }
  // Linked decisions: what a passage depends on is a decision the district made with it.
  for (const key of new Set([...Object.keys(locked.linked ?? {}), ...Object.keys(current.linked ?? {})])) {
    const was = locked.linked?.[key];
    const now = current.linked?.[key];
    if (was === now) continue;
    const words = key.startsWith('rule ')
      ? now === undefined ? `${key} (${was}) was removed from the sample` : was === undefined ? `new ${key}: ${now}` : `${key} is now: ${now} (it was: ${was})`
      : now === undefined ? `"${key}" no longer depends on ${was}` : was === undefined ? `"${key}" now depends on ${now}` : `"${key}" now depends on ${now} (it depended on ${was})`;
    warn('outdated-new-choice', `Policy ${policy.number}: ${words}`, {
      file: pfile,
      ...(key.startsWith('rule ') ? {} : { at: at(key) }),
      hint: 'Check that the config still decides it as the board adopted it, then accept the change with --update-lock.',
    });
  }
  // Alternative groups and inline choices: each is a set of members the config picks from.
  const points = (
    was: Record<string, string[]>,
    now: Record<string, string[]>,
    chosenOf: (id: string) => { members: string[]; pointer: string } | undefined,
    words: {
      removed: (id: string) => string;
      memberRemoved: (m: string, id: string) => string;
      memberNew: (m: string, id: string) => string;
      added: (id: string, members: string[]) => string;
    },
    place: (id: string) => Place,
    memberPlace: (m: string, id: string) => Place,
  ) => {
    for (const [id, members] of Object.entries(was)) {
      const current = now[id];
      const chosen = chosenOf(id);
      if (!current) {
        warn('outdated-removed', `Policy ${policy.number}: ${words.removed(id)}`, {
          file: chosen ? cfile : pfile,
          at: chosen ? configAt(chosen.pointer) : numberPlace,
        });
        continue;
      }
      for (const m of members) {
        if (current.includes(m)) continue;
        const isChosen = chosen?.members.includes(m) ?? false;
        warn('outdated-removed', `Policy ${policy.number}: ${words.memberRemoved(m, id)}${isChosen ? ', and the config chooses it' : ''}`, {
          file: isChosen ? cfile : pfile,
          at: isChosen ? configAt(chosen!.pointer) : place(id),
        });
      }
      for (const m of current) {
        if (!members.includes(m)) warn('outdated-new-choice', `Policy ${policy.number}: ${words.memberNew(m, id)}`, { file: pfile, at: memberPlace(m, id) });
      }
    }
    for (const [id, members] of Object.entries(now)) {
      if (!was[id]) warn('outdated-new-choice', `Policy ${policy.number}: ${words.added(id, members)}`, { file: pfile, at: place(id) });
    }
  };
  points(
    locked.alternatives,
    current.alternatives,
    (id) => settings?.alternatives.get(id),
    {
      removed: (id) => `alternative group "${id}" was removed from the sample`,
      memberRemoved: (m, id) => `alternative "${m}" of "${id}" was removed from the sample`,
      memberNew: (m, id) => `alternative group "${id}" has a new member "${m}" to consider`,
      added: (id, members) => `new alternative group "${id}" (${members.join(', ')}) needs a decision`,
    },
    (id) => at(id),
    (m) => at(m),
  );
  const choicePlace = (id: string): Place => ({ pointer: `/choices/${id}`, part: 'key' });
  points(
    locked.choices,
    current.choices,
    (id) => {
      const c = settings?.choices.get(id);
      return c ? { members: c.values, pointer: c.pointer } : undefined;
    },
    {
      removed: (id) => `inline choice "${id}" was removed from the sample`,
      memberRemoved: (v, id) => `value "${v}" of choice "${id}" was removed`,
      memberNew: (v, id) => `choice "${id}" has a new value "${v}" to consider`,
      added: (id) => `new inline choice "${id}" needs a decision`,
    },
    choicePlace,
    (_v, id) => choicePlace(id),
  );

  // Deviations written against sample text that has changed since.
  for (const d of current.deviations) {
    const old = locked.deviations.find((x) => x.number === d.number && x.target === d.target && x.action === d.action);
    if (!old || old.hash === d.hash) continue;
    const dev = settings?.deviations[d.number - 1];
    warn('outdated-deviation', `Policy ${policy.number}: deviation ${d.number} (${d.action} ${d.target}) was written against sample text that has changed; it may no longer apply`, {
      file: cfile,
      ...(dev ? { at: { pointer: dev.pointer } } : { range: [0, 0] as const }),
      hint: `Check the deviation against the new sample text; then set "sample-hash: ${d.hash}" and run "sro-policy build --update-lock".`,
    });
  }

  // Cross- and legal references.
  for (const [n, title] of Object.entries(current.cf)) {
    if (!(n in locked.cf)) warn('outdated-reference', `Policy ${policy.number}: new cross-reference ${n} - ${title}`, { file: pfile, at: numberPlace });
  }
  for (const [n, title] of Object.entries(locked.cf)) {
    if (!(n in current.cf)) warn('outdated-reference', `Policy ${policy.number}: cross-reference ${n} - ${title} was removed`, { file: pfile, at: numberPlace });
  }
  for (const [id, text] of Object.entries(current.legal)) {
    const old = locked.legal[id];
    if (old === undefined) warn('outdated-reference', `Policy ${policy.number}: new legal reference "${text}"`, { file: pfile, at: at(id) });
    else if (old !== text) warn('outdated-reference', `Policy ${policy.number}: legal reference "${id}" changed: ${inlineRedline(old, text)}`, { file: pfile, at: at(id) });
  }
  for (const [id, text] of Object.entries(locked.legal)) {
    if (!(id in current.legal)) warn('outdated-reference', `Policy ${policy.number}: legal reference "${text}" was removed`, { file: pfile, at: numberPlace });
  }
  return diags.items.length - before;
}
