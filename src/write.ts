// write: the only stage that changes files. Everything is checked before the
// first byte is written; new content goes to a temporary file beside its target
// and is renamed into place, so a failed build leaves earlier output as it was.
// A manifest records what sro-policy wrote, so it never overwrites (or, with
// --clean, deletes) a file somebody else wrote or edited.
import { closeSync, copyFileSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostics } from './diagnostics.js';
import { sha256 } from './hash.js';

export const MANIFEST_NAME = '.sro-policy-manifest.json';

export interface OutputFile {
  /** File name inside the output folder (no folders). */
  name: string;
  text: string;
  /**
   * Set when the build cache vouches that the file on disk already holds this
   * content (its hash was checked): the file is left alone and `text` is empty.
   */
  cachedHash?: string;
  /** sha256 of `text`, when the caller already has it (shards hash their pages in parallel). */
  hash?: string;
  /** Set when a shard has already checked the page and written it aside (see stageOutput); `text` is then empty. */
  staged?: StagedOutput;
}

/** A page a shard checked and wrote aside: writeOutputs renames it into place, or the build removes it. */
export interface StagedOutput {
  /** The file on disk already holds this content: nothing to write. */
  same: boolean;
  /** The temporary file holding the new content. */
  tmp?: string;
  bytes: number;
  /** Size and modification time of the temporary file, which a rename keeps: the build record needs them. */
  stamp?: { size: number; mtimeMs: number };
}

export interface Manifest {
  generator: 'sro-policy';
  version: 1;
  /** File name → sha256 of the content sro-policy wrote. */
  files: Record<string, string>;
}

export type WriteStatus = 'written' | 'unchanged' | 'removed';

export interface WriteResult {
  name: string;
  path: string;
  status: WriteStatus;
  bytes: number;
}

export { sha256 };

/**
 * sha256 of an output's text, computed once per output (shards hash their
 * pages as they render them): the build cache, the manifest and the no-change
 * record all need it.
 */
export function outputHash(file: OutputFile): string {
  return file.cachedHash ?? (file.hash ??= sha256(file.text));
}

export interface WriteOptions {
  /** Overwrite files that sro-policy did not write or that were edited since. */
  force?: boolean;
  /** Remove files an earlier build wrote that this build does not produce. */
  clean?: boolean;
  /** Stands in for fs.renameSync when putting files in place (tests make one fail). */
  rename?: (from: string, to: string) => void;
}

/** Letters, digits, dots, hyphens and underscores, not "." and not starting "..": a name the checks below would pass. */
const PLAIN_NAME = /^(?!\.$|\.\.)[A-Za-z0-9._-]+$/;

/** The last output folder asked about, and whether it is absolute and normalised. */
let lastFolder: { dir: string; normal: boolean } | undefined;

/** A target path inside the output folder, or undefined when the name would escape it. */
export function safeTarget(outDir: string, name: string): string | undefined {
  if (name === '' || name.includes('\0') || name.includes('/') || name.includes('\\') || name === '.' || name === '..') return undefined;
  // A page name ("5142.4.html") in a normalised folder needs no resolving: a
  // no-change rebuild checks every page of the manual this way.
  if (lastFolder?.dir !== outDir) lastFolder = { dir: outDir, normal: isAbsolute(outDir) && outDir === resolve(outDir) };
  if (lastFolder.normal && PLAIN_NAME.test(name)) return `${outDir}${outDir.endsWith(sep) ? '' : sep}${name}`;
  const target = resolve(outDir, name);
  const rel = relative(outDir, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes(sep)) return undefined;
  return target;
}

export function readManifest(outDir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(outDir, MANIFEST_NAME), 'utf8')) as Manifest;
    if (m && m.generator === 'sro-policy' && m.files && typeof m.files === 'object') return m;
  } catch {
    // No manifest, or not ours: treat every existing file as foreign.
  }
  return undefined;
}

/**
 * Why a file operation failed, in words. Node's messages ("ENOTDIR: not a
 * directory, stat '/abs/path'") repeat the absolute path and the system call.
 */
