// sha256 in hex, for content hashes (lock file, build cache, manifest).
import crypto from 'node:crypto';

// crypto.hash (Node 20.12 and later) hashes in one call, without a Hash object:
// about twice as fast for the tens of thousands of short clause texts a build
// hashes. Older Node versions take the Hash object.
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256(content: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', content, 'hex') : crypto.createHash('sha256').update(content).digest('hex');
}

/** sha256 of several parts, each followed by a NUL, as one string: a Hash object per policy cost more than the hashing. */
export function hashText(...parts: readonly string[]): string {
  return sha256(parts.map((p) => `${p}\u0000`).join(''));
}

/** A sha256 fed piece by piece: for one hash over many files (a build's fingerprint). */
export function hashStream(): { update(data: string | Uint8Array): unknown; digest(encoding: 'hex'): string } {
  return crypto.createHash('sha256');
}
