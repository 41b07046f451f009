// A shard holds some of a build's clause files and does the work that needs
// only them: parse and validate them, apply the district's deviations, then
// assemble and render their pages. planBuild (pipeline.ts) decides everything
// that needs the whole manual (which policies are in it, duplicates, links,
// the index) and asks its shards for the rest in a few steps. A large manual is
// split over shards on worker threads (shard-worker.ts); a small one, diff,
// outdated and the JSON export use one shard on the calling thread. Either
// way the same code runs, so the output is the same.
import { assemble } from '../assemble/assemble.js';
import { checkDocument } from '../assemble/check-document.js';
import { hashText, type CachedPage, type CachedPolicy, type SettledPolicy } from '../incremental/cache.js';
import { applyDeviations, type DeviationResult } from '../assemble/deviations.js';
import { Diagnostics, type Diagnostic, type Locate, type Place } from '../diagnostics/diagnostic.js';
import { lockPolicyBytes } from '../lock/lock.js';
import type { CrossReference, DistrictConfig, Document, Edition, Format, Policy, PolicySettings } from '../model/model.js';
import { displayPath, loadText, type InputStamp, type SourceFile } from '../read/files.js';
import { parseAndValidate, releasePositions, type LoadedPolicy } from '../read/clause-file.js';
import { placeIn, SourceTrees } from '../read/trees.js';
import { numberSlug } from '../model/number.js';
import { scanPolicyNumber, spanAt, type ParsedFile } from '../read/yaml.js';
import { unitsOf } from '../redline/redline.js';
import { indexEntry, render, type IndexEntry, type RenderContext } from '../render/render.js';
import { selectChoices } from '../assemble/select.js';
import type { FormatTemplates } from '../render/templates.js';
import { openStageFolder, sha256, stageOutput, type OutputFile, type StageFolder } from '../write/write.js';

/** What every shard of one build is told once. */
export interface ShardSettings {
  cwd: string;
  edition: Edition;
  draft: boolean;
  /** Keep assembled documents and library policies for the caller (diff, outdated, JSON export). */
  keepDocuments: boolean;
  /** Clause files whose parse trees a shard keeps (default KEEP_POSITIONS_UP_TO); the rest let go of them once validated. */
  keepPositions?: number;
}

/** What a shard works with besides its files: the district config and the compiled templates. */
export interface ShardContext extends ShardSettings {
  config: DistrictConfig;
  /** The config's parse tree, for the places diagnostics about it point at. */
  configTree?: ParsedFile;
  policyTemplates: Map<Format, FormatTemplates>;
  /** Whether the pages a cache entry lists are still on disk as written (incremental builds). */
  intact?: (outDir: string, files: readonly CachedPage[]) => boolean;
  /** Clause files loaded by earlier builds of this process (build --watch): see LoadMemo. */
  memo?: LoadMemo;
}

/**
 * What loading each clause file gave, by path, kept by a process that builds
 * again and again (build --watch): a rebuild reads every file but parses and
 * validates again only those whose text changed. Loading depends on nothing
 * but the file's text, and later steps never change a loaded policy
 * (deviations apply to a copy).
 */
export type LoadMemo = Map<string, MemoEntry>;

interface MemoEntry {
  hash: string;
  loaded: LoadedPolicy | undefined;
  broken: string | undefined;
  diagnostics: Diagnostic[];
  sources: [string, string][];
  /** The policy's parse trees were let go (see Shard.load). */
  released: boolean;
}

// ---------------------------------------------------------------- steps

export interface LoadedFile {
  path: string;
  /** The policy's number, when the file is a valid clause file. */
  number?: string;
  /** The number a clause file with errors claims, so the config's entry is not called unknown. */
  broken?: string;
  /** Variables the policy declares. */
  variables?: string[];
  /** Content hash, size and modification time of the file as read. */
  stamp?: InputStamp;
  /** Loading it reported nothing (incremental builds): a file outside the manual can then be settled for the next build. */
  quiet?: boolean;
  /** Taken from the cache, not parsed (so far). */
  settled?: boolean;
  /** Not parsed: its text states a number the manual does not list (LoadItem.optional). */
  skipped?: boolean;
}

