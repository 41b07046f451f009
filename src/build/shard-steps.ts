// The steps a shard answers (load, span, adopt, render) and what goes with
// them: the messages between the build's calling thread and its shards.
import { type CachedPage, type CachedPolicy, type SettledPolicy } from '../incremental/cache.js';
import { type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, Document, Edition, Format, LibrarySettings, Policy } from '../model/model.js';
import { type InputStamp } from '../read/files.js';
import { type ParsedFile } from '../read/yaml.js';
import { type IndexEntry } from '../render/render.js';
import type { FormatTemplates } from '../render/templates.js';
import { type OutputFile } from '../write/write.js';
import type { LoadMemo } from '../incremental/memo.js';

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
  intact?: (outDir: string, files: readonly CachedPage[], refreshed?: { count: number }) => boolean;
  /** Clause files loaded by earlier builds of this process (build --watch): see LoadMemo. */
  memo?: LoadMemo;
  /**
   * Pages are written aside as they are rendered (a build that writes): the
   * writer gives a function that stages one page in the folder it opened.
   */
  stager?: (folder: string, force: boolean) => ((file: OutputFile) => OutputFile) | undefined;
}

export type { LoadMemo };

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
  /**
   * The file's stamp as this build's no-change check found it, when that
   * proves the text is the one the cache describes (stamp.ts): the shard then
   * need not read the file at all, unless a later step needs the policy itself.
   */
  stamp?: InputStamp;
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
  /** Its library's library.yaml, when it has one. */
  library?: LibrarySettings;
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
export type SharedMaps = Omit<RenderShared, 'titles' | 'formats' | 'index'> & { titles: Map<string, string>; formats: Map<string, Format[]>; index: Map<Format, string> };

export interface StepReply {
  results: unknown[];
  diagnostics: Diagnostic[];
  /** Text of the files the diagnostics point into. */
  sources: [string, string][];
}
