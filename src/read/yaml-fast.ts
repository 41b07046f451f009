// The fast path of parse: js-yaml for well-formed files, with the positions of
// their values worked out from js-yaml's parse events only when a diagnostic
// asks for one (Frames), and the exact parser behind it for anything else.
import jsyaml from 'js-yaml';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../model/source.js';
import { parseYamlExact } from './yaml-exact.js';
import { pointerJoin, pointerSplit } from '../model/pointer.js';
import { flowTooDeep, GT, HASH, isBlank, isSpace, LBRACE, LBRACKET, needsExactParser, PIPE, PLUS, SPACE, TAB } from './yaml-scan.js';
import type { Range } from '../diagnostics/diagnostic.js';
import type { ParsedFile, Spans } from './parsed-file.js';

export function fastParse(file: SourceFile): ParsedFile | undefined {
  const { text } = file;
  if (needsExactParser(text) || flowTooDeep(text) !== undefined) return undefined;
  let data: unknown;
  let frames: Frames | undefined;
  try {
    ({ data, frames } = Frames.parse(text));
  } catch {
    return undefined;
  }
  let released = false;
  const index = (): Frames | undefined => {
    if (released) {
      frames = Frames.parse(text).frames;
      released = false;
    }
    return frames;
  };
  if (data === null || data === undefined || typeof data !== 'object') return undefined;
  let exact: ParsedFile | undefined | null = null;
  const load = (): ParsedFile | undefined => {
    if (exact === null) exact = parseYamlExact(file, new Diagnostics());
    return exact;
  };
  let spans: Map<string, Spans> | undefined;
  const parsed: ParsedFile = {
    file,
    data,
    find: (pointer) => {
      if (spans) return spans.get(pointer);
      const f = index();
      return f ? f.find(text, pointer) : null;
    },
    // Positions come from js-yaml's parse events, built on first use; when they
    // cannot be matched to the data, the exact parser provides them instead.
    get spans() {
      spans ??= index()?.spans(text) ?? load()?.spans ?? new Map<string, Spans>();
      return spans;
    },
    get raw() {
      return load()?.raw ?? new Map<string, string>();
    },
    release: () => {
      frames = undefined;
      spans = undefined;
      released = true;
      parsed.data = null;
    },
  };
  return parsed;
}

/**
 * The end of the comment line at `from` (its line break included), when the
 * "#" is indented more than `column`. Looks at most 10,000 characters ahead,
 * as the regular expression it replaces did, so positions stay as they were.
 */
function deeperComment(text: string, from: number, column: number): number | undefined {
  const limit = Math.min(from + 10_000, text.length);
  let p = from;
  while (p < limit && isBlank(text.charCodeAt(p))) p++;
  if (p >= limit || text.charCodeAt(p) !== HASH || p - from <= column) return undefined;
  const nl = text.indexOf('\n', p);
  return nl >= 0 && nl < limit ? nl + 1 : limit;
}

const SCALAR = 1;
const MAPPING = 2;
const SEQUENCE = 3;
const KINDS: Partial<Record<string, number>> = { scalar: SCALAR, mapping: MAPPING, sequence: SEQUENCE };

// The fields of a node in Frames' `nodes`.
const START = 0;
const END = 1;
const KIND = 2;
const FIRST_CHILD = 3;
const CHILD_COUNT = 4;
const FIELDS = 5;

/** Whether the block scalar header at `start` ("|+", ">2+", "|+1") asks to keep trailing empty lines. */
function keepsTrailingLines(text: string, start: number): boolean {
  for (let i = start + 1; i < start + 3 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PLUS) return true;
    if (c < 49 || c > 57) return false;
  }
  return false;
}

/**
 * js-yaml's parse events as a tree of nodes with source positions. Every
 * parsed file keeps its tree for the whole build (any stage may ask for a
 * position), so the nodes are records in one Int32Array rather than an object
 * and an array each, which took more memory than the parsed data itself.
 * Nodes are numbered in the order they close, children before their parent.
 */
class Frames {
  private constructor(
    private readonly nodes: Int32Array,
    /** js-yaml's value of each node: keys are matched by it, sequences checked against it. */
    private readonly results: readonly unknown[],
    /** Node n's children are CHILD_COUNT entries of this from FIRST_CHILD. */
    private readonly children: Int32Array,
    private readonly root: number,
  ) {}