export interface LoadItem {
  path: string;
  settled?: SettledLoad;
  /**
   * In a library whose policies are in the manual only when the config lists
   * them: a file whose text plainly states an unlisted number is read and
   * hashed but not parsed (see scanPolicyNumber).
   */
  optional?: boolean;
  /** Parse it whatever it states (a file left out before, whose number the build must be sure of). */
  full?: boolean;
}

/**
 * A clause file the cache says need not be parsed: the file as the cache knows
 * it, and for a policy of the last build's manual what its later steps gave
 * (SettledPolicy). One outside that manual is known only as loaded (quietly):
 * should a step need more of it, it is parsed.
 */
export interface SettledLoad {
  path: string;
  shown: string;
  hash: string;
  number: string;
  variables: string[];
  loaded: Diagnostic[];
  policy?: SettledPolicy;
}

export interface AdoptedPolicy {
  number: string;
  title: string;
  /** Cross-references of the policy as adopted (deviations may add or remove some). */
  cf: { number: string }[];
}

export interface RenderShared {
  outDir: string;
  /** Title of every policy of the manual, as adopted. */
  titles: [string, string][];
  /** Formats each policy of the manual is written in. */
  formats: [string, Format[]][];
  /** Index file name per format, when an index is written. */
  index: [Format, string][];
  /** Hash of what every page depends on (config, templates, tool, options); '' when not incremental. */
  buildKey: string;
  /** Write pages aside as they are rendered (a build that writes): see stageOutput. */
  stage?: { force: boolean; folder: string };
  /** Rendered only for their diagnostics (check): the texts are not kept. */
  dropPages?: boolean;
}

export interface RenderItem {
  path: string;
  libraryName: string;
  backlinks: { number: string; title: string }[];
  cached?: CachedPolicy;
  /** A settled policy's lock entry, from the lock file, checked against the hash the cache recorded. */
  lock?: Uint8Array;
}

export interface RenderedPolicy {
  number: string;
  document?: Document;
  sample?: Policy;
  files: OutputFile[];
  /** The policy's lock file entry, in UTF-8 (lockPolicyBytes). */
  lock: Uint8Array;
  used: string[];
  index: IndexEntry;
  /** The cache entry for the next build (incremental builds, no errors). */
  cache?: CachedPolicy;
  /** False when the pages came from the cache. */
  rendered: boolean;
  /** True when the clause file was not parsed at all (a settled policy whose pages came from the cache). */
  settled?: boolean;
}

export type Step =
  | { op: 'load'; items: LoadItem[]; /** Files this shard is given in all (the step may come in parts). */ total?: number }
  | { op: 'span'; items: { path: string; pointer: string }[] }
  | { op: 'adopt'; items: { path: string }[] }
  /**
   * shared: what every policy's render needs from the whole manual. A step
   * split into pieces sends it with the first piece only (it is as large as the
   * manual); a piece without it uses the one before.
   */
  | { op: 'render'; items: RenderItem[]; shared?: RenderShared };

/** RenderShared with its lists as maps, built once per step. */
type SharedMaps = Omit<RenderShared, 'titles' | 'formats' | 'index'> & { titles: Map<string, string>; formats: Map<string, Format[]>; index: Map<Format, string> };

export interface StepReply {
  results: unknown[];
  diagnostics: Diagnostic[];
  /** Text of the files the diagnostics point into. */
  sources: [string, string][];
}

/**
 * A shard given more clause files than this lets go of their parse trees once
 * validated (see ParsedFile.release): about 60 kB a file, 600 MB for a
 * 10,000-policy manual.
 */
const KEEP_POSITIONS_UP_TO = 1500;

