// parse: YAML text → plain data plus a map from each value's path to its source
// range, so later stages can point at the exact key or value they complain
// about. Two parsers behind one function: a fast one for the well-formed files
// of a large library (yaml-fast.ts), an exact one for the rest (yaml-exact.ts).
import type { Diagnostics, Range } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../model/source.js';
import { parseYamlExact } from './yaml-exact.js';
import { fastParse } from './yaml-fast.js';
import type { ParsedFile, Spans } from './parsed-file.js';

export { pointerJoin, pointerSplit } from '../model/pointer.js';
export { MAX_DEPTH, MAX_NODES } from './yaml-limits.js';
export { needsExactParser, scanPolicyNumber } from './yaml-scan.js';
export { parseYamlExact };
export type { Range };

export type { ParsedFile, Spans };

/**
 * Parse a YAML file. Well-formed files take a fast path (js-yaml, much faster
 * than yaml's CST parser: docs/performance.md); the positions of their
 * values are worked out with yaml only when a diagnostic asks for one. Anything
 * unusual (aliases, special keys, numeric keys, any parse error) goes straight
 * to the exact parser, which reports problems at their line and column.
 */
export function parseYaml(file: SourceFile, diags: Diagnostics): ParsedFile | undefined {
  return fastParse(file) ?? parseYamlExact(file, diags);
}

/** The span of a path, falling back to the nearest ancestor that has one. */
export function spanAt(parsed: ParsedFile, pointer: string, part: 'key' | 'value' = 'value'): Range {
  let p = pointer;
  for (;;) {
    const found = parsed.find?.(p);
    const s = found === null || (found === undefined && !parsed.find) ? parsed.spans.get(p) : found;
    if (s) return (part === 'key' ? (s.key ?? s.value) : s.value) ?? [0, 0];
    if (p === '') return [0, 0];
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
