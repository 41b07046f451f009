// Files sro-policy owns outside the manual's pages (the lock file, its cache),
// written atomically and never through a link; and inputs read as the user named them.
// write: the only stage that changes files. Everything is checked before the
// first byte is written; new content goes to a staging file beside its target
// (staging.ts: created exclusively, never through a link) and is renamed into
// place, so a failed build leaves earlier output as it was. A manifest records
// what sro-policy wrote, so it never overwrites (or, with --clean, deletes) a
// file somebody else wrote or edited, and never writes through a link.
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { entryKind, readNoFollow, writeStaged } from './staging.js';
import { fsReason, readEntry, refusal } from './folder.js';



/**
 * Write one file sro-policy owns (the lock file beside the config, the build
 * cache) atomically, never through a link. What stands in its way is reported
 * with the file's name.
 */
export function writeOwnedFile(path: string, shown: string, text: string | Uint8Array, diags: Diagnostics): 'written' | 'unchanged' | undefined {
  let existing: Buffer | undefined;
  try {
    existing = readEntry(path, entryKind(path));
  } catch (e) {
    const r = refusal(shown, e);
    diags.error(r.code, r.message.replace(' cannot be replaced:', ' cannot be written:'), { file: shown, hint: r.hint.replace(' out of the output folder', ' away') });
    return undefined;
  }
  if (existing?.equals(typeof text === 'string' ? Buffer.from(text) : text)) return 'unchanged';
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
  return readOwnedBytes(path)?.toString('utf8');
}

/** The bytes of a file sro-policy owns (its packed cache files), as readOwnedText reads them. */
export function readOwnedBytes(path: string): Buffer | undefined {
  try {
    return readNoFollow(path);
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

/** Make a folder of sro-policy's own (the build cache's), with its parents; false when it cannot be made. */
export function makeOwnFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}
