// build and check as a library: options in, a result out (diagnostics as
// values, pages as data when asked not to write). Nothing here prints or
// reads the process's environment; the command line is an adapter over it.
import { dirname, join, relative, resolve } from 'node:path';
import { planBuildParallel, type BuildPlan } from '../build/pipeline.js';
import type { LoadMemo } from '../build/shard.js';
import { toolBuild } from '../read/version.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { applyStrict } from '../diagnostics/exit.js';
import { parseCache } from '../incremental/cache.js';
import { cacheFolder, OLD_CACHE_FILES, type CacheFolder } from '../incremental/cache-dir.js';
import { checkUnchanged } from '../incremental/no-change.js';
import type { InputStamp } from '../model/source.js';
import { lockPath, recordBuild } from '../incremental/record.js';
import { planLock } from '../lock/plan.js';
import { readLockBytes } from '../read/lock-file.js';
import type { Edition, Format } from '../model/model.js';
import { checkOutputFolder, makeFolder, refusedOutputFolder, removeEmptyFolders, removeOwnFiles, writeVersion } from '../write/output-folder.js';
import { abandon, publish, publishedVersion, startPublication, type Publication } from '../write/publish.js';
import { removeLeftovers } from '../write/staging.js';
import { removeTemporaryFiles, writeOutputs, type WriteResult } from '../write/write.js';
import { compareOutputs, outputsIntact, type OutputDifference } from '../write/verify.js';
import { readOwnedBytes, writeOwnedFile } from '../write/owned-file.js';
import { unpack } from '../incremental/pack.js';
import { finish, type Report } from './report.js';

export interface CheckOptions {
  /** The district config: absolute, or relative to `cwd`. */
  config: string;
  /** The folder relative paths are resolved from, and shown relative to in diagnostics (default: the working directory). */
  cwd?: string;
  formats?: Format[];
  edition?: Edition;
  draft?: boolean;
  strict?: boolean;
  /** The build cache's folder (default: see docs/api.md), or false for none. */
  cacheDir?: string | false;
  /** Worker threads to add for a large manual (default: as many as the cores repay). */
  workers?: number;
}

export interface BuildOptions extends CheckOptions {
  /** The output folder (default: output.folder of the config, relative to it). */
  out?: string;
  force?: boolean;
  clean?: boolean;
  /** Publish the output folder atomically (see README, "Writing safely"). */
  atomic?: boolean;
  updateLock?: boolean;
  /**
   * write (default): write the manual and the lock file. pages: write nothing,
   * and give the pages as data. compare: write nothing, and say which files of
   * the output folder are not up to date (build --check).
   */
  mode?: 'write' | 'pages' | 'compare';
  /** Clause files loaded by this process's earlier builds (build --watch), kept for the next. */
  memo?: LoadMemo;
}

export interface BuildResult extends Report {
  /** The absolute output folder. */
  outDir: string;
  edition: Edition;
  /** Files written, left unchanged or removed (mode write). */
  files: WriteResult[];
  /** Each page (mode pages). */
  pages?: { name: string; content: string | Uint8Array }[];
  /** Files of the output folder that are not up to date (mode compare), and how many files the manual has. */
  differences?: OutputDifference[];
  compared?: number;
  /** The lock file, when this build wrote or checked it. */
  lock?: { path: string; status: 'written' | 'unchanged' };
  /** Nothing had changed since the last build: its result stands. */
  unchanged?: boolean;
  /** Policies in the manual. */
  policies: number;
}

export interface CheckResult extends Report {
  policies: number;
}

/** Validate the library, the config and the templates; write nothing. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const r = await run({ ...options, mode: 'check' });
  return { exitCode: r.exitCode, diagnostics: r.diagnostics, sources: r.sources, notes: r.notes, policies: r.policies };
}

/** Build the manual: write it (the default), give its pages as data, or compare it with the output folder. */
export function build(options: BuildOptions): Promise<BuildResult> {
  return run(options);
}


type Mode = 'write' | 'pages' | 'compare' | 'check';

