// What a build leaves for the next one, in its cache folder (cache-dir.ts):
// the per-policy cache (cache.ts), and the record of the build as a whole that
// lets a rebuild with nothing changed stop at once (no-change.ts).
import { basename, dirname, join, relative } from 'node:path';
import type { BuildPlan } from '../build/plan.js';
import { DEFAULT_TEMPLATES } from '../read/package.js';
import { toolBuild } from '../read/version.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { keptLines, locate, locateAll, type LocatedDiagnostic } from '../diagnostics/reporters.js';
import { outputHash, type OutputFile, type WriteResult } from '../write/write.js';
import { outputStamp } from '../write/verify.js';
import { makeOwnFolder, writeOwnedFile } from '../write/owned-file.js';
import { removeOwnFiles } from '../write/output-folder.js';
import { pack } from './pack.js';
import { serializeCache, serializeLastBuild, type CachedBuild, type CachedPage, type CachedPolicy } from './cache.js';
import { UNPACKED_CACHE_FILES, type CacheFolder } from './cache-dir.js';
import { fingerprintInputs } from './fingerprint.js';

/** What a build's options say about what it writes or prints: a different salt is a different build. */
export interface BuildSalt {
  configAbs: string;
  cwd: string;
  outDir: string;
  formats?: readonly string[];
  edition?: string;
  draft?: boolean;
}

/**
 * Arguments that change what a build writes or prints, with paths relative to
 * the config's folder: the same build in another checkout has the same salt.
 */
export function fingerprintSalt(s: BuildSalt): string {
  const base = dirname(s.configAbs);
  return JSON.stringify([toolBuild(), relative(base, s.cwd), basename(s.configAbs), relative(base, s.outDir), s.formats?.join(',') ?? null, s.edition ?? null, s.draft ?? false]);
}

/** The lock file of a config: district.yaml → district.lock.json, beside it. */
export function lockPath(configAbs: string): string {
  return join(dirname(configAbs), `${basename(configAbs).replace(/\.ya?ml$/i, '')}.lock.json`);
}

/** Every file and folder a build of this config reads. */
function buildInputs(configAbs: string, plan: BuildPlan): { folders: string[]; files: string[] } {
  return {
    folders: [...plan.libraryFolders, ...(plan.config.templates ? [plan.config.templates] : []), DEFAULT_TEMPLATES],
    files: [configAbs, lockPath(configAbs), ...(plan.config.docxReference ? [plan.config.docxReference.absPath] : [])],
  };
}

/**
 * Record a build that wrote its pages: the cache for the next build, and the
 * record a no-change rebuild answers from. Failing to write them loses
 * nothing but time, so it is not an error.
 */
export function recordBuild(folder: CacheFolder, salt: BuildSalt, plan: BuildPlan, results: readonly WriteResult[], diags: Diagnostics): void {
  if (!plan.cache) return;
  const inputs = buildInputs(salt.configAbs, plan);
  const filesByName = new Map<string, OutputFile>(plan.files.map((f) => [f.name, f]));
  // A page this build left as it was, and that the cache vouched for by its stamp, still has that stamp:
  // it was checked a moment ago (outputsIntact), so it need not be looked at again.
  const vouched = new Map<string, CachedPage>();
  const entries = [...Object.values(plan.cache.policies), ...(plan.cache.index ? [plan.cache.index] : [])];
  for (const entry of entries) for (const f of entry.files) if (f.stamp) vouched.set(f.name, f);
  const { fingerprint, stamps } = fingerprintInputs(fingerprintSalt(salt), inputs.folders, inputs.files, plan.inputs, true);
  const build: CachedBuild = {
    fingerprint,
    inputs: stamps,
    ...inputs,
    outputs: results
      .filter((r) => r.status !== 'removed')
      .map((r) => {
        // Taken after the rename, which sets the page's change time.
        const hash = outputHash(filesByName.get(r.name)!);
        const known = r.status === 'unchanged' ? vouched.get(r.name) : undefined;
        const stamp = known?.hash === hash ? known.stamp : outputStamp(r.path);
        return { name: r.name, hash, ...(stamp ? { stamp } : {}) };
      }),
    edition: plan.edition,
    diagnostics: diags.items.map((d) => locateAll(d, diags.sources)),
    sources: codeFrameLines(diags),
  };
  // Each page's stamp as written: the next build trusts a page that still has it (stamp.ts), and hashes the rest.
  const written = new Map(build.outputs.map((o) => [o.name, o]));
  for (const entry of entries) {
    for (const f of entry.files) {
      const o = written.get(f.name);
      if (o?.stamp && o.hash === f.hash) f.stamp = o.stamp;
      else delete f.stamp;
    }
  }
  locateEntries(plan.cache.policies, diags.sources);
  if (!makeOwnFolder(folder.dir)) return;
  writeOwnedFile(folder.cache, folder.cache, pack(serializeCache(plan.cache, folder.base)), new Diagnostics());
  const record = serializeLastBuild(build, toolBuild(), folder.base);
  writeOwnedFile(folder.report, folder.report, pack(record.report), new Diagnostics());
  writeOwnedFile(folder.record, folder.record, pack(record.inputs), new Diagnostics());
  removeOwnFiles(folder.dir, UNPACKED_CACHE_FILES);
}

/**
 * Each cache entry's diagnostics located, and the lines of its clause file
 * that their code frames show: the next build may then take the file as
 * settled without reading it (settled.ts), and still print them. An entry
 * taken from the cache is located already; doing it again gives the same.
 */
function locateEntries(policies: Record<string, CachedPolicy>, sources: ReadonlyMap<string, string>): void {
  let fresh: boolean;
  const located = (list: LocatedDiagnostic[]) => {
    if (list.every((d) => d.start || !d.range)) return list;
    fresh = true;
    return list.map((d) => locateAll(d, sources));
  };
  for (const entry of Object.values(policies)) {
    fresh = false;
    entry.diagnostics = located(entry.diagnostics);
    const s = entry.settled;
    if (!s) continue;
    s.loaded = located(s.loaded);
    s.adopted = located(s.adopted);
    s.linked = located(s.linked);
    // An entry taken from the cache as it was has its lines already.
    if (!fresh && s.lines !== undefined) continue;
    const lines = new Set<number>();
    for (const list of [s.loaded, s.adopted, s.linked, entry.diagnostics] as LocatedDiagnostic[][]) {
      for (const d of list) if (d.file === s.shown && d.start) for (const l of frameLines(d.start.line)) lines.add(l);
    }
    if (lines.size && sources.has(s.shown)) s.lines = keptLines(sources, s.shown, lines);
    else delete s.lines;
  }
}

/**
 * The source lines the code frames of these diagnostics show, per file, with
 * every other line left empty so line numbers stay right: a no-change rebuild
 * prints the same frames without reading the files again.
 */
function codeFrameLines(diags: Diagnostics): Record<string, string> {
  const keep = new Map<string, Set<number>>();
  for (const d of diags.items) {
    const at = locate(d, diags.sources);
    if (!at.file || !at.start) continue;
    let lines = keep.get(at.file);
    if (!lines) keep.set(at.file, (lines = new Set()));
    for (const l of frameLines(at.start.line)) lines.add(l);
  }
  const out: Record<string, string> = {};
  for (const [file, lines] of [...keep].sort(([a], [b]) => (a < b ? -1 : 1))) out[file] = keptLines(diags.sources, file, lines);
  return out;
}

/** The lines (0-based) a code frame shows for a position on this line (1-based): the line before it, and it. */
function frameLines(line: number): [number, number] {
  return [line - 2, line - 1];
}
