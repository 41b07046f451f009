import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from './package.js';

/** The installed package's version. */
export function version(): string {
  return PACKAGE_VERSION;
}

let build: string | undefined;

/**
 * This build of sro-policy: its version, and the size and modification time
 * of its code (the bundle, when run from it). Build caches and the no-change
 * record are keyed by it, so that sro-policy rebuilt without a new version
 * number (a git checkout, a local change) does not reuse pages or reports the
 * old code made.
 */
export function toolBuild(): string {
  if (build === undefined) {
    let stamp = '';
    try {
      const st = statSync(fileURLToPath(import.meta.url));
      stamp = `+${st.size}.${Math.round(st.mtimeMs)}`;
    } catch {
      // No file to stat (an unusual loader): the version alone.
    }
    build = `${version()}${stamp}`;
  }
  return build;
}