function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOTDIR':
      return 'part of its path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ELOOP':
      return 'a symbolic link in its path leads back to itself';
    default:
      return code ?? (e as Error)?.message ?? String(e);
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Whether a file of this name may exist in the folder, from one listing of it:
 * reading a file that does not exist costs an exception, 2,000 of them on a
 * cold build. A case-insensitive file system (macOS, Windows) finds
 * "Index.md" when asked for "index.md", and may normalize other characters:
 * such names are read to make sure. When the folder cannot be listed, every
 * name may exist.
 */
function folderListing(dir: string): (name: string) => boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return () => false;
    return () => true;
  }
  const exact = new Set(names);
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const unusual = names.some((n) => !ASCII.test(n));
  return (name) => exact.has(name) || unusual || !ASCII.test(name) || lower.has(name.toLowerCase());
}

/** What a shard needs to know of the output folder to write pages aside. */
export interface StageFolder {
  outDir: string;
  mayExist: (name: string) => boolean;
  previous: Record<string, string>;
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
  const mayExist = folderListing(outDir);
  const manifest = mayExist(MANIFEST_NAME) ? readManifest(outDir) : undefined;
  return { outDir, mayExist, previous: manifest?.files ?? {}, force };
}

const tempName = (target: string) => `${target}.${process.pid}.sro-tmp`;

/**
 * Check one page as writeOutputs would and, when it would write it, write it
 * aside now: the shards of a large build write their pages in parallel, and
 * let go of the text. A page writeOutputs would refuse or report on is left
 * alone, for writeOutputs to report.
 */
export function stageOutput(folder: StageFolder, file: OutputFile): void {
  if (file.cachedHash !== undefined || file.staged) return;
  const target = safeTarget(folder.outDir, file.name);
  if (!target) return;
  const verdict = inspectTarget(folder, target, file);
  if (!verdict.ok) return;
  // Taken before the text goes: writeOutputs, the cache and the record need it.
  outputHash(file);
  const bytes = Buffer.byteLength(file.text);
  if (!verdict.same) {
    const tmp = tempName(target);
    let stamp: { size: number; mtimeMs: number };
    try {
      stamp = writeStamped(tmp, file.text);
    } catch {
      rmSync(tmp, { force: true });
      return;
    }
    file.staged = { same: false, tmp, bytes, stamp };
  } else {
    file.staged = { same: true, bytes };
  }
  file.text = '';
}

/**
 * Write a file and read back its size and modification time from the open file:
 * the calling thread then need not look up each of a large manual's pages again
 * for the build record.
 */
