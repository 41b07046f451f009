// Settled clause files: those the build cache describes, taken as they were
// without being parsed. A settled file is read and hashed, or not even read
// when the no-change check's stamp proves its text is the cached one; while
// its text is what the cache says, what loading and adopting it reported comes
// from the cache (located, with the lines its code frames show), and its pages
// too when nothing they depend on changed (renderKey). A shard asks here
// first, and reads and parses the file (unsettle) only when a step needs the
// policy itself.
import type { AdoptedPolicy, LoadedFile, LoadItem, RenderedPolicy, RenderItem, SettledLoad, SharedMaps } from '../build/shard-steps.js';
import type { Diagnostic, Diagnostics } from '../diagnostics/diagnostic.js';
import { sha256 } from '../model/hash.js';
import type { Policy } from '../model/model.js';
import type { SourceFile } from '../model/source.js';
import { type CachedPage, type SettledPolicy } from './cache.js';
import { renderKey } from './keys.js';
import { sparseText } from '../diagnostics/reporters.js';

interface Held {
  /** The file as read; undefined while it is known by its stamp alone (SettledLoad.stamp). */
  file: SourceFile | undefined;
  shown: string;
  data: SettledLoad;
  /** The shard lets go of parse trees (a large manual): so it does if it parses this file after all. */
  release: boolean;
  /** Its adopt step was answered from the cache: parsing it after all means adopting it too. */
  adopted: boolean;
}

export class SettledFiles {
  private readonly files = new Map<string, Held>();
  /**
   * What loading and adopting each policy reported, kept for its settled entry
   * in the next build's cache; undefined when this build keeps no cache.
   */
  readonly loaded: Map<string, Diagnostic[]> | undefined;
  readonly adopted: Map<string, Diagnostic[]> | undefined;

  constructor(keep: boolean) {
    this.loaded = keep ? new Map() : undefined;
    this.adopted = keep ? new Map() : undefined;
  }

  /** load: a clause file whose text is what the cache describes, shown under the same path, is taken as settled. */
  take(path: string, item: LoadItem, file: SourceFile, release: boolean, diags: Diagnostics): LoadedFile | undefined {
    const settled = item.settled;
    if (!settled || file.stamp?.hash !== settled.hash || file.path !== settled.shown || settled.path !== path) return undefined;
    this.files.set(path, { file, shown: file.path, data: settled, release, adopted: false });
    diags.addAll(settled.loaded);
    return { path, number: settled.number, variables: settled.variables, stamp: file.stamp, settled: true, ...(this.loaded && settled.loaded.length === 0 ? { quiet: true } : {}) };
  }

  /**
   * load, before reading: a clause file whose stamp proves it holds the text
   * the cache describes, shown under the same path, is taken as settled
   * without being read. Its cached diagnostics are located already; the lines
   * their code frames show come from the cache too.
   */
  takeUnread(path: string, item: LoadItem, shown: string, release: boolean, diags: Diagnostics): LoadedFile | undefined {
    const settled = item.settled;
    if (!settled?.stamp || settled.stamp.hash !== settled.hash || shown !== settled.shown || settled.path !== path) return undefined;
    this.files.set(path, { file: undefined, shown, data: settled, release, adopted: false });
    diags.addAll(settled.loaded);
    if (settled.policy?.lines !== undefined) diags.addSource(shown, sparseText(settled.policy.lines));
    return { path, number: settled.number, variables: settled.variables, stamp: settled.stamp, settled: true, ...(this.loaded && settled.loaded.length === 0 ? { quiet: true } : {}) };
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The path a settled file is shown under. */
  shown(path: string): string | undefined {
    return this.files.get(path)?.shown;
  }

  /**
   * A settled file to be parsed after all, taken out of this set, with what
   * its cache entry reported of loading it; `read` reads one known so far by
   * its stamp alone. `changed`: the text read is not the one the cache
   * describes (the file changed during this build), so what parsing it
   * reports is news.
   */
  unsettle(path: string, read: (path: string, shown: string) => SourceFile | undefined): { file: SourceFile; release: boolean; adopted: boolean; changed: boolean } | undefined {
    const s = this.files.get(path);
    if (!s) return undefined;
    this.files.delete(path);
    const file = s.file ?? read(path, s.shown);
    if (!file) return undefined;
    const changed = file.stamp?.hash !== s.data.hash;
    if (!changed) this.loaded?.set(path, s.data.loaded);
    return { file, release: s.release, adopted: s.adopted, changed };
  }

  /**
   * adopt: a settled policy's title and cross-references as adopted, from the
   * cache; 'parse' for a settled file known only as loaded (outside the last
   * manual); undefined for a file that is not settled.
   */
  adopt(path: string, diags: Diagnostics): AdoptedPolicy | 'parse' | undefined {
    const s = this.files.get(path);
    if (!s) return undefined;
    const settled = s.data.policy;
    if (!settled) return 'parse';
    s.adopted = true;
    diags.addAll(settled.adopted);
    return { number: s.data.number, title: settled.title, cf: settled.cf.map(([number]) => ({ number })) };
  }

  /**
   * render: a settled policy whose pages are on disk as the cache describes
   * them: its diagnostics and lock entry come from the cache and the lock
   * file, and its clause file is never parsed. Undefined when its pages must
   * be rendered again.
   */
  render(item: RenderItem, shared: SharedMaps, intact: ((outDir: string, files: readonly CachedPage[], refreshed?: { count: number }) => boolean) | undefined, diags: Diagnostics): RenderedPolicy | undefined {
    const data = this.files.get(item.path)?.data;
    const cached = item.cached;
    if (!data || !shared.buildKey || !cached || !item.lock || !data.policy) return undefined;
    const key = renderKey(shared, data.hash, item, shared.formats.get(data.number)!, data.policy.cf);
    // A page found intact by its hash gets the stamp it has now (refreshed), which the next build records.
    if (cached.key !== key || !intact?.(shared.outDir, cached.files, { count: 0 })) return undefined;
    diags.addAll(data.policy.linked);
    diags.addAll(cached.diagnostics);
    return {
      number: data.number,
      files: cached.files.map((f) => ({ kind: 'cached', name: f.name, hash: f.hash })),
      lock: item.lock,
      used: cached.used,
      index: cached.index,
      cache: cached,
      rendered: false,
      settled: true,
    };
  }

  /** What the next build needs to take this policy as settled; undefined when anything before assembling reported an error. */
  entry(path: string, sample: Policy, title: string, cf: [string, string][], linked: Diagnostic[], lock: Uint8Array): SettledPolicy | undefined {
    const stamp = sample.file.stamp;
    const loaded = this.loaded?.get(path);
    const adopted = this.adopted?.get(path);
    if (!stamp || !loaded || !adopted) return undefined;
    if (loaded.some(isError) || adopted.some(isError) || linked.some(isError)) return undefined;
    return { path, shown: sample.file.path, hash: stamp.hash, variables: [...sample.variables.keys()], title, cf, loaded, adopted, linked, lock: sha256(lock) };
  }

  /** The policy is rendered: nothing of it is needed any more. */
  forget(path: string): void {
    this.files.delete(path);
    this.loaded?.delete(path);
    this.adopted?.delete(path);
  }
}

const isError = (d: Diagnostic) => d.severity === 'error';
