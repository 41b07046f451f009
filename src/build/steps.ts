// The build as a sequence of shard steps (load, span, adopt, render), with
// whatever needs the whole manual decided between them on the calling thread.
import { dirname, relative, resolve } from 'node:path';
import { DEFAULT_LIBRARY, DEFAULT_TEMPLATES } from '../read/package.js';
import { emptyCache, type BuildCache, type LibraryFile } from '../incremental/cache.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { displayPath, listPolicyFiles, type InputStamp } from '../read/files.js';
import { loadLibrarySettings } from '../read/library-settings.js';
import { sha256 } from '../model/hash.js';
import { lockEntries } from '../lock/lock.js';
import type { DistrictConfig, Edition, Format } from '../model/model.js';
import { comparePolicyNumbers } from '../model/number.js';
import type { ParsedFile, Range } from '../read/yaml.js';
import { renderIndexPage, writesPages } from '../render/render.js';
import type { AdoptedPolicy, LoadedFile, LoadItem, RenderedPolicy, RenderItem, SettledLoad, ShardSettings, Step } from './shard.js';
import { checkSharedVariables } from '../read/config.js';
import { outputHash, type OutputFile } from '../write/write.js';
import { formatOf } from '../render/formats/registry.js';

import { SourceTrees } from '../read/trees.js';

import type { BuildPlan, BuildRequest, PlannedPolicy } from './plan.js';
import { indexName, pageName as outputName } from '../render/pages.js';
import { collectLibrary, manualNumbers, reportDuplicates, reportPageCollisions, reportUnknownReplaces, reservedSlugs } from './library.js';
import { buildKey as buildKeyOf, indexKey } from '../incremental/keys.js';
import { loadConfigFile, loadFormatTemplates, templateFormats, templatesHash, type LoadedTemplates } from './inputs.js';

export interface Prepared {
  config: DistrictConfig;
  /** The config's parse tree (its places are resolved in it). */
  configTree: ParsedFile;
  templates: LoadedTemplates;
  edition: Edition;
  formats: Format[];
  outDir: string;
  settings: ShardSettings;
}

export function prepare(req: BuildRequest, diags: Diagnostics): Prepared | undefined {
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
      keepDocuments: req.keepDocuments !== false || formats.some((f) => formatOf(f).wholeManual),
      ...(req.keepPositions !== undefined ? { keepPositions: req.keepPositions } : {}),
    },
  };
}

/** Every format some page of the manual is written in. */

function* ask<T>(step: Step): Generator<Step, T[], unknown> {
  return (yield step) as T[];
}

/**
 * The build as a sequence of shard steps, with whatever needs the whole manual
 * (duplicates, which policies are in it, links and backlinks, the index)
 * decided between them. Driven by planBuild on this thread, and by
 * planBuildParallel over worker threads.
 */
export function* buildSteps(req: BuildRequest, p: Prepared, build: Diagnostics): Generator<Step, BuildPlan | undefined, unknown> {
  const { config, templates, edition, formats, outDir } = p;
  // What this thread reports about the config points into it.
  const trees = new SourceTrees();
  trees.add(p.configTree);
  const diags = build.located(trees.locate);
  const lists = config.libraries.map((ref) => listPolicyFiles(ref.folder, req.cwd, diags).map((path) => ({ path, folder: ref.folder })));
  const librarySettings = new Map(config.libraries.map((ref) => [ref.folder, loadLibrarySettings(ref.folder, req.cwd, diags)]));
  // The JSON export needs every assembled document, so it always builds everything.
  const incremental = req.incremental && !formats.some((f) => formatOf(f).wholeManual) ? { ...req.incremental, cache: req.incremental.read(outDir) } : undefined;
  const nextCache = req.incremental ? emptyCache(req.incremental.version) : undefined;
  const buildKey = incremental
    ? buildKeyOf({ tool: incremental.version, config: config.file.stamp?.hash ?? '', templates: templatesHash(templates), edition, draft: req.draft ?? false, index: config.index, sentencePerLine: config.sentencePerLine, docxReference: config.docxReference?.hash ?? '' })
    : '';
  if (nextCache && buildKey) nextCache.buildKey = buildKey;
  // build --watch keeps its loaded files itself (the memo).
  const settled = incremental && !req.memo ? settledPolicies(incremental.cache, buildKey, incremental.readLock, incremental.known) : new Map<string, { data: SettledLoad; lock?: Uint8Array }>();
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
    const library = librarySettings.get(folder);
    return {
      path: paths[i]!,
      libraryName: folder === DEFAULT_LIBRARY ? 'sro-policy' : relative(configDir, folder) || '.',
      ...(library ? { library } : {}),
      backlinks: backlinks.get(m.number) ?? [],
      ...(cached ? { cached } : {}),
      ...(lock ? { lock } : {}),
    };
  });
  const indexFiles = config.index ? formats.filter(writesPages).map((f): [Format, string] => [f, indexName(edition, f)]) : [];
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
    const pageFormats = formats.filter(writesPages);
    // The index pages as the last build wrote them, while nothing they show changed and they are intact.
    const key = buildKey ? indexKey(buildKey, pageFormats, planned.map((x) => ({ index: x.index, formats: formatsOf.get(x.number) ?? [] }))) : '';
    const last = incremental?.cache.index;
    if (key && last?.key === key && incremental!.intact(outDir, last.files)) {
      for (const f of last.files) outputs.push({ kind: 'cached', name: f.name, hash: f.hash });
      if (nextCache) nextCache.index = last;
    } else {
      const reported = diags.items.length;
      const pages: OutputFile[] = [];
      for (const format of pageFormats) {
        const content = renderIndexPage(
          format,
          planned.map((x) => x.index),
          templates.index.get(format),
          { link: (n) => (formatsOf.get(n)?.includes(format) ? outputName(n, edition, format) : null), edition, config },
          diags,
        );
        if (content !== undefined) pages.push({ kind: 'content', name: indexName(edition, format), content });
      }
      outputs.push(...pages);
      // Pages that reported nothing: taking them from the cache later loses no warning.
      if (key && nextCache && diags.items.length === reported) nextCache.index = { key, files: pages.map((f) => ({ name: f.name, hash: outputHash(f) })) };
    }
  }
  // Formats written as one file for the whole manual (the JSON export).
  for (const format of formats) {
    const manual = formatOf(format).manual;
    if (manual) outputs.push({ kind: 'content', name: manual.name(edition), content: manual.render(planned, config, edition, diags) });
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
function settledPolicies(
  cache: BuildCache,
  buildKey: string,
  readLock: (() => Uint8Array | undefined) | undefined,
  known: ReadonlyMap<string, InputStamp> | undefined,
): Map<string, { data: SettledLoad; lock?: Uint8Array }> {
  const out = new Map<string, { data: SettledLoad; lock?: Uint8Array }>();
  if (!buildKey || cache.buildKey !== buildKey) return out;
  // The no-change check's stamp, when it proves the file holds the cached text: the file need not be read.
  const stamp = (path: string, hash: string) => {
    const s = known?.get(path);
    return s?.hash === hash ? { stamp: s } : {};
  };
  for (const [path, f] of Object.entries(cache.library ?? {})) {
    out.set(path, { data: { path, ...f, loaded: [], ...stamp(path, f.hash) } });
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
      out.set(s.path, { data: { path: s.path, shown: s.shown, hash: s.hash, number, variables: s.variables, loaded: s.loaded, policy: s, ...stamp(s.path, s.hash) }, lock: new Uint8Array(bytes) });
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
