// Reading the lock file beside the config: never through a link, never waiting
// on a FIFO, and a piece at a time (a 10,000-policy lock is 50 MB).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { lockMatches } from '../lock/lock.js';

/**
 * The lock file's bytes for an incremental build to take unchanged policies'
 * entries from; undefined when it is missing, unreadable or larger than any
 * lock sro-policy writes (it only saves work, so nothing is reported).
 */
export function readLockBytes(path: string): Uint8Array | undefined {
  return withOpenFile<Uint8Array | undefined>(path, undefined, (fd) => {
    const size = fstatSync(fd).size;
    if (size > MAX_LOCK_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    for (let done = 0; done < size; ) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n <= 0) return undefined;
      done += n;
    }
    return bytes;
  });
}

/** `use` on the file open for reading; `fallback` when it cannot be opened, or `use` throws. */
function withOpenFile<T>(path: string, fallback: T, use: (fd: number) => T): T {
  let fd: number;
  try {
    // Never through a link (the lock file is sro-policy's), and never waiting on a FIFO.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return fallback;
  }
  try {
    return use(fd);
  } catch {
    return fallback;
  } finally {
    closeSync(fd);
  }
}

/** About 5 kB a policy: room for 100,000 policies. */
const MAX_LOCK_BYTES = 512 * 1024 * 1024;

/** Whether the lock file holds exactly these entries (a build's lock), read a piece at a time. */
export function lockFileHolds(path: string, entries: readonly (readonly [string, Uint8Array])[]): boolean {
  return withOpenFile(path, false, (fd) => lockMatches(fstatSync(fd).size, (into, position) => readSync(fd, into, 0, into.length, position), entries));
}
