// write: the only stage that changes files. Everything is checked before the
// first byte is written; new content goes to a staging file beside its target
// (staging.ts: created exclusively, never through a link) and is renamed into
// place, so a failed build leaves earlier output as it was. A manifest records
// what sro-policy wrote, so it never overwrites (or, with --clean, deletes) a
// file somebody else wrote or edited, and never writes through a link.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { sha256 } from '../model/hash.js';
import { knownHashes, MANIFEST_NAME, manifestText, readManifest } from './manifest.js';
import { stampOf, unchangedSince, type FileStamp } from '../incremental/stamp.js';
import { entryKind, keepOld, NotAFileError, readNoFollow, readTextNoFollow, removeLeftovers, stagingOwner, writeStaged, type EntryKind } from './staging.js';


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


/**
 * Why a file operation failed, in words. Node's messages ("ENOTDIR: not a
 * directory, stat '/abs/path'") repeat the absolute path and the system call.
 */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
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

// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII = /^[\x00-\x7f]*$/;

/** What is at a name in the folder: known from the listing, or 'ask' (look at it with entryKind). */
type Listed = EntryKind | 'ask';

function kindOf(d: Dirent): EntryKind {
  return d.isFile() ? 'file' : d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'folder' : 'other';
}

/**
 * What each name of the folder is, from one listing of it: looking at a file
 * that does not exist costs an exception, 2,000 of them on a cold build. A
 * case-insensitive file system (macOS, Windows) finds "Index.md" when asked
 * for "index.md", and may normalize other characters: such names are looked
 * at to make sure. When the folder cannot be listed, every name is.
 */
function folderListing(dir: string): (name: string) => Listed {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return () => 'missing';
    return () => 'ask';
  }
  const exact = new Map(entries.map((d) => [d.name, kindOf(d)]));
  const lower = new Set(entries.map((d) => d.name.toLowerCase()));
  const unusual = entries.some((d) => !ASCII.test(d.name));
  return (name) => exact.get(name) ?? (unusual || !ASCII.test(name) || lower.has(name.toLowerCase()) ? 'ask' : 'missing');
}

/**
 * The text of a file in a folder sro-policy writes, undefined when there is
 * none. Anything but a regular file (a link, a folder, a FIFO) throws
 * NotAFileError: it is never read through, written through or waited on.
 */
function readEntry(path: string, listed: Listed): string | undefined {
  if (listed === 'missing') return undefined;
  if (listed === 'symlink' || listed === 'folder' || listed === 'other') throw new NotAFileError(path, listed);
  return readTextNoFollow(path);
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
    let tmp: string;
    try {
      tmp = writeStaged(target, file.text).tmp;
    } catch {
      // writeOutputs tries again, and reports what fails.
      return;
    }
    file.staged = { same: false, tmp, bytes };
  } else {
    file.staged = { same: true, bytes };
  }
  file.text = '';
}

type Verdict = { ok: true; same: boolean } | { ok: false; problem: 'foreign' | 'edited' } | { ok: false; problem: 'unreadable'; error: unknown };

/**
 * Whether a page may replace what its target holds now: sro-policy replaces
 * only what it wrote and nobody edited since (the manifest says), unless forced.
 */
