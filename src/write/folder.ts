// Looking at the output folder without trusting it: names that stay inside it,
// one listing for all its entries, and reads that never follow a link or wait on a FIFO.
// write: the only stage that changes files. Everything is checked before the
// first byte is written; new content goes to a staging file beside its target
// (staging.ts: created exclusively, never through a link) and is renamed into
// place, so a failed build leaves earlier output as it was. A manifest records
// what sro-policy wrote, so it never overwrites (or, with --clean, deletes) a
// file somebody else wrote or edited, and never writes through a link.
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { readdirSync, type Dirent } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { NotAFileError, readNoFollow, type EntryKind } from './staging.js';



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
export type Listed = EntryKind | 'ask';

export function kindOf(d: Dirent): EntryKind {
  return d.isFile() ? 'file' : d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'folder' : 'other';
}

/**
 * What each name of the folder is, from one listing of it: looking at a file
 * that does not exist costs an exception, 2,000 of them on a cold build. A
 * case-insensitive file system (macOS, Windows) finds "Index.md" when asked
 * for "index.md", and may normalize other characters: such names are looked
 * at to make sure. When the folder cannot be listed, every name is.
 */
export function folderListing(dir: string): (name: string) => Listed {
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
export function readEntry(path: string, listed: Listed): Buffer | undefined {
  if (listed === 'missing') return undefined;
  if (listed === 'symlink' || listed === 'folder' || listed === 'other') throw new NotAFileError(path, listed);
  return readNoFollow(path);
}

/** Why an entry of the output folder cannot be replaced, for a diagnostic; the code to report it with. */
export function refusal(shown: string, error: unknown): { code: DiagnosticCode; message: string; hint: string } {
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

