// build --watch: what loading each clause file gave, kept by a process that
// builds again and again, so that a rebuild parses and validates again only
// the files whose text changed.
import { Diagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../model/source.js';
import { parseAndValidate, releasePositions, type LoadedPolicy } from '../read/clause-file.js';

/**
 * By absolute path. Loading depends on nothing but the file's text, and later
 * steps never change a loaded policy (deviations apply to a copy).
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

/**
 * A clause file as loaded before, when its text is the same (its diagnostics
 * replayed into `diags`); parsed and remembered otherwise. `loadedDiags` is
 * told what loading it reported, for the build cache.
 */
export function loadMemoized(
  memo: LoadMemo,
  path: string,
  file: SourceFile,
  release: boolean,
  diags: Diagnostics,
  loadedDiags?: Map<string, Diagnostic[]>,
): { policy?: LoadedPolicy; broken?: string } {
  let entry = memo.get(path);
  if (!entry || !file.stamp || entry.hash !== file.stamp.hash) {
    const local = new Diagnostics();
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
  if (loadedDiags && entry.loaded) loadedDiags.set(path, entry.diagnostics);
  if (entry.loaded && release && !entry.released) {
    releasePositions(entry.loaded);
    entry.released = true;
  }
  return { ...(entry.loaded ? { policy: entry.loaded } : {}), ...(entry.broken !== undefined ? { broken: entry.broken } : {}) };
}

/** Files no longer in the libraries leave the memo. */
export function forgetOthers(memo: LoadMemo, paths: Iterable<string>): void {
  const now = new Set(paths);
  for (const path of memo.keys()) if (!now.has(path)) memo.delete(path);
}