async function run(options: Omit<BuildOptions, 'mode'> & { mode?: Mode }): Promise<BuildResult> {
  const mode: Mode = options.mode ?? 'write';
  const cwd = resolve(options.cwd ?? '.');
  const configAbs = resolve(cwd, options.config);
  const write = mode === 'write';
  const notes: string[] = [];
  // A rebuild with nothing changed is answered from the last build's record.
  let known: ReadonlyMap<string, InputStamp> | undefined;
  if (write && !options.force && !options.clean && !options.updateLock && !options.memo) {
    const check = checkUnchanged({ ...options, cwd, ...(options.formats ? { formats: options.formats } : {}) });
    const same = check.unchanged;
    known = check.unchanged ? undefined : check.inputs;
    if (same) {
      const diags = new Diagnostics();
      diags.addAll(same.diagnostics);
      for (const [file, text] of same.sources) diags.addSource(file, text);
      applyStrict(diags.items, options.strict);
      const failed = diags.hasErrors();
      if (failed) notes.push('Nothing was written.');
      return {
        ...finish(diags, notes),
        outDir: same.outDir,
        edition: same.edition as Edition,
        files: failed ? [] : same.outputs.map((o) => ({ name: o.name, path: join(same.outDir, o.name), status: 'unchanged' as const, bytes: -1 })),
        unchanged: true,
        policies: -1,
      };
    }
  }
  const diags = new Diagnostics();
  /** What makeFolder created for the pages (undefined: the folder was there), or false when it could not. */
  let made: string | undefined | false;
  /** The output folder pages were written aside in, once the build started doing so. */
  let stagedIn: string | undefined;
  /** An atomic build's new version (see publish.ts), once made; false when it could not be. */
  let publication: Publication | undefined | false;
  let written = false;
  let cache: CacheFolder | undefined;
  try {
    // The lock file's bytes, read at most once: settling policies and keeping the lock in step both need them.
    let lockBytes: Uint8Array | undefined | null = null;
    const readLock = () => (lockBytes === null ? (lockBytes = readLockBytes(lockPath(configAbs))) : lockBytes);
    // check and build --check read the cache too (they write none): what the last build parsed and
    // rendered from the same inputs reports the same, so only changed files are parsed, and a
    // page the cache vouches for is compared with the output folder by its hash.
    const incremental =
      options.cacheDir !== false && ((write && !options.updateLock) || mode === 'check' || mode === 'compare')
        ? {
            version: toolBuild(),
            read: (outDir: string) => {
              const folder = cacheFolder(configAbs, outDir, options.cacheDir, cwd)!;
              return parseCache(unpack(readOwnedBytes(folder.cache)), toolBuild(), folder.base);
            },
            intact: outputsIntact,
            readLock,
            ...(known ? { known } : {}),
          }
        : undefined;
    // Pages are written aside as they are rendered; the output folder they go to is made first.
    const stage = write
      ? {
          force: options.force ?? false,
          prepare: (outDir: string): string | false => {
            // Refused (and reported) below: not a page is written there.
            if (refusedOutputFolder(outDir)) return false;
            // An atomic build writes a new version; so does any build of a folder published atomically before.
            if (options.atomic || publishedVersion(outDir)) {
              publication = startPublication(outDir, relative(cwd, outDir) || '.', options.force ?? false, diags) ?? false;
              return publication ? publication.next : false;
            }
            made = makeFolder(outDir);
            if (made !== false) stagedIn = outDir;
            return made === false ? false : outDir;
          },
        }
      : undefined;
    const plan = await planBuildParallel(
      {
        config: options.config,
        cwd,
        out: options.out,
        formats: options.formats,
        edition: options.edition,
        draft: options.draft ?? false,
        keepDocuments: false,
        ...(incremental ? { incremental } : {}),
        ...(stage ? { stage } : {}),
        // check validates the whole library; a build, only the clause files its manual may use.
        ...(mode === 'check' ? { dropPages: true, wholeLibrary: true } : {}),
        ...(options.memo ? { memo: options.memo } : {}),
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
      },
      diags,
    );
    const outDir = plan?.outDir ?? resolve(cwd, options.out ?? 'out');
    const result = (extra: Partial<BuildResult> = {}): BuildResult => ({
      ...finish(diags, notes),
      outDir,
      edition: plan?.edition ?? options.edition ?? 'district',
      files: [],
      policies: plan?.policies.length ?? 0,
      ...extra,
    });
    if (plan) checkOutputFolder(plan.outDir, options.out === undefined ? plan.config.file : undefined, plan.locate ? diags.located(plan.locate) : diags);
    // The lock is checked before anything is written, so a refused lock leaves every file as it was.
    const lock = write && plan && !diags.hasErrors() ? planLock(options.config, cwd, plan, options.updateLock ?? false, readLock, diags) : undefined;
    applyStrict(diags.items, options.strict);
    if (!plan || diags.hasErrors()) {
      if (write && plan) notes.push('Nothing was written.');
      return result();
    }
    const shownOut = relative(cwd, plan.outDir) || '.';
    cache = options.cacheDir === false ? undefined : cacheFolder(configAbs, plan.outDir, options.cacheDir, cwd);
    if (mode === 'check') return result();
    if (mode === 'pages') return result({ pages: plan.files.flatMap((f) => (f.kind === 'content' ? [{ name: f.name, content: f.content }] : [])) });
    if (mode === 'compare') return result({ differences: compareOutputs(plan.outDir, plan.files), compared: plan.files.length });

    const pub = publication || undefined;
    const results = pub
      ? writeVersion(pub, plan.files, shownOut, options.force ?? false, diags)
      : writeOutputs(plan.outDir, shownOut, plan.files, { force: options.force ?? false, clean: options.clean ?? false }, diags);
    if (!results) {
      notes.push('Nothing was written.');
      return result();
    }
    // Pages in place: a build that stops from here on leaves them (an atomic build's, unpublished, go).
    written = !pub;
    forgetOldCache(plan.outDir, cache, cwd, notes);
    // Staging files a stopped build left beside the config (the lock file's) go too.
    removeLeftovers(dirname(lockPath(configAbs)));
    // Before the build record, which notes the lock file as an input. An unchanged lock file was read a moment ago.
    const lockStatus = !lock ? undefined : lock.unchanged ? 'unchanged' : writeOwnedFile(lock.path, lock.shown, lock.text, diags);
    if (cache) recordBuild(cache, salt(options, configAbs, cwd, plan), plan, results, diags);
    // The new version is complete: publish it with one rename.
    if (pub && !publish(pub, diags)) {
      notes.push('Nothing was published.');
      return result();
    }
    written = true;
    return result({ files: results, ...(lockStatus ? { lock: { path: lock!.path, status: lockStatus } } : {}) });
  } finally {
    // A build that stopped leaves no page written aside, and no folder it made for them.
    if (publication && !written) abandon(publication);
    else if (stagedIn !== undefined && !written) {
      removeTemporaryFiles(stagedIn);
      if (made) removeEmptyFolders(stagedIn, made);
    }
  }
}

function salt(options: Omit<BuildOptions, 'mode'>, configAbs: string, cwd: string, plan: BuildPlan) {
  return {
    configAbs,
    cwd,
    ...(options.out !== undefined ? { out: options.out } : {}),
    outDir: plan.outDir,
    ...(options.formats ? { formats: options.formats } : {}),
    ...(options.edition ? { edition: options.edition } : {}),
    draft: options.draft ?? false,
  };
}

/**
 * Builds before 0.2 kept their cache in the output folder, which now holds
 * only the manual: their cache files (sro-policy's own) go, once, with a note.
 */
function forgetOldCache(outDir: string, cache: CacheFolder | undefined, cwd: string, notes: string[]): void {
  const found = removeOwnFiles(outDir, OLD_CACHE_FILES);
  if (!found.length) return;
  const shown = relative(cwd, outDir) || '.';
  notes.push(`Removed the build cache from ${shown} (${found.join(', ')}): the output folder holds only the manual now${cache ? `, and the cache lives in ${relative(cwd, cache.dir) || '.'}` : ''}.`);
}
