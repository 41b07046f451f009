// What parsing a YAML file gives: its data, and where each value is.
import type { Range } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../model/source.js';

export interface Spans {
  /** Range of the key (for map entries). */
  key?: Range;
  /** Range of the value. */
  value: Range;
}

export interface ParsedFile {
  file: SourceFile;
  /** Fast lookup of one path's span, when the parser can answer without building all of them. */
  find?: (pointer: string) => Spans | undefined | null;
  /** Plain data: objects, arrays, strings, numbers, booleans, null. */
  data: unknown;
  /** JSON-pointer path ('' is the root, '/policies/5142.4/alternatives') → ranges. */
  spans: Map<string, Spans>;
  /** Raw source of scalars whose typed value lost information (e.g. number 5131.60). */
  raw: Map<string, string>;
  /**
   * Let go of the data and the position index once the file is validated: a
   * large manual then holds its models, not two trees per file. A position
   * asked for later is found by reading the file's text once more.
   */
  release?: () => void;
}