export class Shard {
  private readonly policies = new Map<string, Policy>();
  private readonly adopted = new Map<string, { sample: Policy; settings?: PolicySettings; deviated?: DeviationResult }>();
  /** The config's settings by policy number, once a step needs them (a worker reads the config only then). */
  private settings: Map<string, PolicySettings> | undefined;
  /** Text of every file this shard read, for the code frames of later steps' diagnostics. */
  private readonly sources = new Map<string, string>();
  /** The output folder as the first rendered page found it (null: pages are not written aside). */
  private stageFolder: StageFolder | null | undefined;
  /** The manual's titles, formats and index names for the render step under way. */
  private shared: SharedMaps | undefined;
  /**
   * Clause files taken as settled: read and hashed but not parsed, their
   * diagnostics reported from the cache. One is parsed after all when a later
   * step needs the policy itself (its pages must be rendered again).
   */
  private readonly settledFiles = new Map<string, { file: SourceFile; data: SettledLoad; release: boolean; adopted: boolean }>();
  /** Diagnostics of loading and of adopting each policy, for its settled entry in the next build's cache (incremental builds). */
  private readonly loadedDiags = new Map<string, Diagnostic[]>();
  private readonly adoptedDiags = new Map<string, Diagnostic[]>();
  /** Clause files left out of the manual unparsed (LoadItem.optional), with their text for a later step that needs them after all. */
  private readonly skipped = new Map<string, SourceFile>();
  /** The numbers the config lists, once a load step needs them. */
  private listed: Set<string> | undefined;
  /** Parse trees of the config and of the clause files this shard holds: the places of its diagnostics are resolved in them. */
  private readonly trees = new SourceTrees();

  constructor(private readonly ctx: ShardContext) {}

  /** Turns places in the config and the files this shard holds into offsets (a worker reads the config only when asked). */
  readonly locate: Locate = (file, place) => {
    const found = this.trees.locate(file, place);
    if (found) return found;
    const config = this.ctx.configTree;
    return config && config.file.path === file ? placeIn(config, place) : undefined;
  };

  run(step: Step): StepReply {
    const diags = new Diagnostics(this.locate);
    const mentioned: string[] = [];
    const rendered: string[] = [];
    let results: unknown[];
    switch (step.op) {
      case 'load': {
        // Positions are kept while memory is cheap: finding one again means parsing the file again.
        const release = (step.total ?? step.items.length) > (this.ctx.keepPositions ?? KEEP_POSITIONS_UP_TO);
        results = step.items.map((i) => this.load(i, release, diags));
        // Files no longer in the libraries leave the memo (a memo is kept only by a shard given all the files).
        if (this.ctx.memo && step.total === undefined && !step.items.some((i) => i.full)) {
          const now = new Set(step.items.map((i) => i.path));
          for (const path of this.ctx.memo.keys()) if (!now.has(path)) this.ctx.memo.delete(path);
        }
        break;
      }
      case 'span':
        results = step.items.map((i) => {
          const p = this.policies.get(i.path) ?? this.unsettle(i.path) ?? this.parseSkipped(i.path);
          const tree = p && this.trees.get(p.file.path);
          if (!p || !tree) return undefined;
          mentioned.push(p.file.path);
          return spanAt(tree, i.pointer);
        });
        break;
      case 'adopt':
        results = step.items.map((i) => this.adopt(i.path, diags));
        break;
      case 'render': {
        if (step.shared) {
          this.shared = {
            ...step.shared,
            titles: new Map(step.shared.titles),
            formats: new Map(step.shared.formats),
            index: new Map(step.shared.index),
          };
        }
        const shared = this.shared;
        if (!shared) throw new Error('a render step without the manual it renders');
        results = step.items.map((i) => {
          const r = this.render(i, shared, diags);
          // Rendering is a policy's last step: its model can go as soon as its pages exist
          // (and its text once this step's diagnostics have taken what they show).
          if (!this.ctx.keepDocuments) {
            const shown = (this.policies.get(i.path)?.file ?? this.settledFiles.get(i.path)!.file).path;
            rendered.push(shown);
            this.trees.delete(shown);
            this.adopted.delete(i.path);
            this.policies.delete(i.path);
            this.settledFiles.delete(i.path);
            this.loadedDiags.delete(i.path);
            this.adoptedDiags.delete(i.path);
          }
          return r;
        });
        break;
      }
    }
    for (const [file, text] of diags.sources) this.sources.set(file, text);
    const reply = { results, diagnostics: diags.items, sources: this.sourcesFor(diags, mentioned) };
    if (step.op === 'render' && !this.ctx.keepDocuments) for (const file of rendered) this.sources.delete(file);
    return reply;
  }

