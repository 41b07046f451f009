// Where the installed package is: its shipped policies, templates, bundle and
// package.json. Found by walking up from this module to sro-policy's
// package.json, so it is the same whether the code runs from src/ (tests),
// dist/ (the library) or bundle/ (the command line).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): { root: string; version: string } {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sro-policy') return { root: dir, version: pkg.version ?? '0.0.0' };
    } catch {
      // no package.json here, or not one that can be read
    }
    if (dirname(dir) === dir) return { root: join(from, '..'), version: '0.0.0' };
  }
}

const found = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The installed package: shipped policies and templates live here. */
export const PACKAGE_ROOT = found.root;
/** Its version, from its package.json. */
export const PACKAGE_VERSION = found.version;
export const DEFAULT_LIBRARY = join(PACKAGE_ROOT, 'policies');
export const DEFAULT_TEMPLATES = join(PACKAGE_ROOT, 'templates');
/** Written by scripts/precompile-templates.mjs when the package is built. */
export const PRECOMPILED_TEMPLATES = join(PACKAGE_ROOT, 'dist', 'templates.precompiled.json');
/** The worker thread of large builds, bundled by scripts/bundle.mjs (also when running from the sources). */
export const WORKER_SCRIPT = join(PACKAGE_ROOT, 'bundle', 'shard-worker.js');
