// write: the only stage that changes files. Everything is checked before the
// first byte is written; new content goes to a staging file beside its target
// (staging.ts: created exclusively, never through a link) and is renamed into
// place, so a failed build leaves earlier output as it was. A manifest records
// what sro-policy wrote, so it never overwrites (or, with --clean, deletes) a
// file somebody else wrote or edited, and never writes through a link.
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { sha256 } from '../model/hash.js';
import { knownHashes, MANIFEST_NAME, manifestText, readManifest } from './manifest.js';
import { keepOld, removeLeftovers, writeStaged } from './staging.js';
import { folderListing, fsReason, readEntry, refusal, safeTarget, type Listed } from './folder.js';


/**
 * A file of the manual as a build hands it to the writer, by name (inside the
 * output folder, no folders):
 * - content: its text (or bytes) to write, and its sha256 when the caller has it
 *   already (shards hash their pages as they render them);
 * - cached: the build cache vouches that the file on disk holds this content
 *   (its hash was checked): it is left alone;
 * - staged: a shard checked it and wrote it aside (stageOutput): it is renamed
 *   into place;
 * - dropped: rendered for its diagnostics only (check): nothing is kept.
 */
export type OutputFile =
  | { kind: 'content'; name: string; content: string | Uint8Array; hash?: string }
  | { kind: 'cached'; name: string; hash: string }
  | { kind: 'staged'; name: string; hash: string; staged: StagedOutput }
  | { kind: 'dropped'; name: string };

/** A file's content as bytes. */
export function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content) : content;
}

/** A page a shard checked and wrote aside: writeOutputs renames it into place, or the build removes it. */
export interface StagedOutput {
  /** The file on disk already holds this content: nothing to write. */
  same: boolean;
  /** The staging file holding the new content. */
  tmp?: string;
  bytes: number;
}


export type WriteStatus = 'written' | 'unchanged' | 'removed';

export interface WriteResult {
  name: string;
  path: string;
  status: WriteStatus;
  bytes: number;
}

export { sha256, MANIFEST_NAME, readManifest };

/**
 * sha256 of an output's content, computed once per output (shards hash their
 * pages as they render them): the build cache, the manifest and the no-change
 * record all need it.
 */
export function outputHash(file: OutputFile): string {
  if (file.kind === 'dropped') throw new Error(`${file.name} was rendered for its diagnostics only`);
  if (file.kind !== 'content') return file.hash;
  return (file.hash ??= sha256(file.content));
}

export interface WriteOptions {
  /** Overwrite files that sro-policy did not write or that were edited since. */
  force?: boolean;
  /** Remove files an earlier build wrote that this build does not produce. */
  clean?: boolean;
  /** Stands in for fs.renameSync when putting files in place (tests make one fail). */
  rename?: (from: string, to: string) => void;
}

/** What a shard needs to know of the output folder to write pages aside. */
export interface StageFolder {
  outDir: string;
  listed: (name: string) => Listed;
  /** What the manifest says sro-policy wrote: the hashes each file may have (see manifest.ts). */
  known: Map<string, string[]>;
  force: boolean;
}

