// What a build is asked to do (BuildRequest) and what it gives (BuildPlan):
// the types between the build's steps and its callers.
import type { BuildCache, CachedPage } from '../incremental/cache.js';
import type { Locate } from '../diagnostics/diagnostic.js';
import type { InputStamp } from '../read/files.js';
import type { DistrictConfig, Document, Edition, Format, Policy } from '../model/model.js';
import type { IndexEntry } from '../render/render.js';
import type { LoadMemo } from './shard.js';
import type { OutputFile } from '../write/write.js';

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
    intact: (outDir: string, files: readonly CachedPage[], refreshed?: { count: number }) => boolean;
    /**
     * The lock file's bytes, when there is one. Policies whose clause files are
     * unchanged take their lock entries from it (see SettledPolicy) and are not
     * parsed; without it every clause file is parsed.
     */
    readLock?: () => Uint8Array | undefined;
    /**
     * The stamps of the input files as this build's no-change check found
     * them (content hashes included): a settled clause file whose hash there is
     * the cached one is not read again (SettledLoad.stamp).
     */
    known?: ReadonlyMap<string, InputStamp>;
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


