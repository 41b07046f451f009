// Keeping the lock file in step with the manual (build): what the lock file
// beside the config should hold after this build, decided before anything is
// written, and read as little as possible (a 10,000-policy lock is 50 MB).
import { resolve } from 'node:path';
import type { BuildPlan } from '../build/plan.js';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { lockPath } from '../incremental/record.js';
import { displayPath } from '../read/files.js';
import { lockFileHolds } from '../read/lock-file.js';
import { entryKind } from '../write/staging.js';
import { readOwnedText } from '../write/owned-file.js';
import { assembleLock, lockEntries, lockEntryBytes, lockEntryOf, LOCK_VERSION, parseLock, serializeLock, type LockedPolicy, type LockFile } from './lock.js';

/** The lock file a build writes: where, as shown, its text (or its bytes), and whether the file holds it already. */
export interface LockPlan {
  path: string;
  shown: string;
  text: string | Uint8Array;
  unchanged: boolean;
}

/**
 * Keep the lock file in step with the manual: policies added to the manual and
 * deviations added to the config are recorded; what the library says about a
 * policy already locked changes only with --update-lock (after "outdated").
 */
export function planLock(
  config: string,
  cwd: string,
  plan: BuildPlan,
  accept: boolean,
  readLock: () => Uint8Array | undefined,
  diags: Diagnostics,
): LockPlan | undefined {
  const path = lockPath(resolve(cwd, config));
  const shown = displayPath(path, cwd);
  if (!lockIsFile(path, shown, diags)) return undefined;
  // The usual case, nothing changed in the library: the lock the manual would
  // write is the one on disk, and there is nothing to compare clause by clause.
  if (!accept && lockFileHolds(path, plan.policies.map((p) => [p.number, p.lock]))) return { path, shown, text: '', unchanged: true };
  if (!accept) {
    const quick = planLockByEntries(readLock(), plan, shown, config, diags);
    if (quick) return { path, shown, ...quick };
  }
  const text = readOwnedText(path);
  const existing = text === undefined ? undefined : parseLock(text);
  if (text !== undefined && !existing && !accept) {
    diags.error('lock-unreadable', `${shown} is not a lock file this version of sro-policy can read`, {
      file: shown,
      hint: 'If it was written by hand or by another tool, move it away; "build --update-lock" writes a new one.',
    });
    return undefined;
  }
  const policies: LockFile['policies'] = {};
  const stale: string[] = [];
  for (const p of plan.policies) {
    const current = lockEntryOf(p.lock);
    const old = accept ? undefined : existing?.policies[p.number];
    policies[p.number] = old ? keptEntry(p.number, current, old, stale) : current;
  }
  reportStale(stale, shown, config, diags);
  const next = serializeLock({ generator: 'sro-policy', version: LOCK_VERSION, policies });
  return { path, shown, text: next, unchanged: next === text };
}

/**
 * What the lock keeps of a policy already locked: the library's text as the
 * district accepted it (noted as stale when the library changed since), with
 * the deviations as the config records them now.
 */
function keptEntry(number: string, current: LockedPolicy, old: LockedPolicy, stale: string[]): LockedPolicy {
  const deviations = current.deviations.map((d) => old.deviations.find((x) => x.number === d.number && x.target === d.target && x.action === d.action) ?? d);
  const { deviations: _a, ...now } = current;
  const { deviations: _b, ...then } = old;
  if (JSON.stringify(now) !== JSON.stringify(then)) stale.push(number);
  return { ...old, deviations };
}

function reportStale(stale: readonly string[], shown: string, config: string, diags: Diagnostics): void {
  if (!stale.length) return;
  diags.warn('lock-outdated', `The library changed since ${shown} was written: ${stale.join(', ')}`, {
    file: shown,
    hint: `Run "sro-policy outdated ${config}" to review the changes, then "sro-policy build ${config} --update-lock" to accept them.`,
  });
}

const LOCK_HEAD = Buffer.from(`{\n  "generator": "sro-policy",\n  "version": ${LOCK_VERSION},\n  "policies": {\n`);

/**
 * planLock for a lock file laid out as sro-policy writes it, entry by entry:
 * an entry the same as the policy's now is kept as it is, and only those that
 * differ are parsed (a 10,000-policy lock is 50 MB of JSON). Undefined for any
 * other file, which the general way reads (and refuses, when it is no lock).
 */
function planLockByEntries(bytes: Uint8Array | undefined, plan: BuildPlan, shown: string, config: string, diags: Diagnostics): { text: Uint8Array; unchanged: boolean } | undefined {
  if (!bytes || bytes.length < LOCK_HEAD.length || Buffer.compare(bytes.subarray(0, LOCK_HEAD.length), LOCK_HEAD) !== 0) return undefined;
  const locked = lockEntries(bytes);
  if (locked.size === 0) return undefined;
  const entries: [string, Uint8Array][] = [];
  const stale: string[] = [];
  try {
    for (const p of plan.policies) {
      const old = locked.get(p.number);
      if (!old || Buffer.compare(old, p.lock) === 0) entries.push([p.number, p.lock]);
      else entries.push([p.number, lockEntryBytes(keptEntry(p.number, lockEntryOf(p.lock), lockEntryOf(old), stale))]);
    }
  } catch {
    return undefined;
  }
  reportStale(stale, shown, config, diags);
  const next = assembleLock(entries);
  // As bytes: the text of a 10,000-policy lock is 50 MB, and it is only written.
  return { text: next, unchanged: next.equals(bytes) };
}

/**
 * Whether the lock file is a plain file or missing, as sro-policy writes it:
 * a link is never read or written through, and a folder is no lock file.
 */
export function lockIsFile(path: string, shown: string, diags: Diagnostics): boolean {
  const kind = entryKind(path);
  if (kind === 'missing' || kind === 'file') return true;
  if (kind === 'symlink') {
    diags.error('output-symlink', `${shown} is a symbolic link; sro-policy does not read or write its lock file through links`, {
      file: shown,
      hint: 'Replace the link with the lock file itself (copy it in place of the link).',
    });
  } else {
    diags.error('lock-unreadable', `${shown} is ${kind === 'folder' ? 'a folder' : 'not a regular file'}, not a lock file`, {
      file: shown,
      hint: 'Move it away; "sro-policy build" then writes the lock file there.',
    });
  }
  return false;
}