  /** The sources a step's diagnostics point into (all of them when the caller keeps documents: outdated reports on any file). */
  private sourcesFor(diags: Diagnostics, mentioned: readonly string[]): [string, string][] {
    if (this.ctx.keepDocuments) return [...diags.sources];
    const files = new Set<string>(mentioned);
    for (const d of diags.items) {
      if (d.file) files.add(d.file);
      for (const r of d.related ?? []) files.add(r.file);
    }
    const out: [string, string][] = [];
    for (const f of files) {
      const text = diags.sources.get(f) ?? this.sources.get(f);
      if (text !== undefined) out.push([f, text]);
    }
    return out;
  }

  /** Whether diagnostics are kept per policy for the next build's cache. */
  private get settles(): boolean {
    return this.ctx.intact !== undefined;
  }

  private load(item: LoadItem, release: boolean, diags: Diagnostics): LoadedFile {
    const { path, settled } = item;
    let loaded: { policy?: LoadedPolicy; broken?: string };
    const { memo } = this.ctx;
    const left = item.full ? this.skipped.get(path) : undefined;
    if (left) {
      this.skipped.delete(path);
      loaded = memo ? this.loadMemoized(memo, path, left, release, diags) : this.parse(path, left, release, diags);
    } else {
      const file = loadText(path, displayPath(path, this.ctx.cwd), diags);
      if (!file) {
        memo?.delete(path);
        return { path };
      }
      // The text the cache describes, shown under the same path: its diagnostics are the cache's, and parsing can wait.
      if (!memo && settled && file.stamp?.hash === settled.hash && file.path === settled.shown && settled.path === path) {
        this.settledFiles.set(path, { file, data: settled, release, adopted: false });
        diags.addAll(settled.loaded);
        return { path, number: settled.number, variables: settled.variables, stamp: file.stamp, settled: true, ...(this.settles && settled.loaded.length === 0 ? { quiet: true } : {}) };
      }
      if (item.optional && !item.full) {
        const number = scanPolicyNumber(file.text);
        this.listed ??= new Set(this.ctx.config.policies.map((s) => s.number));
        if (number !== undefined && !this.listed.has(number)) {
          this.skipped.set(path, file);
          memo?.delete(path);
          return { path, number, ...(file.stamp ? { stamp: file.stamp } : {}), skipped: true };
        }
      }
      loaded = memo ? this.loadMemoized(memo, path, file, release, diags) : this.parse(path, file, release, diags);
    }
    const { policy: read, broken } = loaded;
    if (!read) return broken !== undefined ? { path, broken } : { path };
    const { policy } = this.hold(path, read);
    const quiet = this.settles && this.loadedDiags.get(path)?.length === 0;
    return { path, number: policy.number, variables: [...policy.variables.keys()], ...(policy.file.stamp ? { stamp: policy.file.stamp } : {}), ...(quiet ? { quiet } : {}) };
  }

  /** A policy this shard holds from now on, with its parse tree. */
  private hold(path: string, read: LoadedPolicy): LoadedPolicy {
    this.policies.set(path, read.policy);
    this.trees.add(read.parsed);
    return read;
  }

  private parse(path: string, file: SourceFile, release: boolean, diags: Diagnostics): { policy?: LoadedPolicy; broken?: string } {
    const local = new Diagnostics(this.locate);
    const broken = new Set<string>();
    const read = parseAndValidate(file, local, broken);
    forward(local, diags);
    if (!read) return broken.size ? { broken: [...broken][0]! } : {};
    if (this.settles) this.loadedDiags.set(path, local.items);
    if (release) releasePositions(read);
    return { policy: read };
  }

  /** A file left out unparsed, parsed for a step that needs it after all (a position); what it reports is not the manual's business. */
  private parseSkipped(path: string): Policy | undefined {
    const file = this.skipped.get(path);
    if (!file) return undefined;
    this.skipped.delete(path);
    const read = parseAndValidate(file, new Diagnostics(this.locate));
    return read && this.hold(path, read).policy;
  }

