// The commands behind the command line. cli.ts loads this module only when a
// command runs, so --help and --version stay fast; everything heavy (YAML,
// Handlebars, zod, markdown-it) is reached from here.
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmdirSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { comparePlans } from '../redline/compare.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { checkoutRevision, GitError, type Checkout } from '../read/git.js';
import { EXIT_CONTENT, EXIT_OK, EXIT_USAGE, type BuildOptions, type CommonOptions, type DiffOptions, type Io } from './io.js';
import { displayPath, fingerprintInputs, projectFolder, realPathOf } from '../read/files.js';
import { exitFor, print } from './print.js';
import { fingerprintSalt, lockPath, readCacheText } from '../incremental/no-change.js';
import { assembleLock, lockEntries, lockEntryBytes, lockEntryOf, lockMatches, LOCK_VERSION, outdatedPolicy, parseLock, serializeLock, type LockedPolicy, type LockFile } from '../lock/lock.js';
import type { Edition, Format, Library, Policy } from '../model/model.js';
import { DEFAULT_LIBRARY, DEFAULT_TEMPLATES, loadConfig, loadLibraries, manualPolicies, PACKAGE_ROOT, planBuild, planBuildParallel, type BuildPlan } from '../build/pipeline.js';
import type { LoadMemo } from '../build/shard.js';
import { initConfig } from '../assemble/choice-points.js';
import type { RedlineMeta } from '../redline/render.js';
import { explainReport, listReport, refsReport } from './reports.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { abandon, carryOver, editedPages, publish, publishedVersion, startPublication, type Publication } from '../write/publish.js';
import { createExclusive, entryKind, removeLeftovers, writeStaged } from '../write/staging.js';
import { compareOutputs, fsReason, outputsIntact, outputHash, outputStamp, readOwnedText, removeTemporaryFiles, writeOutputs, writeOwnedFile } from '../write/write.js';
import { keepLines, locate, locateAll } from '../diagnostics/reporters.js';
import { CACHE_NAME, LAST_BUILD_NAME, parseCache, serializeCache, serializeLastBuild, type CachedBuild } from '../incremental/cache.js';
import { toolBuild } from '../build/version.js';



function parseFormats(list: string | undefined, diags: Diagnostics): Format[] | undefined {
  if (list === undefined) return undefined;
  const formats = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = formats.filter((f) => f !== 'md' && f !== 'html' && f !== 'json');
  if (bad.length || formats.length === 0) {
    diags.error('usage', `Unknown format ${bad.map((b) => `"${b}"`).join(', ') || '(none)'}`, { expected: 'a comma-separated list of md, html and json' });
    return undefined;
  }
  return [...new Set(formats)] as Format[];
}


