// How sro-policy makes, reads and replaces files in a folder it writes (the
// output folder, the redline folder, the lock file beside the config) without
// ever writing through a link or over a file it did not make.
//
// - New content goes to a staging file created exclusively (O_EXCL, never
//   following a link) under a name nobody can predict, then is renamed into
//   place: a planted link at any name is never written through.
// - Existing entries are read without following links, and without blocking
//   on a FIFO: a link, a folder or a device at a page's name is refused.
// - Staging files carry the process id of the build that made them, so a later
//   build removes those a stopped build left behind (kill -9, power loss).
import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fstatSync, linkSync, lstatSync, openSync, readdirSync, readSync, rmSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const { O_CREAT, O_EXCL, O_WRONLY, O_RDONLY } = constants;
/** Not on Windows, which has no such links to follow by accident. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

export type StagingKind = 'tmp' | 'old';

/**
 * A staging file's name: hidden, beside its target, with this process's id
 * and 48 random bits. Nothing else sro-policy writes ends in ".sro-tmp" or
 * ".sro-old".
 */
export function stagingPath(target: string, kind: StagingKind): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.sro-${kind}`);
}

/**
 * Names sro-policy's staging files have had: ".<name>.<pid>-<random>.sro-tmp"
 * now, "<name>.<pid>.sro-tmp" before version 0.2. The process id is group 1.
 */
const STAGING_NAME = /\.(\d{1,10})(?:-[0-9a-f]{12})?\.sro-(?:tmp|old)$/;

/** The process that made a staging file, or undefined when the name is not a staging file's. */
export function stagingOwner(name: string): number | undefined {
  const m = STAGING_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A file that has been there this long is a leftover whatever its process id says (process ids are reused). */
const LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to somebody else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the staging files in a folder that no running build will rename:
 * those of processes that stopped (and, with `own`, this process's), and any
 * a day old. Another build running now into the same folder keeps its own.
 * Returns how many were removed. A staging name that is a folder is left.
 */
export function removeLeftovers(dir: string, own = false, now = Date.now()): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = stagingOwner(name);
    if (pid === undefined) continue;
    const path = join(dir, name);
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) continue;
    const stopped = pid === process.pid ? own : !alive(pid);
    // A link under a staging name was planted: sro-policy never makes one.
    if (!stopped && !st.isSymbolicLink() && now - st.mtimeMs < LEFTOVER_AGE_MS) continue;
    try {
      rmSync(path, { force: true });
      removed++;
    } catch {
      // Not ours to fight over: the next build tries again.
    }
  }
  return removed;
}

export interface WrittenStamp {
  size: number;
  mtimeMs: number;
}

/**
 * Create a file that did not exist, never through a link, with the mode the
 * umask gives (0644 under the usual 022), and write `bytes` to it.
 */
export function createExclusive(path: string, bytes: Uint8Array): WrittenStamp {
  const fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    const st = fstatSync(fd);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Write content to a new staging file beside `target`; its path, and its size and modification time. */
export function writeStaged(target: string, text: string | Uint8Array): { tmp: string; stamp: WrittenStamp } {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let attempt = 0; ; attempt++) {
    const tmp = stagingPath(target, 'tmp');
    try {
      return { tmp, stamp: createExclusive(tmp, bytes) };
    } catch (e) {
      // Another file under the same random name: take another name (it cannot happen twice).
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 3) continue;
      rmIfPartial(tmp, e);
      throw e;
    }
  }
}

/** A file this process created and could not finish goes; one that was there before (EEXIST) is not ours. */
function rmIfPartial(path: string, e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(path, { force: true });
}

/**
 * A second name for a file about to be replaced, so that it can be put back:
 * a hard link (no copy), or a copy where the file system has no links.
 * Undefined when the file is not there after all.
 */
export function keepOld(target: string): string | undefined {
  const backup = stagingPath(target, 'old');
  try {
    // link() makes a new name exclusively and does not follow a link at `target`.
    linkSync(target, backup);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    copyFileSync(target, backup, constants.COPYFILE_EXCL);
  }
  return backup;
}

/** What is at a path, without following a link there. */
export type EntryKind = 'missing' | 'file' | 'symlink' | 'folder' | 'other';

export function entryKind(path: string): EntryKind {
  let st: Stats | undefined;
  try {
    st = lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return 'other';
  }
  if (!st) return 'missing';
  return st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'folder' : 'other';
}

/** Thrown by readNoFollow for an entry that is not a regular file; `kind` says what it is. */
export class NotAFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: Exclude<EntryKind, 'file' | 'missing'>,
  ) {
    super(`${path} is ${kind === 'symlink' ? 'a symbolic link' : kind === 'folder' ? 'a folder' : 'not a regular file'}`);
  }
}

/**
 * The bytes of a regular file, undefined when there is none. A link at the
 * path is not followed and a FIFO is not waited on: both throw NotAFileError.
 */
export function readNoFollow(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Linux says ELOOP for a link opened with O_NOFOLLOW; the BSDs and macOS, EMLINK.
    if (code === 'ELOOP' || code === 'EMLINK') throw new NotAFileError(path, 'symlink');
    if (code === 'EISDIR') throw new NotAFileError(path, 'folder');
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotAFileError(path, st.isDirectory() ? 'folder' : 'other');
    const bytes = Buffer.allocUnsafe(st.size);
    let done = 0;
    while (done < st.size) {
      const n = readSync(fd, bytes, done, st.size - done, done);
      if (n <= 0) break;
      done += n;
    }
    return done === st.size ? bytes : bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** readNoFollow as text (UTF-8). */
export function readTextNoFollow(path: string): string | undefined {
  return readNoFollow(path)?.toString('utf8');
}

/** Staging files in the folder (a build that stopped left them): only a real build removes them. */
export function hasStagingFiles(outDir: string): boolean {
  try {
    return readdirSync(outDir).some((n) => stagingOwner(n) !== undefined);
  } catch {
    return true;
  }
}