  /**
   * A settled clause file parsed and adopted after all, when a step needs the
   * policy itself. Its diagnostics were reported from the cache; parsing the
   * same text again reports the same, so they are not reported twice.
   */
  private unsettle(path: string): Policy | undefined {
    const s = this.settledFiles.get(path);
    if (!s) return undefined;
    this.settledFiles.delete(path);
    const quiet = new Diagnostics(this.locate);
    const read = parseAndValidate(s.file, quiet);
    if (!read) throw new Error(`${s.file.path} was settled in the cache but does not load`);
    if (s.release) releasePositions(read);
    this.hold(path, read);
    this.loadedDiags.set(path, s.data.loaded);
    if (s.adopted) this.adopt(path, quiet);
    return read.policy;
  }

  private loadMemoized(memo: LoadMemo, path: string, file: SourceFile, release: boolean, diags: Diagnostics): { policy?: LoadedPolicy; broken?: string } {
    let entry = memo.get(path);
    if (!entry || !file.stamp || entry.hash !== file.stamp.hash) {
      const local = new Diagnostics(this.locate);
      const broken = new Set<string>();
      const loaded = parseAndValidate(file, local, broken);
      entry = { hash: file.stamp?.hash ?? '', loaded, broken: [...broken][0], diagnostics: local.items, sources: [...local.sources], released: false };
      if (file.stamp) memo.set(path, entry);
    } else if (entry.loaded) {
      // The same text: the policy as loaded before, with the stamp (modification time) of this reading.
      entry.loaded.policy.file.stamp = file.stamp;
    }
    diags.addAll(entry.diagnostics);
    for (const [f, text] of entry.sources) diags.addSource(f, text);
    if (this.settles && entry.loaded) this.loadedDiags.set(path, entry.diagnostics);
    if (entry.loaded && release && !entry.released) {
      releasePositions(entry.loaded);
      entry.released = true;
    }
    return { ...(entry.loaded ? { policy: entry.loaded } : {}), ...(entry.broken !== undefined ? { broken: entry.broken } : {}) };
  }

  private adopt(path: string, diags: Diagnostics): AdoptedPolicy {
    const s = this.settledFiles.get(path);
    const settled = s?.data.policy;
    if (s && !settled) this.unsettle(path);
    else if (s && settled) {
      s.adopted = true;
      diags.addAll(settled.adopted);
      return { number: s.data.number, title: settled.title, cf: settled.cf.map(([number]) => ({ number })) };
    }
    const { config, edition } = this.ctx;
    const sample = this.policies.get(path)!;
    this.settings ??= new Map(config.policies.map((s) => [s.number, s]));
    const settings = this.settings.get(sample.number);
    // The sample edition is the publisher's text, so deviations do not apply to it;
    // its settings are still checked, so `check --edition sample` catches the same mistakes.
    const local = new Diagnostics(this.locate);
    const deviated = applyDeviations(sample, settings, config, local);
    forward(local, diags);
    if (this.settles) this.adoptedDiags.set(path, local.items);
    const entry = { sample, ...(settings ? { settings } : {}), ...(edition === 'sample' ? {} : { deviated }) };
    this.adopted.set(path, entry);
    const policy = entry.deviated?.policy ?? sample;
    return { number: policy.number, title: policy.title, cf: policy.parts.flatMap((p) => p.cf.map((c) => ({ number: c.number }))) };
  }