export function runDiff(config: string, other: string | undefined, opts: DiffOptions, io: Io, color: boolean): number {
  const diags = new Diagnostics();
  const checkouts: Checkout[] = [];
  try {
    const modes = [other !== undefined, opts.from !== undefined, opts.against !== undefined].filter(Boolean).length;
    if (modes !== 1 || (opts.to !== undefined && opts.from === undefined)) {
      io.stderr.write('sro-policy diff: give a second config, or --from <rev> [--to <rev>], or --against sample (exactly one).\n');
      return EXIT_USAGE;
    }
    const formats = (parseFormats(opts.format, diags) ?? []).filter((f) => f !== 'json');
    if (diags.hasErrors()) {
      print(diags, opts.reporter, io, color);
      return exitFor(diags);
    }
    const side = (path: string, edition: Edition, cwd = io.cwd) => planBuild({ config: path, cwd, edition }, diags);
    let oldPlan: BuildPlan | undefined;
    let newPlan: BuildPlan | undefined;
    let meta: RedlineMeta;
    if (other !== undefined) {
      oldPlan = side(config, 'district');
      newPlan = side(other, 'district');
      meta = { from: config, to: other };
    } else if (opts.against) {
      oldPlan = side(config, 'sample');
      newPlan = side(config, 'district');
      meta = { from: 'the sample edition', to: `the district edition (${config})` };
    } else {
      // git runs in the config's repository, wherever the command is run from.
      const repo = dirname(resolve(io.cwd, config));
      const from = checkoutRevision(repo, opts.from!, io.cwd);
      checkouts.push(from);
      // Paths are shown relative to the working folder, or to the config's folder when that is outside the repository.
      const cwdIn = (c: Checkout) => (c.map(io.cwd).startsWith(`${c.root}${sep}`) || c.map(io.cwd) === c.root ? c.map(io.cwd) : dirname(c.map(config)));
      oldPlan = side(from.map(config), 'district', cwdIn(from));
      if (opts.to !== undefined) {
        const to = checkoutRevision(repo, opts.to, io.cwd);
        checkouts.push(to);
        newPlan = side(to.map(config), 'district', cwdIn(to));
      } else newPlan = side(config, 'district');
      meta = { from: `${config} at ${opts.from}`, to: opts.to !== undefined ? `${config} at ${opts.to}` : `${config} in the working tree` };
    }
    if (opts.strict) for (const d of diags.items) d.severity = 'error';
    if (!oldPlan || !newPlan || diags.hasErrors()) {
      print(diags, opts.reporter, io, color);
      return exitFor(diags);
    }
    const comparison = comparePlans(oldPlan, newPlan, formats, meta);
    const outDir = resolve(io.cwd, opts.out);
    const shownOut = relative(io.cwd, outDir) || '.';
    if (comparison.redlines.length === 0) {
      print(diags, opts.reporter, io, color);
      if (opts.reporter === 'text') io.stdout.write('No changes.\n');
      return EXIT_OK;
    }
    const results = writeOutputs(outDir, shownOut, comparison.files, { clean: true }, diags);
    print(diags, opts.reporter, io, color);
    if (!results) return exitFor(diags);
    if (opts.reporter === 'text') {
      for (const r of comparison.redlines) {
        io.stdout.write(`${r.number} ${r.title}: ${r.inserted} words inserted, ${r.deleted} deleted${r.moved ? `, ${r.moved} moved` : ''}\n`);
      }
      io.stdout.write(`redlines in ${shownOut}/ (${comparison.files.map((f) => f.name).filter((n) => n.startsWith('redline.')).join(', ')})\n`);
    }
    return opts.exitCode ? EXIT_CONTENT : EXIT_OK;
  } catch (e) {
    if (e instanceof GitError) {
      io.stderr.write(`sro-policy diff: ${e.message}\n`);
      return EXIT_USAGE;
    }
    return reportBug(e, io, opts.debug ?? false);
  } finally {
    for (const c of checkouts) c.dispose();
  }
}

export type BuildMode = 'write' | 'check' | 'compare';

/**
 * SRO_POLICY_WORKERS sets how many worker threads a large build adds (0: none).
 * More than the machine has cores only costs memory (1,000 ran a 3,000-policy
 * build out of memory): capped, with a note. Anything but a whole number is a
 * usage error.
 */
function workersFrom(io: Io, diags: Diagnostics): { workers?: number } {
  const raw = io.env?.SRO_POLICY_WORKERS?.trim();
  if (raw === undefined || raw === '') return {};
  if (!/^\d+$/.test(raw)) {
    diags.error('usage', `SRO_POLICY_WORKERS is "${raw}", not a number of worker threads`, {
      expected: 'a whole number: 0 for none, at most the number of cores',
      hint: 'Unset SRO_POLICY_WORKERS to let sro-policy choose.',
    });
    return {};
  }
  const cores = availableParallelism();
  const n = Number(raw);
  if (n > cores) {
    io.stderr.write(`sro-policy: SRO_POLICY_WORKERS=${raw} is more than this machine's ${cores} cores; using ${cores} worker ${cores === 1 ? 'thread' : 'threads'}.\n`);
    return { workers: cores };
  }
  return { workers: n };
}