  /** Parse with js-yaml and record the tree (undefined when the events do not close into one). */
  static parse(text: string): { data: unknown; frames: Frames | undefined } {
    const nodes = new GrowingInts();
    const children = new GrowingInts();
    const results: unknown[] = [];
    // Open nodes: where each starts, and where its closed children begin in `pending`.
    const openStarts: number[] = [];
    const openFrom: number[] = [];
    const pending: number[] = [];
    let top = 0;
    const listener = (type: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }) => {
      if (type === 'open') {
        openStarts.push(state.position);
        openFrom.push(top);
        return;
      }
      const start = openStarts.pop();
      const from = openFrom.pop();
      if (start === undefined || from === undefined) return;
      const count = top - from;
      top = from;
      // js-yaml opens some nodes twice (a block sequence entry, a flow collection in a
      // block mapping); keep one node.
      const only = pending[from]!;
      if (count === 1 && results[only] === state.result && nodes.at(only * FIELDS + END) === state.position) {
        nodes.set(only * FIELDS + START, Math.min(nodes.at(only * FIELDS + START), start));
        pending[top++] = only;
        return;
      }
      const node = results.push(state.result) - 1;
      nodes.push(start);
      nodes.push(state.position);
      nodes.push((state.kind !== null && KINDS[state.kind]) || 0);
      nodes.push(children.length);
      nodes.push(count);
      for (let i = from; i < from + count; i++) children.push(pending[i]!);
      pending[top++] = node;
    };
    const data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: false, listener });
    const frames = openStarts.length === 0 && top > 0 ? new Frames(nodes.trimmed(), results, children.trimmed(), pending[0]!) : undefined;
    return { data, frames };
  }

  private field(node: number, field: number): number {
    return this.nodes[node * FIELDS + field]!;
  }

  private child(node: number, i: number): number {
    return this.children[this.field(node, FIRST_CHILD) + i]!;
  }

  private range(text: string, node: number): Range {
    const nodeEnd = this.field(node, END);
    const kind = this.field(node, KIND);
    const count = this.field(node, CHILD_COUNT);
    let start = this.field(node, START);
    while (start < nodeEnd && isSpace(text.charCodeAt(start))) start++;
    const trimEnd = (from: number, end: number) => {
      let e = end;
      while (e > from && isSpace(text.charCodeAt(e - 1))) e--;
      return e;
    };
    const first = text.charCodeAt(start);
    const block = (kind === MAPPING || kind === SEQUENCE) && first !== LBRACE && first !== LBRACKET;
    if (kind === SCALAR && (first === PIPE || first === GT)) {
      // "Keep" chomping (|+, >+, |2+) makes the empty lines after the last line part of
      // the value, and yaml ends the scalar after them: at the start of the next line with content.
      if (keepsTrailingLines(text, start)) {
        let end = nodeEnd;
        while (end > start && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end--;
        if (text[end - 1] === '\n') return [start, end];
      }
      // A block scalar ends with the line break after its last line.
      const end = trimEnd(start, nodeEnd);
      return [start, text[end] === '\n' ? end + 1 : text.startsWith('\r\n', end) ? end + 2 : end];
    }
    if (!block || count === 0) return [start, trimEnd(start, nodeEnd)];
    // yaml ends a block mapping or sequence with the line of its last value,
    // a comment on that line and its line break included; comment lines after it are not.
    const lastEnd = this.range(text, this.child(node, count - 1))[1];
    let end = text[lastEnd - 1] === '\n' ? lastEnd : text.indexOf('\n', lastEnd) < 0 ? text.length : text.indexOf('\n', lastEnd) + 1;
    // Comment lines indented deeper than the collection still belong to it.
    const column = start - (text.lastIndexOf('\n', start - 1) + 1);
    for (let next = deeperComment(text, end, column); next !== undefined; next = deeperComment(text, end, column)) end = next;
    return [start, end];
  }

  /** Whether a sequence node has one child per item of its value. */
  private sequenceComplete(node: number): boolean {
    const result = this.results[node];
    return Array.isArray(result) && this.field(node, CHILD_COUNT) === result.length;
  }

  /**
   * The span of one path, found by walking down the tree: a diagnostic needs
   * one position, not the whole map. Undefined when the path does not exist;
   * null when the events do not match the data (the exact parser decides).
   */
  find(text: string, pointer: string): Spans | undefined | null {
    let node = this.root;
    let key: Range | undefined;
    for (const segment of pointerSplit(pointer)) {
      const kind = this.field(node, KIND);
      const count = this.field(node, CHILD_COUNT);
      if (kind === MAPPING) {
        if (count % 2 !== 0) return null;
        let next: number | undefined;
        for (let i = 0; i < count; i += 2) {
          const k = this.child(node, i);
          if (String(this.results[k]) === segment) {
            key = this.range(text, k);
            next = this.child(node, i + 1);
          }
        }
        if (next === undefined) return undefined;
        node = next;
      } else if (kind === SEQUENCE) {
        if (!this.sequenceComplete(node)) return null;
        const i = /^\d+$/.test(segment) ? Number(segment) : count;
        if (i >= count) return undefined;
        key = undefined;
        node = this.child(node, i);
      } else return undefined;
    }
    return key ? { key, value: this.range(text, node) } : { value: this.range(text, node) };
  }

  spans(text: string): Map<string, Spans> | undefined {
    const out = new Map<string, Spans>();
    const range = (node: number) => this.range(text, node);
    const walk = (node: number, pointer: string, key?: Range): boolean => {
      out.set(pointer, key ? { key, value: range(node) } : { value: range(node) });
      const kind = this.field(node, KIND);
      const count = this.field(node, CHILD_COUNT);
      if (kind === MAPPING) {
        if (count % 2 !== 0) return false;
        for (let i = 0; i < count; i += 2) {
          const k = this.child(node, i);
          const result = this.results[k];
          if (typeof result !== 'string' && typeof result !== 'number' && typeof result !== 'boolean') return false;
          if (!walk(this.child(node, i + 1), pointerJoin(pointer, String(result)), range(k))) return false;
        }
        return true;
      }
      if (kind === SEQUENCE) {
        if (!this.sequenceComplete(node)) return false;
        for (let i = 0; i < count; i++) if (!walk(this.child(node, i), pointerJoin(pointer, i))) return false;
        return true;
      }
      return count === 0;
    };
    return walk(this.root, '') ? out : undefined;
  }
}

/** An Int32Array that doubles as it fills. */
class GrowingInts {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** A copy of exactly the values pushed. */
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