export function openStageFolder(outDir: string, force: boolean): StageFolder | undefined {
  try {
    if (!statSync(outDir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return folderState(outDir, force);
}

/** The output folder's listing and manifest, read once for all its pages. */
function folderState(outDir: string, force: boolean): StageFolder {
  const listed = folderListing(outDir);
  const manifest = listed(MANIFEST_NAME) !== 'missing' ? readManifest(outDir) : undefined;
  return { outDir, listed, known: knownHashes(manifest), force };
}

/**
 * Check one page as writeOutputs would and, when it would write it, write it
 * aside now: the shards of a large build write their pages in parallel, and
 * let go of the text. A page writeOutputs would refuse or report on is left
 * alone, for writeOutputs to report.
 */
export function stageOutput(folder: StageFolder, file: OutputFile): OutputFile {
  if (file.kind !== 'content') return file;
  const target = safeTarget(folder.outDir, file.name);
  if (!target) return file;
  const verdict = inspectTarget(folder, target, file);
  if (!verdict.ok) return file;
  // Taken before the content goes: writeOutputs, the cache and the record need it.
  const hash = outputHash(file);
  const bytes = bytesOf(file.content);
  if (verdict.same) return { kind: 'staged', name: file.name, hash, staged: { same: true, bytes: bytes.length } };
  try {
    return { kind: 'staged', name: file.name, hash, staged: { same: false, tmp: writeStaged(target, bytes).tmp, bytes: bytes.length } };
  } catch {
    // writeOutputs tries again, and reports what fails.
    return file;
  }
}

type Verdict = { ok: true; same: boolean } | { ok: false; problem: 'foreign' | 'edited' } | { ok: false; problem: 'unreadable'; error: unknown };

/**
 * Whether a page may replace what its target holds now: sro-policy replaces
 * only what it wrote and nobody edited since (the manifest says), unless forced.
 */
function inspectTarget(folder: StageFolder, target: string, file: OutputFile & { kind: 'content' }): Verdict {
  let existing: Buffer | undefined;
  try {
    existing = readEntry(target, folder.listed(file.name));
  } catch (error) {
    return { ok: false, problem: 'unreadable', error };
  }
  const same = existing !== undefined && existing.equals(bytesOf(file.content));
  if (existing !== undefined && !same && !folder.force) {
    const recorded = folder.known.get(file.name);
    if (recorded === undefined) return { ok: false, problem: 'foreign' };
    if (!recorded.includes(sha256(existing))) return { ok: false, problem: 'edited' };
  }
  return { ok: true, same };
}

/**
 * Remove this process's staging files from the output folder, and those of
 * builds that stopped: a build that stopped (an error, or a worker thread
 * that failed part-way) leaves no page written aside, whichever thread wrote it.
 */
export function removeTemporaryFiles(outDir: string): void {
  removeLeftovers(outDir, true);
}

export function writeOutputs(outDir: string, shownOutDir: string, files: OutputFile[], options: WriteOptions, diags: Diagnostics): WriteResult[] | undefined {
  const before = diags.errorCount;
  try {
    const st = statSync(outDir);
    if (!st.isDirectory()) {
      diags.error('output-not-a-folder', `The output folder ${shownOutDir} is a file`, { hint: 'Choose another folder with --out or "output.folder".' });
      return undefined;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      diags.error('output-unwritable', `The output folder ${shownOutDir} cannot be used: ${fsReason(e)}`, {
        hint: 'Choose another folder with --out or "output.folder".',
      });
      return undefined;
    }
  }
  // Staging files of builds that stopped (kill -9, power loss) go first: they are never part of the manual.
  removeLeftovers(outDir);
  const folder = folderState(outDir, options.force ?? false);
  const { listed, known } = folder;
  const plan: { file: OutputFile; target: string; hash: string; same: boolean }[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const target = safeTarget(outDir, file.name);
    // Page names come from validated policy numbers: a name that leads elsewhere is a bug, and nothing is written.
    if (!target) throw new Error(`refusing to write "${file.name}": not a plain file name inside the output folder`);
    if (seen.has(file.name)) {
      diags.error('output-collision', `Two outputs would both be written to ${join(shownOutDir, file.name)}`, {
        hint: 'Two pages of the manual have the same file name; give one of the policies a different number.',
      });
      continue;
    }
    seen.add(file.name);
    if (file.kind === 'dropped') continue;
    if (file.kind === 'cached') {
      plan.push({ file, target, hash: file.hash, same: true });
      continue;
    }
    if (file.kind === 'staged') {
      plan.push({ file, target, hash: file.hash, same: file.staged.same });
      continue;
    }
    const verdict = inspectTarget(folder, target, file);
    if (!verdict.ok) {
      const shown = join(shownOutDir, file.name);
      if (verdict.problem === 'unreadable') {
        const r = refusal(shown, verdict.error);
        diags.error(r.code, r.message, { hint: r.hint });
      } else if (verdict.problem === 'foreign') {
        diags.error('foreign-file', `${shown} exists and was not written by sro-policy`, {
          hint: 'Move it away, choose another output folder, or pass --force to replace it.',
        });
      } else {
        diags.error('edited-output', `${shown} was edited by hand since sro-policy wrote it`, {
          hint: 'Record the change as a deviation in the district config, then pass --force to replace the file.',
        });
      }
      continue;
    }
    plan.push({ file, target, hash: outputHash(file), same: verdict.same });
  }
  const stale: string[] = [];
  if (options.clean) {
    for (const [name, hashes] of known) {
      if (seen.has(name)) continue;
      const target = safeTarget(outDir, name);
      if (!target) continue;
      let existing: Buffer | undefined;
      try {
        existing = readEntry(target, listed(name));
      } catch {
        // Not a file sro-policy wrote (a link or a folder put there since): left alone.
        continue;
      }
      if (existing === undefined) continue;
      if (!hashes.includes(sha256(existing))) {
        diags.warn('edited-output', `${join(shownOutDir, name)} is no longer built but was edited by hand; it was left in place`);
        continue;
      }
      stale.push(name);
    }
  }
  // The manifest is replaced like a page: never through a link.
  try {
    readEntry(join(outDir, MANIFEST_NAME), listed(MANIFEST_NAME));
  } catch (e) {
    const r = refusal(join(shownOutDir, MANIFEST_NAME), e);
    diags.error(r.code, r.message, { hint: r.hint });
  }
  if (diags.errorCount > before) return undefined;

  mkdirSync(outDir, { recursive: true });
  /** Files written aside, and whether a file of that name was there to be replaced. */
  const temps: { tmp: string; target: string; replaces: boolean }[] = [];
  const results: WriteResult[] = [];
  const manifestTarget = join(outDir, MANIFEST_NAME);
  /** The manifest once every file is in place; written only when it differs from the one put in place first. */
  let finalManifest: string | undefined;
  try {
    const pages: typeof temps = [];
    /** What the files being replaced or removed were, as far as sro-policy wrote them. */
    const replacing: Record<string, string> = {};
    for (const p of plan) {
      const f = p.file;
      results.push({ name: f.name, path: p.target, status: p.same ? 'unchanged' : 'written', bytes: f.kind === 'staged' ? f.staged.bytes : f.kind === 'content' ? bytesOf(f.content).length : -1 });
      if (p.same) continue;
      const replaces = listed(f.name) !== 'missing';
      const before = known.get(f.name)?.[0];
      if (replaces && before !== undefined) replacing[f.name] = before;
      const tmp = f.kind === 'staged' ? f.staged.tmp : f.kind === 'content' ? writeStaged(p.target, f.content).tmp : undefined;
      if (tmp) pages.push({ tmp, target: p.target, replaces });
    }
    for (const name of stale) replacing[name] = known.get(name)![0]!;
    const files: Record<string, string> = {};
    for (const [name, hashes] of known) if (!stale.includes(name) && safeTarget(outDir, name)) files[name] = hashes[0]!;
    for (const p of plan) files[p.file.name] = p.hash;
    const text = manifestText(files);
    // The manifest goes first, naming old and new content alike (see manifest.ts), so a build killed among the renames leaves no file unaccounted for.
    const first = pages.length || stale.length ? manifestText(files, replacing) : text;
    if (first !== text) finalManifest = text;
    if (readEntry(manifestTarget, listed(MANIFEST_NAME))?.toString('utf8') !== first) {
      temps.push({ tmp: writeStaged(manifestTarget, first).tmp, target: manifestTarget, replaces: listed(MANIFEST_NAME) !== 'missing' });
    }
    temps.push(...pages);
  } catch (e) {
    for (const t of temps) rmSync(t.tmp, { force: true });
    diags.error('output-unwritable', `Cannot write to ${shownOutDir}: ${fsReason(e)}`, {
      hint: 'Check that the folder is writable and the disk is not full. Nothing was changed.',
    });
    return undefined;
  }
  // Every new file is complete on disk before the first rename. A file about to
  // be replaced is first linked to a backup name; if a later rename fails (a
  // page open in another program on Windows, the folder turned read-only), the
  // files already replaced get their old content back and the new ones go:
  // a failed build leaves the earlier output as it was.
  const rename = options.rename ?? renameSync;
  const done: { target: string; backup: string | undefined }[] = [];
  for (let i = 0; i < temps.length; i++) {
    const t = temps[i]!;
    let backup: string | undefined;
    try {
      backup = t.replaces ? keepOld(t.target) : undefined;
      rename(t.tmp, t.target);
      done.push({ target: t.target, backup });
    } catch (e) {
      if (backup) rmSync(backup, { force: true });
      for (const r of temps.slice(i)) rmSync(r.tmp, { force: true });
      const lost = rollBack(done, rename).map((target) => relative(outDir, target));
      diags.error('output-unwritable', `Cannot replace ${join(shownOutDir, relative(outDir, t.target))}: ${(e as Error).message}`, {
        hint: lost.length
          ? `These files could not be put back as they were: ${lost.join(', ')}. Fix the folder's permissions and build again.`
          : "Nothing was changed. Close any program that has the file open, check the folder's permissions, and build again.",
      });
      return undefined;
    }
  }
  for (const d of done) if (d.backup) rmSync(d.backup, { force: true });
  for (const name of stale) {
    rmSync(join(outDir, name), { force: true });
    results.push({ name, path: join(outDir, name), status: 'removed', bytes: 0 });
  }
  if (finalManifest !== undefined) {
    // Every file is in place: the manifest no longer needs the old hashes. Should this
    // fail, the one in place still names every file correctly.
    try {
      const tmp = writeStaged(manifestTarget, finalManifest).tmp;
      try {
        rename(tmp, manifestTarget);
      } catch {
        rmSync(tmp, { force: true });
      }
    } catch {
      // as above
    }
  }
  return results;
}

/** Undo the renames done so far, last first; returns the targets it could not restore. */
function rollBack(done: readonly { target: string; backup: string | undefined }[], rename: (from: string, to: string) => void): string[] {
  const lost: string[] = [];
  for (const d of [...done].reverse()) {
    try {
      if (d.backup) rename(d.backup, d.target);
      else rmSync(d.target, { force: true });
    } catch {
      lost.push(d.target);
    }
  }
  return lost.reverse();
}


/**
 * What a shard is given to write its pages aside as it renders them (see
 * stageOutput): the folder is looked at once, when the first page comes.
 */
export function pageStager(folder: string, force: boolean): ((file: OutputFile) => OutputFile) | undefined {
  const opened = openStageFolder(folder, force);
  return opened ? (file) => stageOutput(opened, file) : undefined;
}
