// Whether the output folder holds what a build would write: file by file
// (build --check), and by the stamps and hashes a build recorded (incremental builds).
// Nothing here writes.
import { lstatSync, readdirSync } from 'node:fs';
import { sha256 } from '../model/hash.js';
import { readManifest } from './manifest.js';
import { stampOf, unchangedSince, type FileStamp } from '../incremental/stamp.js';
import { NotAFileError, readNoFollow, stagingOwner } from './staging.js';
import { folderListing, readEntry, safeTarget } from './folder.js';
import { bytesOf, type OutputFile } from './write.js';

export interface OutputDifference {
  name: string;
  reason: 'missing' | 'differs' | 'no longer built' | 'not a file' | 'leftover';
}

/** What a build would change in the output folder, without changing anything (build --check). */
export function compareOutputs(outDir: string, files: readonly OutputFile[]): OutputDifference[] {
  const out: OutputDifference[] = [];
  const names = new Set<string>();
  const listed = folderListing(outDir);
  const read = (name: string): Buffer | undefined | null => {
    const target = safeTarget(outDir, name);
    try {
      return target ? readEntry(target, listed(name)) : undefined;
    } catch (e) {
      return e instanceof NotAFileError ? null : undefined;
    }
  };
  for (const f of files) {
    names.add(f.name);
    const existing = read(f.name);
    if (existing === null) out.push({ name: f.name, reason: 'not a file' });
    else if (existing === undefined) out.push({ name: f.name, reason: 'missing' });
    else if (!holds(existing, f)) out.push({ name: f.name, reason: 'differs' });
  }
  for (const name of Object.keys(readManifest(outDir)?.files ?? {})) {
    if (!names.has(name) && read(name)) out.push({ name, reason: 'no longer built' });
  }
  // Staging files of a build that stopped (or one under way): a build removes those of stopped builds.
  try {
    for (const name of readdirSync(outDir)) if (stagingOwner(name) !== undefined) out.push({ name, reason: 'leftover' });
  } catch {
    // no folder: every page is missing
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether a file holds a page: its content, or for a page the cache vouched for, content with the hash it recorded. */
function holds(existing: Buffer, f: OutputFile): boolean {
  switch (f.kind) {
    case 'content':
      return existing.equals(bytesOf(f.content));
    case 'cached':
    case 'staged':
      return sha256(existing) === f.hash;
    case 'dropped':
      return false;
  }
}

/** A page as the build cache and the build record know it. */
export interface RecordedOutput {
  name: string;
  hash: string;
  stamp?: FileStamp;
}

/**
 * Whether the pages a build recorded are still on disk exactly as written: a
 * page whose stamp proves it unchanged (stamp.ts) is taken as it is, any other
 * is read and hashed. A link or anything but a plain file at a page's name is
 * not intact. A page found intact by its hash gets a new stamp (`refreshed`
 * counts them), so that the next check need not read it again.
 */
export function outputsIntact(outDir: string, files: readonly RecordedOutput[], refreshed?: { count: number }): boolean {
  for (const f of files) {
    const target = safeTarget(outDir, f.name);
    if (!target) return false;
    const at = Date.now();
    let st;
    try {
      st = lstatSync(target, { throwIfNoEntry: false });
    } catch {
      return false;
    }
    if (!st?.isFile()) return false;
    if (f.stamp && unchangedSince(f.stamp, st)) continue;
    // The bytes hash as the text they decode to; decoding them would only cost time.
    let bytes: Buffer | undefined;
    try {
      bytes = readNoFollow(target);
    } catch {
      return false;
    }
    if (!bytes || sha256(bytes) !== f.hash) return false;
    if (refreshed) {
      (f as { stamp?: FileStamp }).stamp = stampOf(st, at);
      refreshed.count++;
    }
  }
  return true;
}

/** A page's stamp as a build leaves it (after its rename, which sets its change time); undefined when it is not a plain file. */
export function outputStamp(path: string): FileStamp | undefined {
  const at = Date.now();
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st?.isFile() ? stampOf(st, at) : undefined;
  } catch {
    return undefined;
  }
}

