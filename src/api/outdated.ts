// outdated as a library: what changed in the library since the lock file, as
// findings for a person to review.
import { resolve } from 'node:path';
import { planBuild } from '../build/pipeline.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { lockPath } from '../incremental/record.js';
import { lockEntryOf, parseLock } from '../lock/lock.js';
import { outdatedPolicy } from '../lock/outdated.js';
import { lockIsFile } from '../lock/plan.js';
import { displayPath } from '../read/files.js';
import { readOwnedText } from '../write/owned-file.js';
import { finish, type Report } from './report.js';

export interface OutdatedOptions {
  config: string;
  /** The folder relative paths are resolved from, and shown relative to in diagnostics (default: the working directory). */
  cwd?: string;
}

export interface OutdatedResult extends Report {
  /** The lock file compared with. */
  lockFile: string;
}

export async function outdated(options: OutdatedOptions): Promise<OutdatedResult> {
  const cwd = resolve(options.cwd ?? '.');
  const { config } = options;
  const path = lockPath(resolve(cwd, config));
  const diags = new Diagnostics();
  const plan = planBuild({ config, cwd }, diags);
  if (!plan) return { ...finish(diags), lockFile: path };
  // Only what changed in the library is reported here, plus any error that now stops
  // the build (a removed option the config still sets); the build's warnings are for "check".
  // Its findings point into the clause files and the config the plan still holds.
  const findings = new Diagnostics(plan.locate);
  for (const [file, text] of diags.sources) findings.addSource(file, text);
  const shown = displayPath(path, cwd);
  if (!lockIsFile(path, shown, findings)) return { ...finish(findings), lockFile: path };
  const text = readOwnedText(path);
  const lock = text === undefined ? undefined : parseLock(text);
  if (!lock) {
    findings.error(
      text === undefined ? 'lock-missing' : 'lock-unreadable',
      text === undefined ? `${shown} does not exist` : `${shown} is not a lock file this version of sro-policy can read`,
      { file: shown, hint: `Run "sro-policy build ${config}" first: it writes the lock file${text === undefined ? '' : ' (with --update-lock to replace this one)'}.` },
    );
    return { ...finish(findings), lockFile: path };
  }
  const settingsOf = new Map(plan.config.policies.map((s) => [s.number, s]));
  for (const p of plan.policies) {
    const locked = lock.policies[p.number];
    if (!locked) continue;
    outdatedPolicy({ policy: p.sample!, locked, current: lockEntryOf(p.lock), settings: settingsOf.get(p.number), config: plan.config, used: p.used }, findings);
  }
  for (const d of diags.items) if (d.severity === 'error') findings.add(d);
  // Anything to review is a reason to stop (exit 1); only file problems (no lock file) are exit 2.
  const report = finish(findings);
  return { ...report, exitCode: findings.items.length && report.exitCode === 0 ? 1 : report.exitCode, lockFile: path };
}
