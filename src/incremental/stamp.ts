// When a file may be taken as unchanged without reading it again.
//
// A build records, for each file it read or wrote, its size, modification and
// change times and inode, and when it looked. A later build trusts the content
// hash it recorded only when all four still match and the file was last
// changed clearly before the recording (git's "racy timestamp" rule): an edit
// within the same tick of the file system's clock as the recording could keep
// every field. The change time is what makes it content-safe: `touch -r`,
// `cp -p`, `rsync -t`, `tar` and checkouts can restore a modification time,
// but any change to a file sets its change time to now.
import type { Stats } from 'node:fs';
import type { FileStamp } from '../model/source.js';

export type { FileStamp };

/**
 * Margins for the racy rule: how long after a file's last change a recording
 * must be before the stamp proves anything. File systems with sub-second
 * times (ext4, APFS, NTFS, XFS) tick at most every 10 ms; those with whole
 * seconds (ext3, HFS+) every second, FAT every two seconds.
 */
const FINE_MARGIN_MS = 100;
const COARSE_MARGIN_MS = 2000;

export function stampOf(st: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>, at: number): FileStamp {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, at };
}

/** Whether the stamp could miss an edit made in the same clock tick as it was taken. */
export function isRacy(s: FileStamp): boolean {
  const changed = Math.max(s.mtimeMs, s.ctimeMs);
  const fine = s.mtimeMs % 1000 !== 0 || s.ctimeMs % 1000 !== 0;
  return changed >= s.at - (fine ? FINE_MARGIN_MS : COARSE_MARGIN_MS);
}

/** Whether a file whose stat is `now` still holds the content recorded with `then`. */
export function unchangedSince(then: FileStamp, now: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): boolean {
  return then.size === now.size && then.mtimeMs === now.mtimeMs && then.ctimeMs === now.ctimeMs && then.ino === now.ino && !isRacy(then);
}
