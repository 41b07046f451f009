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
import { checkReach, effectiveSelections } from '../assemble/reach.js';
import { withLibrarySettings } from '../assemble/library.js';
import { checkRules } from '../assemble/conditions.js';
import { applyDeviations, type DeviationResult } from '../assemble/deviations.js';
import { Diagnostics, type Locate } from '../diagnostics/diagnostic.js';
import { lockPolicyBytes } from '../lock/lock.js';
import type { Policy, PolicySettings } from '../model/model.js';
import { displayPath, loadText, type SourceFile } from '../read/files.js';
import { parseAndValidate, releasePositions, type LoadedPolicy } from '../read/clause-file.js';
import { placeIn, SourceTrees } from '../read/trees.js';
import { scanPolicyNumber, spanAt } from '../read/yaml.js';
import { unitsOf } from '../redline/redline.js';
import { indexEntry, renderPage, writesPages, type RenderContext } from '../render/render.js';
import { pageName } from '../render/pages.js';
import { checkLinks } from '../assemble/cross-references.js';

export { pageName };
import { selectChoices } from '../assemble/select.js';
import { sha256 } from '../model/hash.js';
import { outputHash, type OutputFile } from '../write/write.js';
import { forgetOthers, loadMemoized } from '../incremental/memo.js';
import { renderKey } from '../incremental/keys.js';
import { SettledFiles } from '../incremental/settled.js';

import type { AdoptedPolicy, LoadedFile, LoadItem, RenderedPolicy, RenderItem, SharedMaps, ShardContext, Step, StepReply } from './shard-steps.js';