  private render(
    item: RenderItem,
    shared: SharedMaps,
    diags: Diagnostics,
  ): RenderedPolicy {
    const s = this.settledFiles.get(item.path);
    if (s) {
      const reused = this.renderSettled(item, s.data, shared, diags);
      if (reused) return reused;
      this.unsettle(item.path);
    }
    const { config, edition, draft } = this.ctx;
    const { sample, settings, deviated } = this.adopted.get(item.path)!;
    const policy = deviated?.policy ?? sample;
    const linked = new Diagnostics(this.locate);
    checkLinks(policy, shared.titles, linked);
    const selections = selectChoices(policy, settings, config, { draft }, linked);
    forward(linked, diags);
    const myFormats = shared.formats.get(policy.number)!;
    const cf = policy.parts.flatMap((p) => p.cf.map((c): [string, string] => [c.number, c.title]));
    let key = '';
    // The clause file by the content hash taken when it was read, rather than hashing its text again
    // (a policy read from no file is not cached).
    const fileHash = sample.file.stamp?.hash;
    if (shared.buildKey && fileHash) {
      key = renderKey(shared, fileHash, item, myFormats, cf);
      const cached = item.cached;
      if (cached && cached.key === key && this.ctx.intact?.(shared.outDir, cached.files)) {
        diags.addAll(cached.diagnostics);
        const lock = lockPolicyBytes(sample, item.libraryName, deviated?.applied ?? []);
        const settled = this.settledEntry(item.path, sample, policy.title, cf, linked.items, lock);
        return {
          number: policy.number,
          files: cached.files.map((f) => ({ name: f.name, text: '', cachedHash: f.hash })),
          // Worked out again rather than cached: cheap, and the lock entries would triple the cache's size.
          lock,
          used: cached.used,
          index: cached.index,
          cache: settled ? { ...cached, settled } : cached,
          rendered: false,
        };
      }
    }
    const local = new Diagnostics(this.locate);
    const document = assemble(
      {
        policy,
        edition,
        ...(edition === 'sample' ? {} : { selections }),
        config,
        history: settings?.history ?? [],
        draft,
        ...(deviated ? { notes: deviated.notes, general: deviated.general } : {}),
      },
      local,
    );
    if (edition !== 'sample') checkDocument(document, policy, config, settings, draft, local);
    const files: OutputFile[] = [];
    for (const format of myFormats) {
      const t = this.ctx.policyTemplates.get(format);
      if (!t) continue;
      const context: RenderContext = {
        // A link only to pages that exist: the target must be in the manual and written in this format.
        link: (n) => (shared.titles.has(n) && shared.formats.get(n)?.includes(format) ? pageName(n, edition, format) : undefined),
        referencedBy: item.backlinks,
        index: shared.index.get(format),
        sentencePerLine: config.sentencePerLine,
      };
      const text = render(document, t, context, local);
      if (text !== undefined) files.push({ name: pageName(policy.number, edition, format), text, hash: sha256(text) });
    }
    diags.addAll(local.items);
    for (const [file, text] of local.sources) diags.addSource(file, text);
    if (shared.stage && !local.hasErrors()) {
      this.stageFolder ??= openStageFolder(shared.stage.folder, shared.stage.force) ?? null;
      if (this.stageFolder) for (const f of files) stageOutput(this.stageFolder, f);
    }
    if (shared.dropPages) for (const f of files) f.text = '';
    const lock = lockPolicyBytes(sample, item.libraryName, deviated?.applied ?? []);
    const used = [...new Set(unitsOf(document).map((u) => u.key).filter((k) => /^(block|item|lead-in):/.test(k)))];
    const index = indexEntry(document);
    const settled = shared.buildKey && !local.hasErrors() ? this.settledEntry(item.path, sample, policy.title, cf, linked.items, lock) : undefined;
    return {
      number: policy.number,
      ...(this.ctx.keepDocuments ? { document, sample } : {}),
      files,
      lock,
      used,
      index,
      ...(shared.buildKey && !local.hasErrors()
        ? { cache: { key, files: files.map((f) => ({ name: f.name, hash: f.hash! })), diagnostics: local.items, index, used, ...(settled ? { settled } : {}) } }
        : {}),
      rendered: true,
    };
  }

  /**
   * A settled policy whose pages are on disk as the cache describes them: its
   * diagnostics and lock entry come from the cache and the lock file, and its
   * clause file is never parsed. Undefined when its pages must be rendered again.
   */
  private renderSettled(item: RenderItem, data: SettledLoad, shared: SharedMaps, diags: Diagnostics): RenderedPolicy | undefined {
    const cached = item.cached;
    if (!shared.buildKey || !cached || !item.lock || !data.policy) return undefined;
    const key = renderKey(shared, data.hash, item, shared.formats.get(data.number)!, data.policy.cf);
    if (cached.key !== key || !this.ctx.intact?.(shared.outDir, cached.files)) return undefined;
    diags.addAll(data.policy.linked);
    diags.addAll(cached.diagnostics);
    return {
      number: data.number,
      files: cached.files.map((f) => ({ name: f.name, text: '', cachedHash: f.hash })),
      lock: item.lock,
      used: cached.used,
      index: cached.index,
      cache: cached,
      rendered: false,
      settled: true,
    };
  }