/** memo: clause files loaded by this process's earlier builds (build --watch), kept for the next. */
export async function runBuild(config: string, opts: BuildOptions, io: Io, color: boolean, mode: BuildMode, memo?: LoadMemo): Promise<number> {
  const write = mode === 'write';
  const diags = new Diagnostics();
  let plan: BuildPlan | undefined;
  /** What makeFolder created for the pages (undefined: the folder was there), or false when it could not. */
  let made: string | undefined | false;
  /** The output folder pages were written aside in, once the build started doing so. */
  let stagedIn: string | undefined;
  /** An atomic build's new version (see publish.ts), once made; false when it could not be. */
  let publication: Publication | undefined | false;
  let written = false;
  try {
    return await build();
  } catch (e) {
    return reportBug(e, io, opts.debug ?? false);
  } finally {
    // A build that stopped leaves no page written aside, and no folder it made for them.
    if (publication && !written) abandon(publication);
    else if (stagedIn !== undefined && !written) {
      removeTemporaryFiles(stagedIn);
      if (made) removeEmptyFolders(stagedIn, made);
    }
  }

  async function build(): Promise<number> {
    const formats = parseFormats(opts.format, diags);
    const workers = workersFrom(io, diags);
    // The lock file's bytes, read at most once: settling policies and keeping the lock in step both need them.
    let lockBytes: Uint8Array | undefined | null = null;
    const readLock = () => (lockBytes === null ? (lockBytes = readLockBytes(lockPath(resolve(io.cwd, config)))) : lockBytes);
    // check reads the cache too (it writes none): what the last build parsed and
    // rendered from the same inputs reports the same, so only changed files are parsed.
    const incremental =
      (write && !opts.updateLock) || mode === 'check'
        ? {
            version: toolBuild(),
            read: (dir: string) => parseCache(readCacheText(dir, CACHE_NAME), toolBuild()),
            intact: outputsIntact,
            readLock,
          }
        : undefined;
    // Pages are written aside as they are rendered; the output folder they go to is made first.
    const stage = write
      ? {
          force: opts.force ?? false,
          prepare: (outDir: string): string | false => {
            // Refused (and reported) below: not a page is written there.
            if (refusedOutputFolder(outDir)) return false;
            // An atomic build writes a new version; so does any build of a folder published atomically before.
            if (opts.atomic || publishedVersion(outDir)) {
              publication = startPublication(outDir, relative(io.cwd, outDir) || '.', opts.force ?? false, diags) ?? false;
              return publication ? publication.next : false;
            }
            made = makeFolder(outDir);
            if (made !== false) stagedIn = outDir;
            return made === false ? false : outDir;
          },
        }
      : undefined;
    plan = diags.hasErrors()
      ? undefined
      : await planBuildParallel(
          {
            config,
            cwd: io.cwd,
            out: opts.out,
            formats,
            edition: opts.edition,
            draft: opts.draft ?? false,
            keepDocuments: false,
            ...(incremental ? { incremental } : {}),
            ...(stage ? { stage } : {}),
            // check validates the whole library; a build, only the clause files its manual may use.
            ...(mode === 'check' ? { dropPages: true, wholeLibrary: true } : {}),
            ...(memo ? { memo } : {}),
            ...workers,
          },
          diags,
        );
    if (plan) checkOutputFolder(plan, opts.out === undefined, plan.locate ? diags.located(plan.locate) : diags);
    // The lock is checked before anything is written, so a refused lock leaves every file as it was.
    const lock = write && plan && !diags.hasErrors() ? planLock(config, plan, opts.updateLock ?? false, readLock, io, diags) : undefined;
    if (opts.strict) {
      for (const d of diags.items) d.severity = 'error';
    }
    if (!plan || diags.hasErrors()) {
      print(diags, opts.reporter, io, color);
      if (write && plan) io.stderr.write('Nothing was written.\n');
      return exitFor(diags);
    }
    const shownOut = relative(io.cwd, plan.outDir) || '.';
    if (mode === 'check') {
      print(diags, opts.reporter, io, color);
      if (opts.reporter === 'text') {
        io.stdout.write(`${plan.policies.length} ${plan.policies.length === 1 ? 'policy' : 'policies'} checked: no errors\n`);
      }
      return EXIT_OK;
    }
    if (mode === 'compare') {
      print(diags, opts.reporter, io, color);
      const diffs = compareOutputs(plan.outDir, plan.files);
      for (const d of diffs) io.stdout.write(`${d.reason === 'differs' ? 'out of date' : d.reason}: ${join(shownOut, d.name)}\n`);
      if (diffs.length) {
        io.stderr.write(`${shownOut} is not up to date with ${config}: run "sro-policy build ${config}"${diffs.some((d) => d.reason === 'no longer built') ? ' --clean' : ''}.\n`);
        return EXIT_CONTENT;
      }
      io.stdout.write(`${shownOut} is up to date (${plan.files.length} files).\n`);
      return EXIT_OK;
    }
    const pub = publication || undefined;
    const results = pub ? writeVersion(pub, plan, shownOut, opts.force ?? false, diags) : writeOutputs(plan.outDir, shownOut, plan.files, { force: opts.force ?? false, clean: opts.clean ?? false }, diags);
    if (!results) {
      print(diags, opts.reporter, io, color);
      io.stderr.write('Nothing was written.\n');
      return exitFor(diags);
    }
    // Pages in place: a build that stops from here on leaves them (an atomic build's, unpublished, go).
    written = !pub;
    /** Where the pages are now: the new version of an atomic build, published below. */
    const pagesDir = pub?.next ?? plan.outDir;
    // Staging files a stopped build left beside the config (the lock file's) go too.
    removeLeftovers(dirname(lockPath(resolve(io.cwd, config))));
    // An unchanged lock file was read a moment ago: no need to read it again to find that out.
    // (Before the build record, which notes the lock file as an input.)
    const lockStatus = !lock ? undefined : lock.unchanged ? 'unchanged' : writeOwnedFile(lock.path, lock.shown, lock.text, diags);
    // The cache only saves work: failing to write it loses nothing, so it is not an error.
    if (plan.cache) {
      const inputs = buildInputs(config, plan, io);
      const filesByName = new Map(plan.files.map((f) => [f.name, f]));
      const { fingerprint, stamps } = fingerprintInputs(fingerprintSalt(config, opts, io), inputs.folders, inputs.files, plan.inputs, true);
      const build: CachedBuild = {
        fingerprint,
        inputs: stamps,
        ...inputs,
        outputs: results
          .filter((r) => r.status !== 'removed')
          .map((r) => {
            // Taken after the rename, which sets the page's change time.
            const stamp = outputStamp(r.path);
            return { name: r.name, hash: outputHash(filesByName.get(r.name)!), ...(stamp ? { stamp } : {}) };
          }),
        edition: plan.edition,
        diagnostics: diags.items.map((d) => locateAll(d, diags.sources)),
        sources: codeFrameLines(diags),
      };
      // Each page's stamp as written: the next build trusts a page that still has it (stamp.ts), and hashes the rest.
      const written = new Map(build.outputs.map((o) => [o.name, o]));
      for (const entry of Object.values(plan.cache.policies)) {
        for (const f of entry.files) {
          const o = written.get(f.name);
          if (o?.stamp && o.hash === f.hash) f.stamp = o.stamp;
          else delete f.stamp;
        }
      }
      writeOwnedFile(join(pagesDir, CACHE_NAME), join(shownOut, CACHE_NAME), serializeCache(plan.cache), new Diagnostics());
      writeOwnedFile(join(pagesDir, LAST_BUILD_NAME), join(shownOut, LAST_BUILD_NAME), serializeLastBuild(build, toolBuild()), new Diagnostics());
    }
    // The new version is complete: publish it with one rename.
    if (pub && !publish(pub, diags)) {
      print(diags, opts.reporter, io, color);
      io.stderr.write('Nothing was published.\n');
      return exitFor(diags);
    }
    written = true;
    print(diags, opts.reporter, io, color);
    if (opts.reporter === 'text') {
      // One write: a manual lists thousands of files, and each write to a terminal or file is a system call.
      const { edition } = plan;
      io.stdout.write(
        results.map((r) => `${r.status === 'written' ? 'wrote    ' : r.status === 'unchanged' ? 'unchanged' : 'removed  '} ${join(shownOut, r.name)} (${edition} edition)\n`).join(''),
      );
      if (lockStatus === 'written') io.stdout.write(`wrote     ${displayPath(lockPath(resolve(io.cwd, config)), io.cwd)}\n`);
    }
    return lockStatus === undefined ? exitFor(diags) : EXIT_OK;
  }
}