function inspectTarget(folder: StageFolder, target: string, file: OutputFile): Verdict {
  let existing: string | undefined;
  try {
    existing = readEntry(target, folder.listed(file.name));
  } catch (error) {
    return { ok: false, problem: 'unreadable', error };
  }
  const same = existing === file.text;
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

/** Why an entry of the output folder cannot be replaced, for a diagnostic; the code to report it with. */
function refusal(shown: string, error: unknown): { code: string; message: string; hint: string } {
  if (error instanceof NotAFileError && error.kind === 'symlink') {
    return {
      code: 'output-symlink',
      message: `${shown} is a symbolic link; sro-policy does not write through links it did not make`,
      hint: 'Remove the link (sro-policy writes a plain file there), or choose another output folder with --out.',
    };
  }
  return {
    code: 'output-unwritable',
    message: `${shown} cannot be replaced: ${error instanceof NotAFileError ? (error.kind === 'folder' ? 'it is a folder, not a file' : 'it is not a regular file') : fsReason(error)}`,
    hint: 'Move it out of the output folder, or choose another folder with --out.',
  };
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
    if (!target) {
      diags.error('unsafe-path', `Refusing to write "${file.name}": it is not a plain file name inside the output folder`, {
        hint: 'Policy numbers and ids must not contain "/", "\\", ".." or control characters.',
      });
      continue;
    }
    if (seen.has(file.name)) {
      diags.error('output-collision', `Two outputs would both be written to ${join(shownOutDir, file.name)}`, {
        hint: 'Two pages of the manual have the same file name; give one of the policies a different number.',
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
      let existing: string | undefined;
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
      results.push({ name: p.file.name, path: p.target, status: p.same ? 'unchanged' : 'written', bytes: p.file.staged?.bytes ?? Buffer.byteLength(p.file.text) });
      if (p.same) continue;
      const replaces = listed(p.file.name) !== 'missing';
      const before = known.get(p.file.name)?.[0];
      if (replaces && before !== undefined) replacing[p.file.name] = before;
      pages.push({ tmp: p.file.staged?.tmp ?? writeStaged(p.target, p.file.text).tmp, target: p.target, replaces });
    }
    for (const name of stale) replacing[name] = known.get(name)![0]!;
    const files: Record<string, string> = {};
    for (const [name, hashes] of known) if (!stale.includes(name) && safeTarget(outDir, name)) files[name] = hashes[0]!;
    for (const p of plan) files[p.file.name] = p.hash;
    const text = manifestText(files);
    // The manifest goes first, naming old and new content alike (see manifest.ts), so a build killed among the renames leaves no file unaccounted for.
    const first = pages.length || stale.length ? manifestText(files, replacing) : text;
    if (first !== text) finalManifest = text;
    if (readEntry(manifestTarget, listed(MANIFEST_NAME)) !== first) {
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

export interface OutputDifference {
  name: string;
  reason: 'missing' | 'differs' | 'no longer built' | 'not a file' | 'leftover';
}

/** What a build would change in the output folder, without changing anything (build --check). */
export function compareOutputs(outDir: string, files: readonly OutputFile[]): OutputDifference[] {
  const out: OutputDifference[] = [];
  const names = new Set<string>();
  const listed = folderListing(outDir);
  const read = (name: string): string | undefined | null => {
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
    else if (existing !== f.text) out.push({ name: f.name, reason: 'differs' });
  }
  for (const name of Object.keys(readManifest(outDir)?.files ?? {})) {
    if (!names.has(name) && typeof read(name) === 'string') out.push({ name, reason: 'no longer built' });
  }
  // Staging files of a build that stopped (or one under way): a build removes those of stopped builds.
  try {
    for (const name of readdirSync(outDir)) if (stagingOwner(name) !== undefined) out.push({ name, reason: 'leftover' });
  } catch {
    // no folder: every page is missing
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Write one file sro-policy owns (the lock file beside the config, the build
 * cache) atomically, never through a link. What stands in its way is reported
 * with the file's name.
 */
export function writeOwnedFile(path: string, shown: string, text: string, diags: Diagnostics): 'written' | 'unchanged' | undefined {
  let existing: string | undefined;
  try {
    existing = readEntry(path, entryKind(path));
  } catch (e) {
    const r = refusal(shown, e);
    diags.error(r.code, r.message.replace(' cannot be replaced:', ' cannot be written:'), { file: shown, hint: r.hint.replace(' out of the output folder', ' away') });
    return undefined;
  }
  if (existing === text) return 'unchanged';
  let tmp: string | undefined;
  try {
    tmp = writeStaged(path, text).tmp;
    renameSync(tmp, path);
  } catch (e) {
    if (tmp) rmSync(tmp, { force: true });
    diags.error('output-unwritable', `Cannot write ${shown}: ${fsReason(e)}`, { file: shown, hint: "Check the folder's permissions and that the disk is not full." });
    return undefined;
  }
  return 'written';
}

/**
 * The text of a file sro-policy owns in a folder it writes (its manifest,
 * cache or record), undefined when there is none or it is not a plain file:
 * never read through a link.
 */
export function readOwnedText(path: string): string | undefined {
  try {
    return readTextNoFollow(path);
  } catch {
    return undefined;
  }
}

/** An input's text (the config): links are followed, as for any file the user names. Undefined when it is missing. */
export function readInputText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
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
