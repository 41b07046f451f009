// Which sro-policy this is: its version, and which build of its code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from './package.js';
import { sha256 } from '../model/hash.js';

/** The installed package's version. */
export function version(): string {
  return PACKAGE_VERSION;
}

let build: string | undefined;

/**
 * This build of sro-policy: its version, and a hash of its code (the bundle,
 * when run from it). Build caches and the no-change record are keyed by it, so
 * that sro-policy rebuilt without a new version number (a git checkout, a
 * local change) does not reuse pages or reports the old code made, while the
 * same code built again (a CI run's `npm ci`) still finds its cache.
 */
export function toolBuild(): string {
  if (build === undefined) {
    let hash = '';
    try {
      hash = `+${sha256(readFileSync(fileURLToPath(import.meta.url))).slice(0, 12)}`;
    } catch {
      // No file to read (an unusual loader): the version alone.
    }
    build = `${version()}${hash}`;
  }
  return build;
}