/**
 * An atomic build's write: pages rendered anew are checked against what is
 * published now (a page edited by hand is not dropped unnoticed), pages the
 * cache vouched for are carried over from the published version, and all of
 * them are put in place in the new version.
 */
function writeVersion(pub: Publication, plan: BuildPlan, shownOut: string, force: boolean, diags: Diagnostics) {
  if (!force && pub.current) {
    const edited = editedPages(pub.current, plan.files.filter((f) => f.cachedHash === undefined).map((f) => f.name));
    for (const name of edited) {
      diags.error('edited-output', `${join(shownOut, name)} was edited by hand since sro-policy wrote it`, {
        hint: 'Record the change as a deviation in the district config, then pass --force to replace the file.',
      });
    }
    if (edited.length) return undefined;
  }
  try {
    carryOver(pub, plan.files.filter((f) => f.cachedHash !== undefined).map((f) => f.name));
  } catch (e) {
    diags.error('output-unwritable', `Cannot carry the unchanged pages of ${shownOut} over to its new version: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'Nothing was published. Build again; if it fails again, pass --force.',
    });
    return undefined;
  }
  return writeOutputs(pub.next, shownOut, plan.files, { force }, diags);
}

/** Why a folder may not be an output folder: the root of the file system, or the home folder or one above it. */
function refusedOutputFolder(outDir: string): string | undefined {
  const real = realPathOf(outDir);
  if (dirname(real) === real) return 'the root of the file system';
  const home = realPathOf(homedir());
  if (real === home) return 'the home folder';
  if (home.startsWith(`${real}${sep}`)) return 'a folder that holds the home folder';
  return undefined;
}

/**
 * The output folder is the manual's: never the root or a home folder, and,
 * when the config names it, inside the config's project (its git repository,
 * or its folder). Out there, a typo such as "../.." builds into, and with
 * --clean removes from, somebody else's files.
 */
function checkOutputFolder(plan: BuildPlan, fromConfig: boolean, diags: Diagnostics): void {
  const file = plan.config.file;
  const at = fromConfig ? { file: file.path, at: { pointer: '/output/folder' } } : {};
  const refused = refusedOutputFolder(plan.outDir);
  if (refused) {
    diags.error('output-folder-refused', `The output folder ${plan.outDir} is ${refused}`, {
      ...at,
      hint: 'Give the manual a folder of its own, such as "out" beside the config ("output.folder" or --out).',
    });
    return;
  }
  if (!fromConfig) return;
  const project = projectFolder(file.absPath);
  const real = realPathOf(plan.outDir);
  if (real !== project && !real.startsWith(`${project}${sep}`)) {
    diags.warn('output-outside-project', `The output folder ${plan.outDir} is outside the project of ${file.path} (${project})`, {
      ...at,
      hint: 'Keep the manual in a folder of the project, such as "out"; to build elsewhere on purpose, pass --out on the command line.',
    });
  }
}

/** Make the output folder (and missing parents); the first folder made, undefined when it was there, false when it cannot be made. */
function makeFolder(dir: string): string | undefined | false {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch {
    return false;
  }
}

/** Remove `dir` and its parents up to `top`, as long as they are empty. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

/** Every file and folder a build of this config reads. */
function buildInputs(config: string, plan: BuildPlan, io: Io): { folders: string[]; files: string[] } {
  const abs = resolve(io.cwd, config);
  return {
    folders: [...plan.libraryFolders, ...(plan.config.templates ? [plan.config.templates] : []), DEFAULT_TEMPLATES],
    files: [abs, lockPath(abs)],
  };
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
    lines.add(at.start.line - 2).add(at.start.line - 1);
  }
  const out: Record<string, string> = {};
  for (const [file, lines] of [...keep].sort(([a], [b]) => (a < b ? -1 : 1))) out[file] = keepLines(diags.sources, file, lines);
  return out;
}

/**
 * Keep the lock file in step with the manual: policies added to the manual and
 * deviations added to the config are recorded; what the library says about a
 * policy already locked changes only with --update-lock (after "outdated").
 */
function planLock(
  config: string,
  plan: BuildPlan,
  accept: boolean,
  readLock: () => Uint8Array | undefined,
  io: Io,
  diags: Diagnostics,
): { path: string; shown: string; text: string; unchanged: boolean } | undefined {
  const path = lockPath(resolve(io.cwd, config));
  const shown = displayPath(path, io.cwd);
  if (!lockIsFile(path, shown, diags)) return undefined;
  // The usual case, nothing changed in the library: the lock the manual would
  // write is the one on disk, and there is nothing to compare clause by clause.
  if (!accept && lockUnchanged(path, plan)) return { path, shown, text: '', unchanged: true };
  if (!accept) {
    const quick = planLockByEntries(readLock(), plan, shown, config, diags);
    if (quick) return { path, shown, ...quick };
  }
  const text = readOwnedText(path);
  const existing = text === undefined ? undefined : parseLock(text);
  if (text !== undefined && !existing && !accept) {
    diags.error('lock-unreadable', `${shown} is not a lock file this version of sro-policy can read`, {
      file: shown,
      hint: 'If it was written by hand or by another tool, move it away; "build --update-lock" writes a new one.',
    });
    return undefined;
  }
  const policies: LockFile['policies'] = {};
  const stale: string[] = [];
  for (const p of plan.policies) {
    const current = lockEntryOf(p.lock);
    const old = accept ? undefined : existing?.policies[p.number];
    policies[p.number] = old ? keptEntry(p.number, current, old, stale) : current;
  }
  reportStale(stale, shown, config, diags);
  const next = serializeLock({ generator: 'sro-policy', version: LOCK_VERSION, policies });
  return { path, shown, text: next, unchanged: next === text };
}

/**
 * What the lock keeps of a policy already locked: the library's text as the
 * district accepted it (noted as stale when the library changed since), with
 * the deviations as the config records them now.
 */
function keptEntry(number: string, current: LockedPolicy, old: LockedPolicy, stale: string[]): LockedPolicy {
  const deviations = current.deviations.map((d) => old.deviations.find((x) => x.number === d.number && x.target === d.target && x.action === d.action) ?? d);
  const { deviations: _a, ...now } = current;
  const { deviations: _b, ...then } = old;
  if (JSON.stringify(now) !== JSON.stringify(then)) stale.push(number);
  return { ...old, deviations };
}

function reportStale(stale: readonly string[], shown: string, config: string, diags: Diagnostics): void {
  if (!stale.length) return;
  diags.warn('lock-outdated', `The library changed since ${shown} was written: ${stale.join(', ')}`, {
    file: shown,
    hint: `Run "sro-policy outdated ${config}" to review the changes, then "sro-policy build ${config} --update-lock" to accept them.`,
  });
}

const LOCK_HEAD = Buffer.from(`{\n  "generator": "sro-policy",\n  "version": ${LOCK_VERSION},\n  "policies": {\n`);

/**
 * planLock for a lock file laid out as sro-policy writes it, entry by entry:
 * an entry the same as the policy's now is kept as it is, and only those that
 * differ are parsed (a 10,000-policy lock is 50 MB of JSON). Undefined for any
 * other file, which the general way reads (and refuses, when it is no lock).
 */
function planLockByEntries(bytes: Uint8Array | undefined, plan: BuildPlan, shown: string, config: string, diags: Diagnostics): { text: string; unchanged: boolean } | undefined {
  if (!bytes || bytes.length < LOCK_HEAD.length || Buffer.compare(bytes.subarray(0, LOCK_HEAD.length), LOCK_HEAD) !== 0) return undefined;
  const locked = lockEntries(bytes);
  if (locked.size === 0) return undefined;
  const entries: [string, Uint8Array][] = [];
  const stale: string[] = [];
  try {
    for (const p of plan.policies) {
      const old = locked.get(p.number);
      if (!old || Buffer.compare(old, p.lock) === 0) entries.push([p.number, p.lock]);
      else entries.push([p.number, lockEntryBytes(keptEntry(p.number, lockEntryOf(p.lock), lockEntryOf(old), stale))]);
    }
  } catch {
    return undefined;
  }
  reportStale(stale, shown, config, diags);
  const next = assembleLock(entries);
  return { text: next.toString('utf8'), unchanged: next.equals(bytes) };
}

/**
 * The lock file's bytes for an incremental build to take unchanged policies'
 * entries from; undefined when it is missing, unreadable or larger than any
 * lock sro-policy writes (it only saves work, so nothing is reported).
 */
function readLockBytes(path: string): Uint8Array | undefined {
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

/**
 * Whether the lock file is a plain file or missing, as sro-policy writes it:
 * a link is never read or written through, and a folder is no lock file.
 */
function lockIsFile(path: string, shown: string, diags: Diagnostics): boolean {
  const kind = entryKind(path);
  if (kind === 'missing' || kind === 'file') return true;
  if (kind === 'symlink') {
    diags.error('output-symlink', `${shown} is a symbolic link; sro-policy does not read or write its lock file through links`, {
      file: shown,
      hint: 'Replace the link with the lock file itself (copy it in place of the link).',
    });
  } else {
    diags.error('lock-unreadable', `${shown} is ${kind === 'folder' ? 'a folder' : 'not a regular file'}, not a lock file`, {
      file: shown,
      hint: 'Move it away; "sro-policy build" then writes the lock file there.',
    });
  }
  return false;
}

/** About 5 kB a policy: room for 100,000 policies. */
const MAX_LOCK_BYTES = 512 * 1024 * 1024;

/** Whether the lock file holds what this plan's lock would be, read a piece at a time. */
function lockUnchanged(path: string, plan: BuildPlan): boolean {
  return withOpenFile(path, false, (fd) =>
    lockMatches(fstatSync(fd).size, (into, position) => readSync(fd, into, 0, into.length, position), plan.policies.map((p) => [p.number, p.lock])),
  );
}

export function runOutdated(config: string, opts: CommonOptions, io: Io, color: boolean): number {
  const diags = new Diagnostics();
  try {
    const plan = planBuild({ config, cwd: io.cwd }, diags);
    if (!plan) {
      print(diags, opts.reporter, io, color);
      return exitFor(diags);
    }
    // Only what changed in the library is reported here, plus any error that now stops
    // the build (a removed option the config still sets); the build's warnings are for "check".
    // Its findings point into the clause files and the config the plan still holds.
    const findings = new Diagnostics(plan.locate);
    for (const [file, text] of diags.sources) findings.addSource(file, text);
    const path = lockPath(resolve(io.cwd, config));
    if (!lockIsFile(path, displayPath(path, io.cwd), findings)) {
      print(findings, opts.reporter, io, color);
      return EXIT_USAGE;
    }
    const text = readOwnedText(path);
    const lock = text === undefined ? undefined : parseLock(text);
    if (!lock) {
      const shown = displayPath(path, io.cwd);
      findings.error(
        text === undefined ? 'lock-missing' : 'lock-unreadable',
        text === undefined ? `${shown} does not exist` : `${shown} is not a lock file this version of sro-policy can read`,
        { file: shown, hint: `Run "sro-policy build ${config}" first: it writes the lock file${text === undefined ? '' : ' (with --update-lock to replace this one)'}.` },
      );
      print(findings, opts.reporter, io, color);
      return EXIT_USAGE;
    }
    const settingsOf = new Map(plan.config.policies.map((s) => [s.number, s]));
    for (const p of plan.policies) {
      const locked = lock.policies[p.number];
      if (!locked) continue;
      const policy = p.sample!;
      const settings = settingsOf.get(p.number);
      outdatedPolicy({ policy, locked, current: lockEntryOf(p.lock), settings, config: plan.config, used: p.used }, findings);
    }
    for (const d of diags.items) if (d.severity === 'error') findings.add(d);
    print(findings, opts.reporter, io, color);
    if (findings.items.length === 0) {
      if (opts.reporter === 'text') io.stdout.write(`Nothing to review: the library matches ${displayPath(path, io.cwd)}.\n`);
      return EXIT_OK;
    }
    return EXIT_CONTENT;
  } catch (e) {
    return reportBug(e, io, opts.debug ?? false);
  }
}

/** Build, then rebuild on every change to the config, the libraries or the templates, until aborted. */
export async function watchBuild(config: string, opts: BuildOptions, io: Io, color: boolean): Promise<number> {
  // One build at a time: a change during a build queues the next one.
  let queue = Promise.resolve();
  // A rebuild parses again only the clause files that changed.
  const memo: LoadMemo = new Map();
  const build = () => {
    queue = queue.then(async () => void (await runBuild(config, opts, io, color, 'write', memo)));
  };
  build();
  await queue;
  const diags = new Diagnostics();
  const loaded = loadConfig(config, io.cwd, diags);
  const paths = new Set<string>([resolve(io.cwd, config), DEFAULT_TEMPLATES]);
  if (loaded) {
    for (const l of loaded.libraries) paths.add(l.folder);
    if (loaded.templates) paths.add(loaded.templates);
  } else {
    paths.add(DEFAULT_LIBRARY);
  }
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    // Editors save in several steps; wait for them to settle before rebuilding.
    timer = setTimeout(() => {
      io.stdout.write(`change detected, rebuilding ${config}\n`);
      build();
    }, 150);
  };
  for (const p of [...paths].sort()) {
    if (!existsSync(p)) continue;
    try {
      watchers.push(watch(p, { recursive: true }, changed));
    } catch {
      watchers.push(watch(p, changed));
    }
  }
  io.stdout.write(`watching ${[...paths].filter(existsSync).map((p) => displayPath(p, io.cwd)).join(', ')} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    if (io.signal?.aborted) return done();
    io.signal?.addEventListener('abort', () => done(), { once: true });
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  await queue;
  return EXIT_OK;
}

export function runInit(opts: { out: string; library: string[]; force?: boolean; debug?: boolean }, io: Io, color: boolean): number {
  const diags = new Diagnostics();
  try {
    const toStdout = opts.out === '-';
    const target = resolve(io.cwd, toStdout ? 'district.yaml' : opts.out);
    const base = dirname(target);
    const folders = opts.library.map((l) => (l === 'sro-policy' ? DEFAULT_LIBRARY : resolve(io.cwd, l)));
    const libraries = opts.library.map((l) => (l === 'sro-policy' ? l : relative(base, resolve(io.cwd, l)) || '.'));
    const library = loadLibraries(
      { libraries: folders.map((folder, i) => ({ folder, includeAll: false, pointer: `/libraries/${i}` })), replaces: new Map() },
      io.cwd,
      diags,
    );
    if (diags.hasErrors()) {
      print(diags, 'text', io, color);
      return exitFor(diags);
    }
    const schema = relative(base, join(PACKAGE_ROOT, 'schema', 'district.schema.json'));
    const text = initConfig(library, { libraries, schemaPath: schema.startsWith('.') ? schema : `./${schema}` });
    if (toStdout) {
      io.stdout.write(text);
      return EXIT_OK;
    }
    const exists = () => {
      io.stderr.write(`${displayPath(target, io.cwd)} already exists; choose another name with --out, or pass --force to replace it.\n`);
      return EXIT_USAGE;
    };
    if (!opts.force) {
      // Created exclusively: an existing file (or a link planted in its place) is never written through.
      try {
        createExclusive(target, Buffer.from(text));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' || (e as NodeJS.ErrnoException).code === 'ELOOP') return exists();
        throw e;
      }
    } else {
      // Replaced by a rename: a link at the name is replaced, not written through.
      const { tmp } = writeStaged(target, text);
      try {
        renameSync(tmp, target);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    }
    io.stdout.write(`wrote ${displayPath(target, io.cwd)} (${library.policies.size} ${library.policies.size === 1 ? 'policy' : 'policies'}); fill it in, then run "sro-policy build ${displayPath(target, io.cwd)}"\n`);
    return EXIT_OK;
  } catch (e) {
    return reportBug(e, io, opts.debug ?? false);
  }
}

/** Load the manual of a config (or the shipped library) and hand its policies to a report. */
function withPolicies(
  config: string | undefined,
  io: Io,
  color: boolean,
  debug: boolean,
  report: (policies: Policy[], library: Library) => number,
  wholeLibrary = false,
): number {
  const diags = new Diagnostics();
  try {
    let policies: Policy[];
    let library: Library;
    if (config === undefined) {
      library = loadLibraries({ libraries: [{ folder: DEFAULT_LIBRARY, includeAll: true, pointer: '' }], replaces: new Map() }, io.cwd, diags);
      policies = [...library.policies.values()];
    } else {
      const loaded = loadConfig(config, io.cwd, diags);
      if (!loaded) {
        print(diags, 'text', io, color);
        return exitFor(diags);
      }
      library = loadLibraries(loaded, io.cwd, diags);
      policies = wholeLibrary ? [...library.policies.values()] : manualPolicies(loaded, library, diags).map((m) => m.policy);
    }
    if (diags.hasErrors()) {
      print(diags, 'text', io, color);
      return exitFor(diags);
    }
    return report(policies, library);
  } catch (e) {
    return reportBug(e, io, debug);
  }
}

export function reportBug(e: unknown, io: Io, debug: boolean): number {
  const err = e instanceof Error ? e : new Error(String(e));
  // A file-system failure no check foresaw is still about a file: name it, in words, and exit 2.
  const { code, path } = err as NodeJS.ErrnoException;
  if (code && typeof path === 'string') {
    io.stderr.write(`sro-policy: ${displayPath(path, io.cwd)} cannot be used: ${fsReason(err)}\n`);
    if (debug) io.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
  io.stderr.write(`sro-policy: internal error: ${err.message}\n`);
  if (debug) io.stderr.write(`${err.stack ?? ''}\n`);
  else io.stderr.write('This is a bug in sro-policy, not in your files. Run again with --debug and report the output.\n');
  return EXIT_USAGE;
}

export function runList(config: string | undefined, io: Io, color: boolean, debug: boolean): number {
  return withPolicies(config, io, color, debug, (policies) => {
    io.stdout.write(listReport(policies));
    return EXIT_OK;
  });
}

export function runExplain(number: string, config: string | undefined, io: Io, color: boolean, debug: boolean): number {
  return withPolicies(
    config,
    io,
    color,
    debug,
    (_policies, library) => {
      const policy = library.policies.get(number);
      if (!policy) {
        const guess = didYouMean(number, library.policies.keys());
        io.stderr.write(`No policy ${number} in the library.${guess ? ` Did you mean ${guess}?` : ''}\n`);
        return EXIT_CONTENT;
      }
      io.stdout.write(explainReport(policy, policy.file.path));
      return EXIT_OK;
    },
    true,
  );
}

export function runRefs(config: string, reference: string | undefined, io: Io, color: boolean, debug: boolean): number {
  return withPolicies(config, io, color, debug, (policies, library) => {
    io.stdout.write(refsReport(policies, reference, library));
    return EXIT_OK;
  });
}