export type * from './shard-steps.js';

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
  /** Writes a page aside, from the first rendered page on (null: pages are not written aside). */
  private stage: ((file: OutputFile) => OutputFile) | null | undefined;
  /** The manual's titles, formats and index names for the render step under way. */
  private shared: SharedMaps | undefined;
  /**
   * Clause files taken as settled: read and hashed but not parsed, their
   * diagnostics reported from the cache (incremental/settled.ts). One is
   * parsed after all when a later step needs the policy itself.
   */
  private readonly settled: SettledFiles;
  /** Clause files left out of the manual unparsed (LoadItem.optional), with their text for a later step that needs them after all. */
  private readonly skipped = new Map<string, SourceFile>();
  /** The numbers the config lists, once a load step needs them. */
  private listed: Set<string> | undefined;
  /** Parse trees of the config and of the clause files this shard holds: the places of its diagnostics are resolved in them. */
  private readonly trees = new SourceTrees();

  constructor(private readonly ctx: ShardContext) {
    // Diagnostics are kept per policy for the next build's cache when the build is incremental.
    this.settled = new SettledFiles(ctx.intact !== undefined);
  }

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
        if (this.ctx.memo && step.total === undefined && !step.items.some((i) => i.full)) forgetOthers(this.ctx.memo, step.items.map((i) => i.path));
        break;
      }
      case 'span':
        results = step.items.map((i) => {
          const p = this.policies.get(i.path) ?? this.unsettle(i.path, diags) ?? this.parseSkipped(i.path);
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
            const shown = this.policies.get(i.path)?.file.path ?? this.settled.shown(i.path)!;
            rendered.push(shown);
            this.trees.delete(shown);
            this.adopted.delete(i.path);
            this.policies.delete(i.path);
            this.settled.forget(i.path);
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

  private load(item: LoadItem, release: boolean, diags: Diagnostics): LoadedFile {
    const { path } = item;
    let loaded: { policy?: LoadedPolicy; broken?: string };
    const { memo } = this.ctx;
    const left = item.full ? this.skipped.get(path) : undefined;
    if (left) {
      this.skipped.delete(path);
      loaded = memo ? loadMemoized(memo, path, left, release, diags, this.settled.loaded) : this.parse(path, left, release, diags);
    } else {
      const shown = displayPath(path, this.ctx.cwd);
      // Proven unchanged by its stamp: not even read (a rebuild after one policy changed reads that one).
      const unread = memo ? undefined : this.settled.takeUnread(path, item, shown, release, diags);
      if (unread) return unread;
      const file = loadText(path, shown, diags);
      if (!file) {
        memo?.delete(path);
        return { path };
      }
      // The text the cache describes, shown under the same path: its diagnostics are the cache's, and parsing can wait.
      const settled = memo ? undefined : this.settled.take(path, item, file, release, diags);
      if (settled) return settled;
      if (item.optional && !item.full) {
        const number = scanPolicyNumber(file.text);
        this.listed ??= new Set(this.ctx.config.policies.map((s) => s.number));
        if (number !== undefined && !this.listed.has(number)) {
          this.skipped.set(path, file);
          memo?.delete(path);
          return { path, number, ...(file.stamp ? { stamp: file.stamp } : {}), skipped: true };
        }
      }
      loaded = memo ? loadMemoized(memo, path, file, release, diags, this.settled.loaded) : this.parse(path, file, release, diags);
    }
    const { policy: read, broken } = loaded;
    if (!read) return broken !== undefined ? { path, broken } : { path };
    const { policy } = this.hold(path, read);
    const quiet = this.settled.loaded?.get(path)?.length === 0;
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
    this.settled.loaded?.set(path, local.items);
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
  private unsettle(path: string, diags: Diagnostics): Policy | undefined {
    const s = this.settled.unsettle(path, (abs, shown) => loadText(abs, shown, diags));
    if (!s) return undefined;
    // Read only now (it was known by its stamp): later steps' code frames show its whole text.
    this.sources.set(s.file.path, s.file.text);
    diags.addSource(s.file.path, s.file.text);
    // A file that changed during the build is news: what it reports now is reported.
    const quiet = s.changed ? diags : new Diagnostics(this.locate);
    const read = parseAndValidate(s.file, quiet);
    if (!read) {
      if (!s.changed) throw new Error(`${s.file.path} was settled in the cache but does not load`);
      return undefined;
    }
    if (s.release) releasePositions(read);
    this.hold(path, read);
    if (s.adopted) this.adopt(path, quiet);
    return read.policy;
  }

  private adopt(path: string, diags: Diagnostics): AdoptedPolicy {
    const settled = this.settled.adopt(path, diags);
    if (settled === 'parse') this.unsettle(path, diags);
    else if (settled) return settled;
    const { config, edition } = this.ctx;
    const sample = this.policies.get(path);
    // Gone or broken since the build began (reported): nothing to adopt.
    if (!sample) return { number: '', title: '', cf: [] };
    this.settings ??= new Map(config.policies.map((s) => [s.number, s]));
    const settings = this.settings.get(sample.number);
    // The sample edition is the publisher's text, so deviations do not apply to it;
    // its settings are still checked, so `check --edition sample` catches the same mistakes.
    const local = new Diagnostics(this.locate);
    const deviated = applyDeviations(sample, settings, config, local);
    forward(local, diags);
    this.settled.adopted?.set(path, local.items);
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
    if (this.settled.has(item.path)) {
      const reused = this.settled.render(item, shared, this.ctx.intact, diags);
      if (reused) return reused;
      this.unsettle(item.path, diags);
    }
    const { config, edition, draft } = this.ctx;
    const adopted = this.adopted.get(item.path);
    // Gone or broken since the build began (reported): no pages.
    if (!adopted) return { number: '', files: [], lock: new Uint8Array(), used: [], index: { number: '', title: '', series: { number: '', title: '' }, kind: 'policy', history: [] }, rendered: false };
    const { sample, settings, deviated } = adopted;
    const policy = deviated?.policy ?? sample;
    const linked = new Diagnostics(this.locate);
    checkLinks(policy, shared.titles, linked);
    // What the edition holds: an option inside text the selection removes counts as left out (when:, rules:).
    const selections = effectiveSelections(sample, selectChoices(policy, settings, config, { draft }, linked));
    checkReach(sample, settings, selections, config, linked);
    checkRules(sample, settings, selections, config, linked);
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
        const settled = this.settled.entry(item.path, sample, policy.title, cf, linked.items, lock);
        return {
          number: policy.number,
          files: cached.files.map((f) => ({ kind: 'cached', name: f.name, hash: f.hash })),
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
    // As its library prints it: labels, markers and list punctuation from library.yaml under the file's own.
    const printed = withLibrarySettings(policy, item.library);
    const document = assemble(
      {
        policy: printed,
        edition,
        ...(edition === 'sample' ? {} : { selections }),
        config,
        history: settings?.history ?? [],
        draft,
        ...(deviated ? { notes: deviated.notes, general: deviated.general } : {}),
      },
      local,
    );
    if (edition !== 'sample') checkDocument(document, printed, config, settings, draft, local);
    let files: OutputFile[] = [];
    for (const format of myFormats) {
      if (!writesPages(format)) continue;
      const context: RenderContext = {
        // A link only to pages that exist: the target must be in the manual and written in this format.
        link: (n) => (shared.titles.has(n) && shared.formats.get(n)?.includes(format) ? pageName(n, edition, format) : undefined),
        referencedBy: item.backlinks,
        index: shared.index.get(format),
        sentencePerLine: config.sentencePerLine,
        ...(config.docxReference ? { docxStyles: config.docxReference.styles } : {}),
      };
      const content = renderPage(format, document, this.ctx.policyTemplates.get(format), context, local);
      if (content !== undefined) files.push({ kind: 'content', name: pageName(policy.number, edition, format), content, hash: sha256(content) });
    }
    diags.addAll(local.items);
    for (const [file, text] of local.sources) diags.addSource(file, text);
    // Hashed while the texts are here: the cache entry names each page by its hash.
    const pages = files.map((f) => ({ name: f.name, hash: outputHash(f) }));
    if (shared.stage && !local.hasErrors()) {
      this.stage ??= this.ctx.stager?.(shared.stage.folder, shared.stage.force) ?? null;
      const stage = this.stage;
      if (stage) files = files.map((f) => stage(f));
    }
    if (shared.dropPages) files = files.map((f) => ({ kind: 'dropped', name: f.name }));
    const lock = lockPolicyBytes(sample, item.libraryName, deviated?.applied ?? []);
    const used = [...new Set(unitsOf(document).map((u) => u.key).filter((k) => /^(block|item|lead-in):/.test(k)))];
    const index = indexEntry(document);
    const settled = shared.buildKey && !local.hasErrors() ? this.settled.entry(item.path, sample, policy.title, cf, linked.items, lock) : undefined;
    return {
      number: policy.number,
      ...(this.ctx.keepDocuments ? { document, sample } : {}),
      files,
      lock,
      used,
      index,
      ...(shared.buildKey && !local.hasErrors()
        ? { cache: { key, files: pages, diagnostics: local.items, index, used, ...(settled ? { settled } : {}) } }
        : {}),
      rendered: true,
    };
  }
}


/** One step's diagnostics, collected apart, join the shard's. */
function forward(from: Diagnostics, to: Diagnostics): void {
  to.addAll(from.items);
  for (const [file, text] of from.sources) to.addSource(file, text);
}

