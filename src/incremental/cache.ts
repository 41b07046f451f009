// The incremental build cache, kept in the cache folder (cache-dir.ts). For each policy it
// records a key (content hashes of everything its pages depend on) and what
// the last build made of it; a policy whose key is unchanged, and whose pages
// are still on disk as written, is not assembled or rendered again. Pure: the
// caller reads and writes the file.
import { relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { InputStamp } from '../read/files.js';
import type { FileStamp } from './stamp.js';
import type { IndexEntry } from '../render/render.js';
import { validateCachedIndex, validateCachedPolicy, validateLastBuild, validateLastReport, validateLibraryFile } from '../schema/validators.generated.js';

/** Bumped whenever what a key covers changes. */
const CACHE_FORMAT = 10;

export interface CachedPolicy {
  key: string;
  /** Each page with its content hash, and its stamp when written. */
  files: CachedPage[];
  /** Diagnostics of assembling and rendering this policy, located (line and column) when recorded. */
  diagnostics: Diagnostic[];
  index: IndexEntry;
  used: string[];
  settled?: SettledPolicy;
}

export interface CachedPage {
  name: string;
  hash: string;
  /** The page as the build left it (see stamp.ts): while it still has this stamp, it need not be read to be trusted. */
  stamp?: FileStamp;
}

/**
 * What the steps before assembling made of a policy, so that the next build
 * need not parse its clause file again while that file, the config, the
 * templates and the tool are unchanged (BuildCache.buildKey): a rebuild after
 * one policy changed then parses one file instead of the whole library.
 */
export interface SettledPolicy {
  /** The clause file: its absolute path, its path as diagnostics show it, and its content hash. */
  path: string;
  shown: string;
  hash: string;
  /** Variables the policy declares. */
  variables: string[];
  /** The policy as adopted (deviations applied): its title and its cross-references, number and title. */
  title: string;
  cf: [string, string][];
  /** Diagnostics of loading the file, of applying the deviations, and of checking its links and choices, located when recorded. */
  loaded: Diagnostic[];
  adopted: Diagnostic[];
  linked: Diagnostic[];
  /**
   * The lines of the clause file that the code frames of this entry's
   * diagnostics show, numbered (see keptLines): a build that
   * takes the file as settled without reading it still prints them.
   */
  lines?: string;
  /** sha256 of the policy's lock entry: the entry itself is taken from the lock file, when it holds exactly that. */
  lock: string;
}

/**
 * The last build as a whole: when none of its inputs changed, nothing needs to
 * be read again. Kept as two files: what it read (LastInputs), which every
 * build looks at first, and what it wrote and reported (LastReport), read only
 * when nothing changed, so that a rebuild after a change does not pay for it.
 */
export type CachedBuild = LastInputs & LastReport;

export interface LastInputs {
  /** Hash of the arguments and of every input file's name and content. */
  fingerprint: string;
  /** What went into it, per input file: a file whose size and modification time are unchanged need not be read again. */
  inputs: Record<string, InputStamp>;
  folders: string[];
  files: string[];
}

export interface LastReport {
  /** The LastInputs' fingerprint: the report of that build. */
  fingerprint: string;
  /** Each page with its content hash, and its stamp when written. */
  outputs: CachedPage[];
  edition: string;
  /** Everything the build reported, and where to find the files those reports point into. */
  diagnostics: Diagnostic[];
  /** Per file, the lines the code frames show, numbered (see keptLines). */
  sources: Record<string, string>;
}

export interface BuildCache {
  version: string;
  /** Hash of what every page depends on (config, templates, tool, options): settled policies hold only under the same one. */
  buildKey?: string;
  policies: Record<string, CachedPolicy>;
  /**
   * Clause files of the libraries that are not in the manual and loaded without
   * a word, by absolute path: the next build under the same build key need not
   * parse them while their text is unchanged.
   */
  library?: Record<string, LibraryFile>;
  /** The index pages: rendered again only when what they show changed (indexKey). */
  index?: CachedIndex;
}

export interface CachedIndex {
  key: string;
  files: CachedPage[];
}

export interface LibraryFile {
  shown: string;
  hash: string;
  number: string;
  variables: string[];
}

export function emptyCache(version: string): BuildCache {
  return { version: `${version}/${CACHE_FORMAT}`, policies: {} };
}

/**
 * Paths in the cache files are relative to `base` (the config's folder), so a
 * cache restored into another checkout of the same project still fits; in
 * memory they are absolute.
 */
const toRelative = (base: string) => (path: string) => relative(base, path) || '.';
const toAbsolute = (base: string) => (path: string) => resolve(base, path);

function withPaths(cache: BuildCache, map: (path: string) => string): BuildCache {
  const policies: Record<string, CachedPolicy> = {};
  for (const k of Object.keys(cache.policies).sort()) {
    const p = cache.policies[k]!;
    policies[k] = p.settled ? { ...p, settled: { ...p.settled, path: map(p.settled.path) } } : p;
  }
  const library: Record<string, LibraryFile> = {};
  for (const k of Object.keys(cache.library ?? {}).sort()) library[map(k)] = cache.library![k]!;
  return { ...cache, policies, ...(cache.library ? { library } : {}) };
}

export function parseCache(text: string | undefined, version: string, base: string): BuildCache {
  if (text === undefined) return emptyCache(version);
  try {
    const c = JSON.parse(text) as BuildCache;
    // A cache from another version of sro-policy may describe other output: start afresh.
    if (!isObject(c) || c.version !== `${version}/${CACHE_FORMAT}` || !isObject(c.policies) || (c.buildKey !== undefined && typeof c.buildKey !== 'string')) return emptyCache(version);
    // The files sit in the output folder, where anyone may edit them, and what they hold is printed
    // and rendered: an entry not as sro-policy writes it (src/schema/cache.schema.json) is left out,
    // and its policy built afresh.
    for (const [number, entry] of Object.entries(c.policies)) if (!validateCachedPolicy(entry)) delete c.policies[number];
    if (c.index !== undefined && !validateCachedIndex(c.index)) delete c.index;
    if (c.library !== undefined) {
      if (!isObject(c.library)) delete c.library;
      else for (const [path, file] of Object.entries(c.library)) if (!validateLibraryFile(file)) delete c.library[path];
    }
    return withPaths(c, toAbsolute(base));
  } catch {
    // unreadable: rebuild everything
  }
  return emptyCache(version);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function serializeCache(cache: BuildCache, base: string): string {
  const { policies, library } = withPaths(cache, toRelative(base));
  return `${JSON.stringify({ version: cache.version, ...(cache.buildKey ? { buildKey: cache.buildKey } : {}), policies, ...(library ? { library } : {}), ...(cache.index ? { index: cache.index } : {}) })}\n`;
}


function inputsWithPaths(build: LastInputs, map: (path: string) => string): LastInputs {
  return {
    fingerprint: build.fingerprint,
    inputs: Object.fromEntries(Object.entries(build.inputs).map(([path, stamp]) => [map(path), stamp])),
    folders: build.folders.map(map),
    files: build.files.map(map),
  };
}

/** The record of what a build read (the first file) and of what it wrote and reported (the second). */
export function serializeLastBuild(build: CachedBuild, version: string, base: string): { inputs: string; report: string } {
  return { inputs: serializeLastInputs(build, version, base), report: serializeLastReport(build, version) };
}

export function serializeLastInputs(build: LastInputs, version: string, base: string): string {
  return `${JSON.stringify({ version: `${version}/${CACHE_FORMAT}`, ...inputsWithPaths(build, toRelative(base)) })}\n`;
}

export function serializeLastReport(report: LastReport, version: string): string {
  const { fingerprint, outputs, edition, diagnostics, sources } = report;
  return `${JSON.stringify({ version: `${version}/${CACHE_FORMAT}`, fingerprint, outputs, edition, diagnostics, sources })}\n`;
}

export function parseLastInputs(text: string | undefined, version: string, base: string): LastInputs | undefined {
  if (text === undefined) return undefined;
  try {
    const b = JSON.parse(text) as LastInputs & { version?: string };
    if (isObject(b) && b.version === `${version}/${CACHE_FORMAT}` && validateLastBuild(b)) return inputsWithPaths(b, toAbsolute(base));
  } catch {
    // unreadable: do a real build
  }
  return undefined;
}

/** The report of the build whose inputs had this fingerprint; undefined for any other. */
export function parseLastReport(text: string | undefined, version: string, fingerprint: string): LastReport | undefined {
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as LastReport & { version?: string };
    if (isObject(r) && r.version === `${version}/${CACHE_FORMAT}` && validateLastReport(r) && r.fingerprint === fingerprint) {
      return { fingerprint: r.fingerprint, outputs: r.outputs, edition: r.edition, diagnostics: r.diagnostics, sources: r.sources };
    }
  } catch {
    // unreadable: do a real build
  }
  return undefined;
}