function writeStamped(path: string, text: string): { size: number; mtimeMs: number } {
  const fd = openSync(path, 'w');
  try {
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    const st = fstatSync(fd);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

type Verdict = { ok: true; same: boolean } | { ok: false; problem: 'foreign' | 'edited' } | { ok: false; problem: 'unreadable'; error: unknown };

/**
 * Whether a page may replace what its target holds now: sro-policy replaces
 * only what it wrote and nobody edited since (the manifest says), unless forced.
 */
function inspectTarget(folder: StageFolder, target: string, file: OutputFile): Verdict {
  let existing: string | undefined;
  try {
    existing = folder.mayExist(file.name) ? readIfExists(target) : undefined;
  } catch (error) {
    return { ok: false, problem: 'unreadable', error };
  }
  const same = existing === file.text;
  if (existing !== undefined && !same && !folder.force) {
    const recorded = folder.previous[file.name];
    if (recorded === undefined) return { ok: false, problem: 'foreign' };
    if (recorded !== sha256(existing)) return { ok: false, problem: 'edited' };
  }
  return { ok: true, same };
}

/**
 * Remove this process's temporary files from the output folder: a build that
 * stopped (an error, or a worker thread that failed part-way) leaves no page
 * written aside, whichever thread wrote it.
 */
export function removeTemporaryFiles(outDir: string): void {
  const suffix = tempName('');
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return;
  }
  for (const n of names) if (n.endsWith(suffix)) rmSync(join(outDir, n), { force: true });
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
  const folder = folderState(outDir, options.force ?? false);
  const { mayExist, previous } = folder;
  const plan: { file: OutputFile; target: string; hash: string; same: boolean }[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const target = safeTarget(outDir, file.name);
    if (!target) {
      diags.error('unsafe-path', `Refusing to write "${file.name}": it is not a plain file name inside the output folder`, {
        hint: 'Policy numbers and ids must not contain "/", "\\", ".." or control characters.',
      });
      continue;
    }
    if (seen.has(file.name)) {
      diags.error('output-collision', `Two outputs would both be written to ${join(shownOutDir, file.name)}`, {
        hint: 'Policy numbers that differ only in punctuation, such as "2:90" and "2-90", get the same file name; give one of them a different number.',
      });
      continue;
    }
    seen.add(file.name);
    if (file.cachedHash !== undefined) {
      plan.push({ file, target, hash: file.cachedHash, same: true });
      continue;
    }
    if (file.staged) {
      plan.push({ file, target, hash: outputHash(file), same: file.staged.same });
      continue;
    }
    const verdict = inspectTarget(folder, target, file);
    if (!verdict.ok) {
      const shown = join(shownOutDir, file.name);
      if (verdict.problem === 'unreadable') {
        diags.error('output-unwritable', `${shown} cannot be replaced: ${fsReason(verdict.error)}`, {
          hint: 'Move it out of the output folder, or choose another folder with --out.',
        });
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
    for (const [name, hash] of Object.entries(previous)) {
      if (seen.has(name)) continue;
      const target = safeTarget(outDir, name);
      if (!target) continue;
      let existing: string | undefined;
      try {
        existing = mayExist(name) ? readIfExists(target) : undefined;
      } catch {
        continue;
      }
      if (existing === undefined) continue;
      if (sha256(existing) !== hash) {
        diags.warn('edited-output', `${join(shownOutDir, name)} is no longer built but was edited by hand; it was left in place`);
        continue;
      }
      stale.push(name);
    }
  }
  if (diags.errorCount > before) return undefined;

  mkdirSync(outDir, { recursive: true });
  /** Files written aside, and whether a file of that name was there to be replaced. */
  const temps: { tmp: string; target: string; replaces: boolean }[] = [];
  const results: WriteResult[] = [];
  try {
    for (const p of plan) {
      results.push({ name: p.file.name, path: p.target, status: p.same ? 'unchanged' : 'written', bytes: p.file.staged?.bytes ?? Buffer.byteLength(p.file.text) });
      if (p.same) continue;
      if (p.file.staged?.tmp) {
        temps.push({ tmp: p.file.staged.tmp, target: p.target, replaces: mayExist(p.file.name) });
        continue;
      }
      const tmp = tempName(p.target);
      writeFileSync(tmp, p.file.text);
      temps.push({ tmp, target: p.target, replaces: mayExist(p.file.name) });
    }
    const files: Record<string, string> = {};
    for (const [name, hash] of Object.entries(previous)) if (!stale.includes(name) && safeTarget(outDir, name)) files[name] = hash;
    for (const p of plan) files[p.file.name] = p.hash;
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(files).sort()) sorted[k] = files[k]!;
    const manifestText = `${JSON.stringify({ generator: 'sro-policy', version: 1, files: sorted } satisfies Manifest, null, 2)}\n`;
    const manifestTarget = join(outDir, MANIFEST_NAME);
    if (!mayExist(MANIFEST_NAME) || readIfExists(manifestTarget) !== manifestText) {
      const tmp = tempName(manifestTarget);
      writeFileSync(tmp, manifestText);
      temps.push({ tmp, target: manifestTarget, replaces: mayExist(MANIFEST_NAME) });
    }
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
  return results;
}

/**
 * A second name for a file about to be replaced, so that it can be put back:
 * a hard link (no copy), or a copy where the file system has no links.
 * Undefined when the file is not there after all.
 */
function keepOld(target: string): string | undefined {
  const backup = `${target}.${process.pid}.sro-old`;
  try {
    linkSync(target, backup);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A leftover of a stopped build with the same process id, or a file system without links.
    rmSync(backup, { force: true });
    try {
      linkSync(target, backup);
    } catch {
      copyFileSync(target, backup);
    }
  }
  return backup;
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

export interface OutputDifference {
  name: string;
  reason: 'missing' | 'differs' | 'no longer built';
}

/** What a build would change in the output folder, without changing anything (build --check). */
export function compareOutputs(outDir: string, files: readonly OutputFile[]): OutputDifference[] {
  const out: OutputDifference[] = [];
  const names = new Set<string>();
  const mayExist = folderListing(outDir);
  for (const f of files) {
    names.add(f.name);
    const target = safeTarget(outDir, f.name);
    let existing: string | undefined;
    try {
      existing = target && mayExist(f.name) ? readIfExists(target) : undefined;
    } catch {
      existing = undefined;
    }
    if (existing === undefined) out.push({ name: f.name, reason: 'missing' });
    else if (existing !== f.text) out.push({ name: f.name, reason: 'differs' });
  }
  for (const name of Object.keys(readManifest(outDir)?.files ?? {})) {
    if (names.has(name)) continue;
    const target = safeTarget(outDir, name);
    if (target && mayExist(name) && readIfExists(target) !== undefined) out.push({ name, reason: 'no longer built' });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Write one file sro-policy owns (the lock file) atomically. An existing file
 * is replaced only when `owned` says it is ours (the caller parsed it).
 */
export function writeOwnedFile(path: string, shown: string, text: string, diags: Diagnostics): 'written' | 'unchanged' | undefined {
  let existing: string | undefined;
  try {
    existing = readIfExists(path);
  } catch (e) {
    diags.error('output-unwritable', `${shown} cannot be read: ${(e as Error).message}`);
    return undefined;
  }
  if (existing === text) return 'unchanged';
  const tmp = `${path}.${process.pid}.sro-tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    diags.error('output-unwritable', `Cannot write ${shown}: ${(e as Error).message}`);
    return undefined;
  }
  return 'written';
}

export function readTextIfExists(path: string): string | undefined {
  return readIfExists(path);
}

/**
 * Whether the pages a build cache records are still on disk exactly as
 * written: a page with the size and modification time it was written with is
 * taken as it is (editing or replacing it changes them, as make assumes), any
 * other is read and hashed (a checkout that rewrote it unchanged).
 */
export function outputsIntact(outDir: string, files: readonly { name: string; hash: string; size?: number; mtimeMs?: number }[]): boolean {
  for (const f of files) {
    const target = safeTarget(outDir, f.name);
    if (!target) return false;
    if (f.size !== undefined && f.mtimeMs !== undefined) {
      const now = fileStamp(target);
      if (now.size === f.size && now.mtimeMs === f.mtimeMs) continue;
    }
    // The bytes hash as the text they decode to; decoding them would only cost time.
    let bytes: Buffer;
    try {
      bytes = readFileSync(target);
    } catch {
      return false;
    }
    if (sha256(bytes) !== f.hash) return false;
  }
  return true;
}

/** Size and modification time of a file (zero when it cannot be read). */
export function fileStamp(path: string): { size: number; mtimeMs: number } {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? { size: st.size, mtimeMs: st.mtimeMs } : { size: -1, mtimeMs: 0 };
  } catch {
    return { size: -1, mtimeMs: 0 };
  }
}

/**
 * Whether pages are as a build left them, judged by size and modification time
 * (as make does): editing or replacing a page changes one of them. Used only to
 * skip a rebuild with nothing changed; any doubt means a real build.
 */
export function outputsUnchanged(outDir: string, files: readonly { name: string; size: number; mtimeMs: number }[]): boolean {
  for (const f of files) {
    const target = safeTarget(outDir, f.name);
    if (!target) return false;
    const now = fileStamp(target);
    if (now.size !== f.size || now.mtimeMs !== f.mtimeMs) return false;
  }
  return true;
}