  /** What the next build needs to take this policy as settled; undefined when anything before assembling reported an error. */
  private settledEntry(path: string, sample: Policy, title: string, cf: [string, string][], linked: Diagnostic[], lock: Uint8Array): SettledPolicy | undefined {
    const stamp = sample.file.stamp;
    const loaded = this.loadedDiags.get(path);
    const adopted = this.adoptedDiags.get(path);
    if (!stamp || !loaded || !adopted) return undefined;
    if (loaded.some(isError) || adopted.some(isError) || linked.some(isError)) return undefined;
    return { path, shown: sample.file.path, hash: stamp.hash, variables: [...sample.variables.keys()], title, cf, loaded, adopted, linked, lock: sha256(lock) };
  }
}

const isError = (d: Diagnostic) => d.severity === 'error';

/**
 * Everything a policy's pages depend on besides the config and templates
 * (shared.buildKey): its clause file, its library, its formats, and the titles
 * and formats of the pages it links to and from.
 */
function renderKey(shared: SharedMaps, fileHash: string, item: RenderItem, formats: readonly Format[], cf: readonly (readonly [string, string])[]): string {
  const linksOut = cf.map(([number, title]) => [number, title, shared.titles.get(number) ?? null, shared.formats.get(number) ?? null]);
  return hashText(shared.buildKey, fileHash, item.libraryName, JSON.stringify(formats), JSON.stringify(linksOut), JSON.stringify(item.backlinks));
}

/** One step's diagnostics, collected apart, join the shard's. */
function forward(from: Diagnostics, to: Diagnostics): void {
  to.addAll(from.items);
  for (const [file, text] of from.sources) to.addSource(file, text);
}

/** File name of one policy's page. The district edition is the plain name. */
export function pageName(number: string, edition: Edition, format: Format | 'diff.md' | 'diff.html'): string {
  return `${numberSlug(number)}${edition === 'district' ? '' : `.${edition}`}.${format}`;
}

/**
 * Cross-references of one policy against the manual's titles: missing targets
 * are reported once per citing policy, titles that differ from the target's
 * own title are reported each.
 */
export function checkLinks(policy: Policy, titles: ReadonlyMap<string, string>, diags: Diagnostics): void {
  const missing: CrossReference[] = [];
  for (const part of policy.parts) {
    for (const c of part.cf) {
      const title = titles.get(c.number);
      if (title === undefined) {
        missing.push(c);
        continue;
      }
      if (title !== c.title) {
        diags.warn('cross-reference-title', `Policy ${policy.number} cites ${c.number} as "${c.title}", but its title is "${title}"`, {
          file: policy.file.path,
          at: { pointer: `${c.pointer}/title`, ...(c.at ? { span: c.at.title } : {}) },
          expected: title,
          actual: c.title,
          hint: 'One of the two titles is out of date; correct the cross-reference (a recorded deviation for a publisher\'s policy) or the policy title.',
        });
      }
    }
  }
  if (missing.length) reportMissing(policy, missing, diags);
}

/** Where a cross-reference's number is: its range, when noted before the file's positions were let go. */
function numberPlace(c: CrossReference): Place {
  return { pointer: `${c.pointer}/number`, ...(c.at ? { span: c.at.number } : {}) };
}

function reportMissing(policy: Policy, missing: CrossReference[], diags: Diagnostics): void {
  const first = missing[0]!;
  const numbers = missing.map((c) => c.number);
  diags.warn(
    'missing-cross-reference',
    missing.length === 1
      ? `Policy ${policy.number} cross-references policy ${first.number}, which is not in the manual`
      : `Policy ${policy.number} cross-references ${missing.length} policies that are not in the manual: ${numbers.join(', ')}`,
    {
      file: policy.file.path,
      at: numberPlace(first),
      hint: 'They are printed as plain text, without a link. Add the policies to the manual, or record a deviation that removes the reference.',
      related: missing.slice(1).map((c) => ({ file: policy.file.path, at: numberPlace(c), message: `cf. ${c.number}` })),
    },
  );
}
