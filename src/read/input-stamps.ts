// Looking at input files for the build record (incremental/fingerprint.ts):
// each file's content hash and stamp, taking a stamp that proves a file
// unchanged (incremental/stamp.ts) instead of reading the file again.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { InputStamp } from '../model/source.js';
import { sha256 } from '../model/hash.js';
import { stampOf, unchangedSince } from '../incremental/stamp.js';

/** A file's hash and stamp: `known`'s when the file's stamp still matches it, else read now; undefined when it cannot be read. */
export function stampInput(path: string, known: InputStamp | undefined): InputStamp | undefined {
  try {
    const at = Date.now();
    const st = statSync(path);
    return known && unchangedSince(known, st) ? known : { hash: sha256(readFileSync(path)), ...stampOf(st, at) };
  } catch {
    return undefined;
  }
}

/** The names in a folder, sorted; undefined when it cannot be listed. */
export function folderNames(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).sort();
  } catch {
    return undefined;
  }
}

/** Whether a path is a folder (false when it cannot be looked at). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
