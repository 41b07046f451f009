// The build, stage by stage: load → parse → validate → assemble → render.
// Writing is left to the caller (the CLI), so `check` runs the same code and
// writes nothing. The work on each clause file is done by shards (shard.ts);
// what needs the whole manual (which policies are in it, duplicates, links,
// the index) is decided here, between their steps.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { DEFAULT_LIBRARY, DEFAULT_TEMPLATES, PRECOMPILED_TEMPLATES, WORKER_SCRIPT } from './package.js';
import { emptyCache, hashText, type BuildCache, type CachedPage, type LibraryFile } from '../incremental/cache.js';
import { Diagnostics, type Locate } from '../diagnostics/diagnostic.js';
import { displayPath, listPolicyFiles, loadPrecompiled, loadTemplates, loadText, type InputStamp, type SourceFile } from '../read/files.js';
import { sha256 } from '../model/hash.js';
import { lockEntries } from '../lock/lock.js';
import { manualJson } from '../render/json.js';
import type { DistrictConfig, Document, Edition, Format, Library, Policy, PolicySettings } from '../model/model.js';
import { comparePolicyNumbers, numberSlug } from '../model/number.js';
import { parseYaml, spanAt, type ParsedFile, type Range } from '../read/yaml.js';
import { INDEX_SHAPE, renderIndex, VIEW_SHAPE, type IndexEntry } from '../render/render.js';
import { pageName, Shard, type AdoptedPolicy, type LoadMemo, type LoadedFile, type LoadItem, type RenderedPolicy, type RenderItem, type SettledLoad, type ShardSettings, type Step, type StepReply } from './shard.js';
import { compileTemplates, TEMPLATE_KINDS, type FormatTemplates } from '../render/templates.js';
import { checkPolicyNumbers, checkSharedVariables, validateConfig } from '../read/config.js';
import type { OutputFile } from '../write/write.js';

export { loadPolicy } from '../read/clause-file.js';
import { loadPolicy, type LoadedPolicy } from '../read/clause-file.js';
import { SourceTrees } from '../read/trees.js';

export { DEFAULT_LIBRARY, DEFAULT_TEMPLATES, PACKAGE_ROOT, PRECOMPILED_TEMPLATES } from './package.js';

// ---------------------------------------------------------------- libraries

interface LibraryEntry {
  number: string;
  path: string;
  folder: string;
}

interface Duplicate {
  entry: LibraryEntry;
  other: LibraryEntry;
  /** Twice in one library folder (rather than in two libraries without "replaces"). */
  within: boolean;
}

/**
 * Which clause file is each policy, library by library in order. A number
 * defined by two libraries is an error unless the config says the later one
 * replaces it; duplicates are returned, to be reported with their positions.
 */
function collectLibrary(config: Pick<DistrictConfig, 'libraries' | 'replaces'>, files: readonly (readonly (LibraryEntry | undefined)[])[]) {
  const entries = new Map<string, LibraryEntry>();
  const duplicates: Duplicate[] = [];
  for (const list of files) {
    const local = new Map<string, LibraryEntry>();
    for (const entry of list) {
      if (!entry) continue;
      const same = local.get(entry.number);
      if (same) {
        duplicates.push({ entry, other: same, within: true });
        continue;
      }
      local.set(entry.number, entry);
      const earlier = entries.get(entry.number);
      if (earlier && !config.replaces.has(entry.number)) {
        duplicates.push({ entry, other: earlier, within: false });
        continue;
      }
      entries.set(entry.number, entry);
    }
  }
  return { entries, duplicates };
}

function reportDuplicates(duplicates: readonly Duplicate[], cwd: string, span: (e: LibraryEntry) => Range, diags: Diagnostics): void {
  for (const { entry, other, within } of duplicates) {
    const init = {
      file: displayPath(entry.path, cwd),
      range: span(entry),
      related: [{ file: displayPath(other.path, cwd), range: span(other), message: 'also defined here' }],
    };
    if (within) {
      diags.error('duplicate-policy', `Policy ${entry.number} is defined twice in the library ${displayPath(entry.folder, cwd)}`, {
        ...init,
        hint: 'Keep one file per policy number.',
      });
    } else {
      diags.error('duplicate-policy', `Policy ${entry.number} is in two libraries`, {
        ...init,
        hint: `If the district's own policy ${entry.number} replaces the publisher's, add "replaces: ["${entry.number}"]" to the config; otherwise renumber it.`,
      });
    }
  }
}

function reportUnknownReplaces(config: Pick<DistrictConfig, 'replaces'> & { file?: DistrictConfig['file'] }, has: (n: string) => boolean, diags: Diagnostics): void {
  for (const [number, pointer] of config.replaces) {
    if (!has(number) && config.file) {
      diags.warn('unknown-policy', `"replaces" names policy ${number}, which no library has`, {
        file: config.file.path,
        at: { pointer },
      });
    }
  }
}

