// Where a config's build cache lives: never in the output folder, which holds
// only the manual. By default in node_modules/.cache/sro-policy/ of the
// nearest folder above the config with a package.json (the convention babel,
// terser and ava follow), else in .sro-policy-cache/ beside the config;
// --cache-dir or SRO_POLICY_CACHE_DIR name another, --no-cache none. Each
// config and output folder pair has its own subfolder, named by their paths
// relative to the cache's project, so a cache restored into another checkout
// (a CI cache) still fits.
import { dirname, join, relative, resolve } from 'node:path';
import { sha256 } from '../model/hash.js';
import { folderWith } from '../read/files.js';

/** The cache files of builds before 0.2, which lived in the output folder. */
export const OLD_CACHE_FILES = ['.sro-policy-cache.json', '.sro-policy-last-build.json'] as const;

/** The cache folder's files before they were packed (pack.ts): removed when the packed ones are written. */
export const UNPACKED_CACHE_FILES = ['cache.json', 'last-build.json'] as const;

export interface CacheFolder {
  /** The folder of this config and output folder's records. */
  dir: string;
  /** The per-policy cache (see cache.ts) and the last build's record: what it read, and what it wrote and reported; each packed (pack.ts). */
  cache: string;
  record: string;
  report: string;
  /** Paths inside the records are relative to this folder: the config's. */
  base: string;
}

/** Where the cache folder is when nothing says otherwise. */
export function defaultCacheRoot(configAbs: string): string {
  const project = folderWith(dirname(configAbs), 'package.json');
  return project === undefined ? join(dirname(configAbs), '.sro-policy-cache') : join(project, 'node_modules', '.cache', 'sro-policy');
}

/**
 * The cache folder of a config built into `outDir`; undefined with `setting`
 * false (no cache). `setting` is a folder (--cache-dir, SRO_POLICY_CACHE_DIR)
 * resolved from `cwd`, or undefined for the default.
 */
export function cacheFolder(configAbs: string, outDir: string, setting: string | false | undefined, cwd: string): CacheFolder | undefined {
  if (setting === false) return undefined;
  const root = setting === undefined ? defaultCacheRoot(configAbs) : resolve(cwd, setting);
  const base = dirname(configAbs);
  // The same config and output folder, wherever the project is checked out.
  const key = sha256(`${relative(dirname(root), configAbs)}\u0000${relative(base, outDir)}`).slice(0, 16);
  const dir = join(root, key);
  return { dir, cache: join(dir, 'cache.json.br'), record: join(dir, 'last-build.json.br'), report: join(dir, 'last-report.json.br'), base };
}
