// Where a policy or a config came from: files as values, never parse trees.
// Positions in them are places (diagnostics/diagnostic.ts), resolved to
// offsets by the stage that holds the trees.

/** What proves a file unchanged without reading it (see incremental/stamp.ts). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** Change time: set by every write, rename and `touch`; nothing can set it back. */
  ctimeMs: number;
  ino: number;
  /** When the stamp was taken (this machine's clock, milliseconds), just before the file was looked at. */
  at: number;
}

/** What a build knew of an input file: its content hash, and its stamp when it was read. */
export interface InputStamp extends FileStamp {
  hash: string;
}

/** A file that was read: its path as diagnostics show it, its absolute path, and its content hash and stamp. */
export interface SourceRef {
  /** Path as shown to the user (relative to the working directory when possible). */
  path: string;
  absPath: string;
  /** sha256 of the file's bytes, and its stamp before it was read: the no-change check's record. */
  stamp?: InputStamp;
}

/** A file that was read, with its text. */
export interface SourceFile extends SourceRef {
  text: string;
}

/** The file as a reference, without its text. */
export function sourceRef(file: SourceRef): SourceRef {
  return { path: file.path, absPath: file.absPath, ...(file.stamp ? { stamp: file.stamp } : {}) };
}