/**
 * Read every library of the config, in order, into whole policies on this
 * thread (list, explain, refs and init work on the library itself).
 */
export function loadLibraries(
  config: Pick<DistrictConfig, 'libraries' | 'replaces'> & { file?: DistrictConfig['file'] },
  cwd: string,
  diags: Diagnostics,
): Library {
  const broken = new Set<string>();
  const byPath = new Map<string, LoadedPolicy>();
  const files = config.libraries.map((ref) =>
    listPolicyFiles(ref.folder, cwd, diags).map((path) => {
      const loaded = loadPolicy(path, cwd, diags, broken);
      if (!loaded) return undefined;
      byPath.set(path, loaded);
      return { number: loaded.policy.number, path, folder: ref.folder };
    }),
  );
  const { entries, duplicates } = collectLibrary(config, files);
  reportDuplicates(duplicates, cwd, (e) => spanAt(byPath.get(e.path)!.parsed, '/number'), diags);
  reportUnknownReplaces(config, (n) => entries.has(n), diags);
  const policies = new Map<string, Policy>();
  const origin = new Map<string, string>();
  for (const [n, e] of entries) {
    policies.set(n, byPath.get(e.path)!.policy);
    origin.set(n, e.folder);
  }
  return { folders: config.libraries.map((l) => l.folder), policies, origin, broken };
}

export function loadConfig(path: string, cwd: string, diags: Diagnostics): DistrictConfig | undefined {
  return loadConfigFile(path, cwd, diags)?.config;
}

