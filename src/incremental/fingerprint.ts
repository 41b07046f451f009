// The fingerprint of everything a build read: one hash over the names and
// contents of its input files, with each file's stamp so that the next look
// need not read a file its stamp proves unchanged.
import { join } from 'node:path';
import type { InputStamp } from '../model/source.js';
import { folderNames, isFolder, stampInput } from '../read/input-stamps.js';
import { hashStream } from '../model/hash.js';

/**
 * One hash over the names and contents of input files: the given files, and
 * every clause file and template under the given folders. A missing file or
 * folder counts too, so that removing one changes the hash.
 *
 * `known` holds what is already known of some files. A build passes the
 * stamps of the files it read (`trusted`: its output is made of that content,
 * whatever is on disk by now); the no-change check passes the last build's
 * stamps, used only for files whose size and modification time still match,
 * so that it need not read every file again.
 */
export function fingerprintInputs(
  salt: string,
  folders: readonly string[],
  files: readonly string[],
  known: ReadonlyMap<string, InputStamp> = new Map(),
  trusted = false,
): { fingerprint: string; stamps: Record<string, InputStamp> } {
  const h = hashStream();
  h.update(salt);
  const stamps: Record<string, InputStamp> = {};
  const add = (path: string) => {
    h.update(`\u0000${path}\u0000`);
    const stamp = (trusted ? known.get(path) : undefined) ?? stampInput(path, known.get(path));
    if (!stamp) return void h.update('\u0000missing');
    stamps[path] = stamp;
    h.update(stamp.hash);
  };
  for (const f of files) add(f);
  const walk = (dir: string, depth: number) => {
    const names = folderNames(dir);
    if (!names) return void h.update(`\u0000${dir}\u0000no folder`);
    for (const n of names) {
      const p = join(dir, n);
      if (/\.(ya?ml|hbs)$/i.test(n)) add(p);
      // Unreadable entries do not change what a build reads.
      else if (depth < 3 && !n.startsWith('.') && isFolder(p)) walk(p, depth + 1);
    }
  };
  for (const d of folders) walk(d, 0);
  return { fingerprint: h.digest('hex'), stamps };
}