/** The config, and the parse tree its places are resolved in. */
export function loadConfigFile(path: string, cwd: string, diags: Diagnostics): { config: DistrictConfig; tree: ParsedFile } | undefined {
  const abs = resolve(cwd, path);
  const file = loadText(abs, displayPath(abs, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  const config = validateConfig(parsed, { defaultLibrary: DEFAULT_LIBRARY }, diags);
  return config && { config, tree: parsed };
}

export interface LoadedTemplates {
  policy: Map<Format, FormatTemplates>;
  index: Map<Format, FormatTemplates>;
  /** Each template file as read, by absolute path: the build record's stamps. */
  inputs: Map<string, InputStamp>;
}

export function loadFormatTemplates(folders: readonly string[], formats: readonly Format[], cwd: string, diags: Diagnostics): LoadedTemplates {
  const out: LoadedTemplates = { policy: new Map(), index: new Map(), inputs: new Map() };
  const precompiled = loadPrecompiled(PRECOMPILED_TEMPLATES);
  const seen = new Map<string, SourceFile | null>();
  for (const format of formats) {
    if (format === 'json') continue;
    for (const kind of TEMPLATE_KINDS) {
      const shape = kind === 'policy' ? VIEW_SHAPE : INDEX_SHAPE;
      const compiled = compileTemplates(format, loadTemplates(folders, format, kind, cwd, diags, seen), shape, diags, precompiled[`${format}/${kind}`]);
      if (compiled) out[kind].set(format, compiled);
    }
  }
  for (const [path, file] of seen) if (file?.stamp) out.inputs.set(path, file.stamp);
  return out;
}

// ---------------------------------------------------------------- the build

export interface BuildRequest {
  config: string;
  cwd: string;
  out?: string;
  formats?: Format[];
  edition?: Edition;
  draft?: boolean;
  /**
   * Keep each assembled document and library policy in the plan (diff,
   * outdated, the JSON export and tests read them). A plain build lets them go
   * once rendered: a large manual then holds only its pages in memory.
   */
  keepDocuments?: boolean;
  /**
   * Incremental builds: the cache of the last build and a check that its pages
   * are still on disk as written. Policies whose inputs are unchanged are then
   * not assembled or rendered again.
   */
  incremental?: {
    version: string;
    read: (outDir: string) => BuildCache;
    intact: (outDir: string, files: readonly CachedPage[]) => boolean;
    /**
     * The lock file's bytes, when there is one. Policies whose clause files are
     * unchanged take their lock entries from it (see SettledPolicy) and are not
     * parsed; without it every clause file is parsed.
     */
    readLock?: () => Uint8Array | undefined;
  };
  /**
   * Worker threads to add to this one (planBuildParallel). By default one
   * fewer than the cores, for a manual large enough to repay starting them.
   */
  workers?: number;
  /**
   * Parse every clause file of every library (check), also those of a library
   * whose policies join the manual only when listed that plainly state a number
   * the config does not list. A build leaves those out: what they would report
   * is not about its manual.
   */
  wholeLibrary?: boolean;
  /** Clause files per shard whose parse trees are kept (tests set 0 to check positions found again). */
  keepPositions?: number;
  /**
   * A build that will write: shards write each page aside as soon as it is
   * rendered (see stageOutput), once `prepare` has made sure the folder they
   * go to exists and said which it is (the output folder, or the new version
   * of an atomic build), or false when pages are not to be written aside.
   * exists. The caller renames them into place (writeOutputs) or removes them
   * (discardStaged).
   */
  stage?: { force: boolean; prepare: (outDir: string) => string | false };
  /** Pages are rendered for their diagnostics only (check): their texts are not kept in the plan. */
  dropPages?: boolean;
  /**
   * Clause files loaded by this process's earlier builds (build --watch), read
   * and added to by this one. A build with a memo runs on this thread, where
   * the memo lives.
   */
  memo?: LoadMemo;
}

export interface PlannedPolicy {
  number: string;
  /** The assembled edition (kept with keepDocuments or for the JSON export; undefined when the pages came from the cache). */
  document?: Document;
  /** The library's policy, kept with the document. */
  sample?: Policy;
  files: OutputFile[];
  /** What the lock file records for this policy (library text, choice points, deviation hashes), as the entry's UTF-8 text: see lockEntryOf. */
  lock: Uint8Array;
  /** Clause keys (block:, item:, lead-in:) the assembled edition shows. */
  used: Set<string>;
  index: IndexEntry;
}

export interface BuildPlan {
  config: DistrictConfig;
  /** The library folders read, in order. */
  libraryFolders: string[];
  outDir: string;
  edition: Edition;
  policies: PlannedPolicy[];
  files: OutputFile[];
  /** The cache for the next build (incremental builds only). */
  cache?: BuildCache;
  /** Policies assembled and rendered in this build (the rest came from the cache). */
  rendered: number;
  /** Clause files this build took from the cache instead of parsing them (see SettledPolicy, BuildCache.library). */
  settled: number;
  /** Content hash and stamp of each input file read (config, templates, clause files), by absolute path. */
  inputs: Map<string, InputStamp>;
  /**
   * Resolves places in the config and the clause files this thread still
   * holds (all of them with keepDocuments): for a caller that reports on the
   * policies itself (outdated).
   */
  locate?: Locate;
}

/** File name of one policy's output. The district edition is the plain name. */
export const outputName = pageName;

export function indexName(edition: Edition, format: Format): string {
  return `index${edition === 'district' ? '' : `.${edition}`}.${format}`;
}

/** The manual: listed policies plus every policy of "include: all" libraries, in number order. */
export function manualPolicies(config: DistrictConfig, library: Library, diags: Diagnostics): { policy: Policy; settings?: PolicySettings }[] {
  return manualNumbers(config, library, diags).map(({ number, settings }) => ({ policy: library.policies.get(number)!, ...(settings ? { settings } : {}) }));
}

function manualNumbers(
  config: DistrictConfig,
  library: { policies: ReadonlyMap<string, unknown>; origin: ReadonlyMap<string, string>; broken?: ReadonlySet<string> },
  diags: Diagnostics,
): { number: string; settings?: PolicySettings }[] {
  const listed = checkPolicyNumbers(config, library, diags);
  const byNumber = new Map(listed.map((s) => [s.number, s]));
  const numbers = new Set(byNumber.keys());
  for (const ref of config.libraries) {
    if (!ref.includeAll) continue;
    for (const [n, folder] of library.origin) if (folder === ref.folder) numbers.add(n);
  }
  return [...numbers].sort(comparePolicyNumbers).map((number) => {
    const settings = byNumber.get(number);
    return settings ? { number, settings } : { number };
  });
}

/**
 * Policy numbers that differ only in characters a file name cannot hold ("2:90"
 * and "2-90") would get the same pages. Reported here, where the config's
 * entries are known, rather than when writing finds two pages with one name.
 */
function reportPageCollisions(
  manual: readonly { number: string; settings?: PolicySettings }[],
  config: DistrictConfig,
  configTree: ParsedFile,
  clauseFile: (n: string) => string,
  reserved: ReadonlyMap<string, string>,
  diags: Diagnostics,
): void {
  const bySlug = new Map<string, { number: string; settings?: PolicySettings }>();
  const where = (m: { number: string; settings?: PolicySettings }) =>
    m.settings ? { file: config.file.path, range: spanAt(configTree, m.settings.pointer, 'key') } : { file: clauseFile(m.number) };
  for (const m of manual) {
    const slug = numberSlug(m.number);
    // A page of the manual itself (the index, the JSON export) has that name already.
    const page = reserved.get(slug);
    if (page) {
      diags.error('output-collision', `Policy ${m.number} would be written to ${page}, where the manual's ${slug === 'index' ? 'index' : 'JSON export'} goes`, {
        ...where(m),
        hint: slug === 'index' ? 'Give the policy another number, or set "output.index: false" if the manual needs no index page.' : 'Give the policy another number, or leave json out of the formats.',
      });
      continue;
    }
    const first = bySlug.get(slug);
    if (!first) {
      bySlug.set(slug, m);
      continue;
    }
    // Point at the later of the two in the config, as for a duplicate.
    const [a, b] = [where(first), where(m)];
    const [earlier, later] = a.range && b.range && b.range[0] < a.range[0] ? [{ at: b, n: m.number }, { at: a, n: first.number }] : [{ at: a, n: first.number }, { at: b, n: m.number }];
    diags.error('output-collision', `Policies ${earlier.n} and ${later.n} would get the same file name, ${slug}`, {
      ...later.at,
      hint: 'Policy numbers that differ only in punctuation get the same file name; give one of them a different number.',
      related: [{ ...earlier.at, message: `policy ${earlier.n}` }],
    });
  }
}

/** Slugs of the pages the manual writes besides its policies' pages (see indexName and the JSON export), with the file name. */
function reservedSlugs(config: DistrictConfig, edition: Edition, formats: readonly Format[]): Map<string, string> {
  const out = new Map<string, string>();
  const index = config.index ? formats.filter((f) => f !== 'json').map((f) => indexName(edition, f)) : [];
  if (index.length) out.set('index', index.join(' and '));
  if (formats.includes('json')) out.set('manual', `manual${edition === 'district' ? '' : `.${edition}`}.json`);
  return out;
}

/** What a build reads before its clause files: the config and the templates. */
interface Prepared {
  config: DistrictConfig;
  /** The config's parse tree (its places are resolved in it). */
  configTree: ParsedFile;
  templates: LoadedTemplates;
  edition: Edition;
  formats: Format[];
  outDir: string;
  settings: ShardSettings;
}

function prepare(req: BuildRequest, diags: Diagnostics): Prepared | undefined {
  const loaded = loadConfigFile(req.config, req.cwd, diags);
  if (!loaded) return undefined;
  const { config } = loaded;
  const formats = req.formats ?? config.formats;
  const edition = req.edition ?? config.edition;
  return {
    config,
    configTree: loaded.tree,
    templates: loadFormatTemplates([...(config.templates ? [config.templates] : []), DEFAULT_TEMPLATES], templateFormats(config, req.formats), req.cwd, diags),
    edition,
    formats,
    outDir: req.out === undefined ? config.outFolder : resolve(req.cwd, req.out),
    // The JSON export needs every assembled document.
    settings: {
      cwd: req.cwd,
      edition,
      draft: req.draft ?? false,
      keepDocuments: req.keepDocuments !== false || formats.includes('json'),
      ...(req.keepPositions !== undefined ? { keepPositions: req.keepPositions } : {}),
    },
  };
}

/** Every format some page of the manual is written in. */
export function templateFormats(config: DistrictConfig, requested: readonly Format[] | undefined): Format[] {
  const all = new Set<Format>(requested ?? config.formats);
  if (!requested) for (const s of config.policies) for (const f of s.formats ?? []) all.add(f);
  return [...all].sort();
}

/** Ask the shards for one step; the answers come back in the order of the items. */
function* ask<T>(step: Step): Generator<Step, T[], unknown> {
  return (yield step) as T[];
}

/**
 * The build as a sequence of shard steps, with whatever needs the whole manual
 * (duplicates, which policies are in it, links and backlinks, the index)
 * decided between them. Driven by planBuild on this thread, and by
 * planBuildParallel over worker threads.
 */
function* buildSteps(req: BuildRequest, p: Prepared, build: Diagnostics): Generator<Step, BuildPlan | undefined, unknown> {
  const { config, templates, edition, formats, outDir } = p;
  // What this thread reports about the config points into it.
  const trees = new SourceTrees();
  trees.add(p.configTree);
  const diags = build.located(trees.locate);
  const lists = config.libraries.map((ref) => listPolicyFiles(ref.folder, req.cwd, diags).map((path) => ({ path, folder: ref.folder })));
  // The JSON export needs every assembled document, so it always builds everything.
  const incremental = req.incremental && !formats.includes('json') ? { ...req.incremental, cache: req.incremental.read(outDir) } : undefined;
  const nextCache = req.incremental ? emptyCache(req.incremental.version) : undefined;
  const buildKey = incremental
    ? hashText(incremental.version, config.file.stamp?.hash ?? '', templatesHash(templates), edition, String(req.draft ?? false), String(config.index), String(config.sentencePerLine))
    : '';
  if (nextCache && buildKey) nextCache.buildKey = buildKey;
  // build --watch keeps its loaded files itself (the memo).
  const settled = incremental && !req.memo ? settledPolicies(incremental.cache, buildKey, incremental.readLock) : new Map<string, { data: SettledLoad; lock?: Uint8Array }>();
  // A library whose policies join the manual only when listed: its files that plainly state another number are not parsed.
  const optional = req.wholeLibrary ? new Set<string>() : new Set(config.libraries.filter((l) => !l.includeAll).map((l) => l.folder));
  let loaded = yield* ask<LoadedFile>({
    op: 'load',
    items: lists.flat().map(({ path, folder }): LoadItem => {
      const s = settled.get(path);
      return { path, ...(s ? { settled: s.data } : {}), ...(optional.has(folder) ? { optional: true } : {}) };
    }),
  });
  let library = libraryOf(lists, loaded, config);
  // The numbers read from the text of files left out are checked by parsing them when anything
  // depends on them: a number the config names that no file parsed has, or a duplicate.
  const left = new Set(loaded.filter((l) => l.skipped).map((l) => l.path));
  if (left.size) {
    const { entries, duplicates, broken } = library;
    const missing = [...config.policies.map((p) => p.number), ...config.replaces.keys()].some((n) => !entries.has(n) && !broken.has(n));
    const suspects = missing ? [...left] : [...new Set(duplicates.flatMap((d) => [d.entry.path, d.other.path]))].filter((p) => left.has(p));
    if (suspects.length) {
      const again = new Map((yield* ask<LoadedFile>({ op: 'load', items: suspects.map((path) => ({ path, full: true })) })).map((l) => [l.path, l]));
      loaded = loaded.map((l) => again.get(l.path) ?? l);
      library = libraryOf(lists, loaded, config);
    }
  }
  const { entries, duplicates, broken, variables, inputs } = library;
  if (duplicates.length) {
    const wanted = [...new Set(duplicates.flatMap((d) => [d.entry.path, d.other.path]))];
    const spans = yield* ask<Range | undefined>({ op: 'span', items: wanted.map((path) => ({ path, pointer: '/number' })) });
    const byPath = new Map(wanted.map((path, i) => [path, spans[i] ?? ([0, 0] as const)]));
    reportDuplicates(duplicates, req.cwd, (e) => byPath.get(e.path)!, diags);
  }
  reportUnknownReplaces(config, (n) => entries.has(n), diags);
  const origin = new Map([...entries].map(([n, e]) => [n, e.folder]));
  const manual = manualNumbers(config, { policies: entries, origin, broken }, diags);
  reportPageCollisions(manual, config, p.configTree, (n) => displayPath(entries.get(n)!.path, req.cwd), reservedSlugs(config, edition, formats), diags);
  const paths = manual.map((m) => entries.get(m.number)!.path);
  checkSharedVariables(config, paths.map((path) => variables.get(path)!), diags);
  const inManual = new Set(paths);
  if (nextCache && buildKey) nextCache.library = quietOutsideManual(loaded, inManual, req.cwd);
  const settledOutside = loaded.filter((l) => l.settled && !inManual.has(l.path)).length;

  // Deviations first: a district's added or removed cross-references decide the links.
  const adopted = yield* ask<AdoptedPolicy>({ op: 'adopt', items: paths.map((path) => ({ path })) });
  const titles = new Map(adopted.map((a) => [a.number, a.title]));
  const backlinks = backlinksOf(adopted, titles);
  const formatsOf = new Map(manual.map((m) => [m.number, req.formats ?? m.settings?.formats ?? formats]));

  const configDir = dirname(config.file.absPath);
  const items: RenderItem[] = manual.map((m, i) => {
    const folder = origin.get(m.number)!;
    const cached = incremental?.cache.policies[m.number];
    const lock = settled.get(paths[i]!)?.lock;
    return {
      path: paths[i]!,
      libraryName: folder === DEFAULT_LIBRARY ? 'sro-policy' : relative(configDir, folder) || '.',
      backlinks: backlinks.get(m.number) ?? [],
      ...(cached ? { cached } : {}),
      ...(lock ? { lock } : {}),
    };
  });
  const indexFiles = config.index ? formats.map((f): [Format, string] => [f, indexName(edition, f)]) : [];
  const stageIn = req.stage && !diags.hasErrors() ? req.stage.prepare(outDir) : false;
  const stage = req.stage && stageIn !== false ? { stage: { force: req.stage.force, folder: stageIn } } : {};
  const drop = req.dropPages ? { dropPages: true } : {};
  const rendered = yield* ask<RenderedPolicy>({ op: 'render', items, shared: { outDir, titles: [...titles], formats: [...formatsOf], index: indexFiles, buildKey, ...stage, ...drop } });

  const planned: PlannedPolicy[] = [];
  const outputs: OutputFile[] = [];
  let count = 0;
  let unparsed = 0;
  for (const r of rendered) {
    planned.push({
      number: r.number,
      ...(r.document ? { document: r.document } : {}),
      ...(r.sample ? { sample: r.sample } : {}),
      files: r.files,
      lock: r.lock,
      used: new Set(r.used),
      index: r.index,
    });
    for (const f of r.files) outputs.push(f);
    if (r.rendered) count++;
    if (r.settled) unparsed++;
    if (nextCache && r.cache) nextCache.policies[r.number] = r.cache;
  }
  if (config.index) {
    for (const format of formats) {
      const t = templates.index.get(format);
      if (!t) continue;
      const text = renderIndex(
        planned.map((x) => x.index),
        t,
        { link: (n) => (formatsOf.get(n)?.includes(format) ? outputName(n, edition, format) : null), edition, config },
        diags,
      );
      if (text !== undefined) outputs.push({ name: indexName(edition, format), text });
    }
  }
  if (formats.includes('json')) {
    outputs.push({ name: `manual${edition === 'district' ? '' : `.${edition}`}.json`, text: manualJson(planned, config, edition) });
  }
  return {
    config,
    libraryFolders: config.libraries.map((l) => l.folder),
    outDir,
    edition,
    policies: planned,
    files: outputs,
    ...(nextCache ? { cache: nextCache } : {}),
    rendered: count,
    settled: unparsed + settledOutside,
    // What the pages were made of, as it was read: the build record must not take a file edited during the build for what was built.
    inputs: new Map([
      ...inputs,
      ...templates.inputs,
      ...(config.file.stamp ? ([[config.file.absPath, config.file.stamp]] as const) : []),
    ]),
  };
}

/**
 * The clause files this build may take as settled, by path: those the cache
 * describes under the same build key, outside the manual or with their lock
 * entries in the lock file exactly as the cache recorded them. Each shard
 * still reads and hashes the file, and parses it when its text changed.
 */
function settledPolicies(cache: BuildCache, buildKey: string, readLock: (() => Uint8Array | undefined) | undefined): Map<string, { data: SettledLoad; lock?: Uint8Array }> {
  const out = new Map<string, { data: SettledLoad; lock?: Uint8Array }>();
  if (!buildKey || cache.buildKey !== buildKey) return out;
  for (const [path, f] of Object.entries(cache.library ?? {})) {
    out.set(path, { data: { path, ...f, loaded: [] } });
  }
  // Read only when the cache has policies to settle: a cold build has none (and a 10,000-policy lock is 50 MB).
  const lockFile = Object.values(cache.policies).some((c) => c.settled) ? readLock?.() : undefined;
  if (!lockFile) return out;
  const entries = lockEntries(lockFile);
  for (const [number, c] of Object.entries(cache.policies)) {
    const s = c.settled;
    const bytes = s && entries.get(number);
    // A copy (Buffer's slice is a view): a view would take the whole lock file along to
    // a worker thread, and the worker could not hand two entries back on one buffer.
    if (s && bytes && sha256(bytes) === s.lock) {
      out.set(s.path, { data: { path: s.path, shown: s.shown, hash: s.hash, number, variables: s.variables, loaded: s.loaded, policy: s }, lock: new Uint8Array(bytes) });
    }
  }
  return out;
}

/** What the load step gave, by library: each file's number, the numbers of broken files, variables and input stamps, and the library as collected. */
function libraryOf(lists: readonly (readonly { path: string; folder: string }[])[], loaded: readonly LoadedFile[], config: DistrictConfig) {
  const broken = new Set<string>();
  const variables = new Map<string, string[]>();
  const inputs = new Map<string, InputStamp>();
  for (const l of loaded) if (l.stamp) inputs.set(l.path, l.stamp);
  let k = 0;
  const files = lists.map((list) =>
    list.map(({ path, folder }) => {
      const l = loaded[k++]!;
      if (l.broken !== undefined) broken.add(l.broken);
      if (l.number === undefined) return undefined;
      variables.set(path, l.variables ?? []);
      return { number: l.number, path, folder };
    }),
  );
  return { files, broken, variables, inputs, ...collectLibrary(config, files) };
}

/** The clause files outside the manual that loaded without a word, for the next build to settle (see BuildCache.library). */
function quietOutsideManual(loaded: readonly LoadedFile[], manual: ReadonlySet<string>, cwd: string): Record<string, LibraryFile> {
  const out: Record<string, LibraryFile> = {};
  for (const l of loaded) {
    if (!l.quiet || l.number === undefined || !l.stamp || manual.has(l.path)) continue;
    out[l.path] = { shown: displayPath(l.path, cwd), hash: l.stamp.hash, number: l.number, variables: l.variables ?? [] };
  }
  return out;
}

/** Policy number → the policies of the manual that cite it, in number order. Linear in the number of references. */
export function backlinksOf(policies: readonly AdoptedPolicy[], titles: ReadonlyMap<string, string>): Map<string, { number: string; title: string }[]> {
  const backlinks = new Map<string, { number: string; title: string }[]>();
  for (const policy of policies) {
    const cited = new Set<string>();
    for (const c of policy.cf) {
      if (!titles.has(c.number) || cited.has(c.number) || c.number === policy.number) continue;
      cited.add(c.number);
      let list = backlinks.get(c.number);
      if (!list) backlinks.set(c.number, (list = []));
      list.push({ number: policy.number, title: policy.title });
    }
  }
  for (const list of backlinks.values()) list.sort((a, b) => comparePolicyNumbers(a.number, b.number));
  return backlinks;
}

/** A shard's diagnostics join the build's; the results go back to the steps. */
function merge(reply: StepReply, diags: Diagnostics): unknown[] {
  diags.addAll(reply.diagnostics);
  for (const [file, text] of reply.sources) if (!diags.sources.has(file)) diags.addSource(file, text);
  return reply.results;
}

function localShard(req: BuildRequest, p: Prepared): Shard {
  return new Shard({
    ...p.settings,
    config: p.config,
    configTree: p.configTree,
    policyTemplates: p.templates.policy,
    ...(req.incremental ? { intact: req.incremental.intact } : {}),
    ...(req.memo ? { memo: req.memo } : {}),
  });
}

function drive(steps: Generator<Step, BuildPlan | undefined, unknown>, shard: Shard, diags: Diagnostics, first = steps.next()): BuildPlan | undefined {
  for (let next = first; ; ) {
    if (next.done) return next.value;
    next = steps.next(merge(shard.run(next.value), diags));
  }
}

/** Everything short of writing: the whole build in memory, on this thread, with its diagnostics. */
export function planBuild(req: BuildRequest, diags: Diagnostics): BuildPlan | undefined {
  const prepared = prepare(req, diags);
  if (!prepared) return undefined;
  const shard = localShard(req, prepared);
  const plan = drive(buildSteps(req, prepared, diags), shard, diags);
  if (plan) plan.locate = shard.locate;
  return plan;
}

/**
 * Below this many clause files per thread, a worker costs more than it saves:
 * a fresh V8 isolate loads the bundle and warms up and optimises all of its
 * code again (2-3 s of CPU), beside this thread's own compiler and garbage
 * collector. Measured on two cores, alternating runs: one thread was faster at
 * 300 and 600 files (1.33 against 1.46 s, 1.89 against 2.00 s), even at 1,000
 * (2.60 against 2.79 s, another day 3.47 against 3.27), and two from 2,000
 * (5.30 against 5.67 s) and 3,000 (7.42 against 7.99 s).
 */
const MIN_FILES_PER_THREAD = 750;


/** What a worker needs to set itself up like the calling thread's shard. */
export interface WorkerInit {
  settings: ShardSettings;
  config: string;
  formats?: Format[];
  incremental: boolean;
}

export type WorkerReply = { ok: true; reply: StepReply } | { ok: false; message: string };

/**
 * planBuild with the clause files split between this thread and worker
 * threads (a large manual on several cores). The same steps run on the same
 * code; the output is the same, and so are the diagnostics.
 */
export async function planBuildParallel(req: BuildRequest, diags: Diagnostics): Promise<BuildPlan | undefined> {
  const prepared = prepare(req, diags);
  if (!prepared) return undefined;
  const steps = buildSteps(req, prepared, diags);
  const first = steps.next();
  if (first.done) return first.value;
  const files = first.value.items.length;
  // A memo of a library too large to keep in memory is let go; such a library is built like any other.
  const memo = req.memo && files <= MEMO_MAX_FILES ? req.memo : undefined;
  if (req.memo && !memo) req.memo.clear();
  const local = localShard({ ...req, memo }, prepared);
  // Asked for workers: as many as asked (one file each at least). Otherwise as many as the cores allow and the manual repays.
  const threads = prepared.settings.keepDocuments || memo
    ? 1
    : req.workers !== undefined
      ? Math.min(req.workers + 1, files)
      : Math.min(availableParallelism(), Math.floor(filesToParse(first.value, prepared.config) / MIN_FILES_PER_THREAD));
  const located = (plan: BuildPlan | undefined) => (plan ? Object.assign(plan, { locate: local.locate }) : plan);
  if (threads < 2) return located(drive(steps, local, diags, first as IteratorResult<Step, BuildPlan | undefined>));

  const init: WorkerInit = { settings: prepared.settings, config: req.config, ...(req.formats ? { formats: req.formats } : {}), incremental: req.incremental !== undefined };
  // Loaded only here: most builds (below 1,500 clause files) never start a worker.
  // (require, not import(): the CLI bundle runs as a script, without an ES module loader.)
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const workers = Array.from({ length: threads - 1 }, () => new ShardWorker(Worker, init));
  try {
    // Which thread holds each clause file: shard 0 is this thread.
    const owner = new Map<string, number>();
    for (let next: IteratorResult<Step, BuildPlan | undefined> = first; ; ) {
      if (next.done) return located(next.value);
      const step = next.value;
      const groups: number[][] = Array.from({ length: threads }, () => []);
      step.items.forEach((item, i) => {
        let o = owner.get(item.path);
        if (o === undefined) owner.set(item.path, (o = Math.floor((i * threads) / step.items.length)));
        groups[o]!.push(i);
      });
      // Each shard's part goes in pieces: a worker's answers then cross over and
      // are let go of piece by piece, instead of all of a large manual at once.
      const pieces = groups.map((g) => {
        const out: Step[] = [];
        for (let k = 0; k < g.length; k += STEP_PIECE) {
          const items = g.slice(k, k + STEP_PIECE).map((i) => step.items[i]!);
          const piece = { ...step, items, ...(step.op === 'load' ? { total: g.length } : {}) } as Step;
          // The manual's titles and formats go with a shard's first piece only: sent
          // with every piece, they made the render step grow with the square of the manual.
          if (piece.op === 'render' && k > 0) delete piece.shared;
          out.push(piece);
        }
        return out;
      });
      const pending = workers.map((w, t) => Promise.all(pieces[t + 1]!.map((piece) => w.run(piece))));
      // A failed worker is reported once this thread has done its part; until then its rejection is not unhandled.
      for (const p of pending) p.catch(() => undefined);
      // This thread does its share while the workers do theirs, and takes in their answers between pieces.
      const mine: StepReply[] = [];
      for (const piece of pieces[0]!) {
        mine.push(local.run(piece));
        await new Promise((done) => setImmediate(done));
      }
      const replies = [mine, ...(await Promise.all(pending))];
      const results: unknown[] = new Array(step.items.length);
      replies.forEach((parts, t) => {
        let j = 0;
        for (const reply of parts) for (const r of merge(reply, diags)) results[groups[t]![j++]!] = r;
      });
      next = steps.next(results);
    }
  } finally {
    for (const w of workers) w.close();
  }
}

/**
 * About how many clause files the build will parse: a settled file is read and
 * hashed only, and of the files in libraries whose policies must be listed, at
 * most as many as the config lists. A worker repays its start only for parsing
 * (a rebuild after one change at 10,000 policies took 6.5 s with a worker and
 * 5.1 s without, alternating runs).
 */
function filesToParse(step: Step, config: DistrictConfig): number {
  if (step.op !== 'load') return step.items.length;
  let certain = 0;
  let optional = 0;
  for (const i of step.items) {
    if (i.settled) continue;
    if (i.optional) optional++;
    else certain++;
  }
  return certain + Math.min(optional, config.policies.length);
}

/**
 * Clause files build --watch keeps between builds at most (see LoadMemo):
 * about 35 kB each, so 175 MB at most. A larger library is read again on each
 * rebuild, on all cores, as by a plain build.
 */
const MEMO_MAX_FILES = 5000;

/** Items per message to or from a worker. */
const STEP_PIECE = 128;

/** One worker thread holding a shard, answering its steps in order. */
class ShardWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (r: StepReply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(Thread: typeof Worker, init: WorkerInit) {
    this.worker = new Thread(WORKER_SCRIPT, { workerData: init });
    this.worker.on('message', (m: WorkerReply) => {
      const w = this.waiting.shift();
      if (m.ok) w?.resolve(m.reply);
      else w?.reject(new Error(`in a worker thread: ${m.message}`));
    });
    const fail = (thrown: unknown) => {
      // What a worker throws crosses over as a copy, which may no longer be an Error.
      const e = thrown instanceof Error ? thrown : new Error(`in a worker thread: ${(thrown as { stack?: string; message?: string } | null)?.stack ?? (thrown as { message?: string } | null)?.message ?? String(thrown)}`);
      this.failure = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
  }

  run(step: Step): Promise<StepReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(step);
    });
  }

  close(): void {
    // Nothing left to wait for: the process may exit without it.
    this.worker.removeAllListeners('exit');
    this.worker.unref();
    void this.worker.terminate();
  }
}

/** Content of every template a build uses: a change in any of them rebuilds every page. */
function templatesHash(templates: LoadedTemplates): string {
  const parts: string[] = [];
  for (const kind of TEMPLATE_KINDS) {
    for (const [format, t] of [...templates[kind]].sort(([a], [b]) => (a < b ? -1 : 1))) {
      parts.push(kind, format, t.main.text);
      for (const [name, p] of [...t.partials].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(name, p.text);
    }
  }
  return hashText(...parts);
}

