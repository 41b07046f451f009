// parse: YAML text → plain data plus a map from each value's path to its source
// range, so later stages can point at the exact key or value they complain about.
import { createRequire } from 'node:module';
import jsyaml from 'js-yaml';
import type { Node as YamlNode } from 'yaml';
import { Diagnostics, type Related } from '../diagnostics/diagnostic.js';

// The exact parser is needed only for unusual or broken files: load it then.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));
import type { SourceFile } from './files.js';

export type Range = readonly [number, number];

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

/** Nesting deeper than this is never a real policy; refuse it before it costs stack. */
export const MAX_DEPTH = 64;
/** Aliases may be used, but an expansion past this many nodes is a "billion laughs" bomb. */
export const MAX_NODES = 200_000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

import { pointerJoin, pointerSplit } from '../model/pointer.js';

export { pointerJoin, pointerSplit };

const YAML_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'YAML indents with spaces only. Replace the tab characters at the start of the line with spaces.',
  DUPLICATE_KEY: 'Each key may appear once in a mapping. Remove or merge the repeated key.',
  BAD_INDENT: 'Line up this line with the other entries of the same list or mapping.',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; a missing ":" or quote often causes this.',
  MISSING_CHAR: 'A closing quote or bracket is missing.',
  BLOCK_AS_IMPLICIT_KEY: 'A missing ":" after a key often causes this.',
  UNEXPECTED_TOKEN: 'Check for a stray character, a missing ":" or text that needs quotes.',
  MULTIPLE_DOCS: 'Keep one YAML document per file (remove the "---" separator).',
  BAD_ALIAS: 'An alias (*name) must refer to an anchor (&name) defined earlier in the file.',
};

/**
 * Parse a YAML file. Well-formed files take a fast path (js-yaml, about ten
 * times faster than yaml's CST parser on clause files); the positions of their
 * values are worked out with yaml only when a diagnostic asks for one. Anything
 * unusual (aliases, special keys, numeric keys, any parse error) goes straight
 * to the exact parser, which reports problems at their line and column.
 */
export function parseYaml(file: SourceFile, diags: Diagnostics): ParsedFile | undefined {
  return fastParse(file) ?? parseYamlExact(file, diags);
}

/**
 * Text that the fast parser might read differently from yaml, or unsafely:
 * anchors, aliases and tags (&a, *a, !t where a node starts), the keys
 * __proto__, constructor and prototype, a tab at the start of a line, and an
 * unquoted key that looks like a number but would not read back as written
 * ("5131.60:" would become 5131.6). The regular expressions this replaces
 * cost half as much as js-yaml's parse itself; native searches for the few characters
 * that matter, and a look at the start of each line, cost a fraction of it.
 */
export function needsExactParser(text: string): boolean {
  if (text.includes('__proto__') || hasWord(text, 'constructor') || hasWord(text, 'prototype')) return true;
  for (const sigil of ['&', '*', '!']) {
    for (let i = text.indexOf(sigil); i >= 0; i = text.indexOf(sigil, i + 1)) if (startsNodeProperty(text, i)) return true;
  }
  // "\r", U+2028 and U+2029 also start a line for `^`; only unusual files hold them.
  const lfOnly = !text.includes('\r') && !text.includes('\u2028') && !text.includes('\u2029');
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === TAB || numericKeyChanges(text, i)) return true;
    const end = lfOnly ? text.indexOf('\n', i) : lineEndFrom(text, i);
    if (end < 0) break;
    i = end + 1;
  }
  return false;
}

/** Plain scalars a policy number may be read from as typed: no YAML word (true, null, .inf) and nothing that needs quoting. */
const PLAIN_NUMBER = /^[0-9A-Za-z][0-9A-Za-z.\-:/]*$/;
const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n)$/i;

/**
 * The policy number a clause file states, read from its text without parsing
 * it: the value of its one top-level `number:` line, when that value is a
 * simple quoted or plain scalar. Undefined whenever the text is anything less
 * plain (a second `number:` line, escapes, flow collections, anchors, tabs,
 * another document): the file is then parsed to find out. A build uses this
 * only to leave out clause files its manual does not list; what it reads here
 * for a file it parses anyway does not count.
 */
export function scanPolicyNumber(text: string): string | undefined {
  let found: string | undefined;
  for (let at = text.startsWith('number:') ? 0 : text.indexOf('\nnumber:'); at >= 0; at = text.indexOf('\nnumber:', at + 1)) {
    if (found !== undefined) return undefined;
    const start = text.charCodeAt(at) === LF ? at + 1 : at;
    const end = text.indexOf('\n', start);
    let value = text.slice(start + 'number:'.length, end < 0 ? text.length : end);
    if (value.length && !isBlank(value.charCodeAt(0))) return undefined;
    // A comment runs from a "#" after a blank to the end of the line.
    const comment = value.search(/[ \t]#/);
    if (comment >= 0) value = value.slice(0, comment);
    value = value.trim();
    const q = value.charCodeAt(0);
    if (q === DQUOTE || q === SQUOTE) {
      const inner = value.slice(1, -1);
      if (value.length < 3 || value.charCodeAt(value.length - 1) !== q || inner.includes(String.fromCharCode(q)) || inner.includes('\\') || inner.trim() !== inner) return undefined;
      found = inner;
    } else if (PLAIN_NUMBER.test(value) && !YAML_WORDS.test(value) && !value.includes(': ')) {
      found = value;
    } else {
      return undefined;
    }
    at = end < 0 ? text.length : end - 1;
  }
  if (found === undefined || needsExactParser(text) || /^(?:---|\.\.\.)/m.test(text)) return undefined;
  return found;
}

function lineEndFrom(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isLineEnd(text.charCodeAt(i))) return i;
  return -1;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const PLUS = 43;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

const isBlank = (c: number) => c === SPACE || c === TAB;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** Where `^` and `$` match in a multiline regular expression. */
const isLineEnd = (c: number) => c === LF || c === CR || c === 0x2028 || c === 0x2029;
/** What `\s` matches. */
function isSpace(c: number): boolean {
  if (c < 128) return c === SPACE || (c >= TAB && c <= CR);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
/** What `\w` matches. */
function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether `word` occurs with a word boundary (`\b`) on both sides. */
function hasWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const end = i + word.length;
    if ((i === 0 || !isWordChar(text.charCodeAt(i - 1))) && (end === text.length || !isWordChar(text.charCodeAt(end)))) return true;
  }
  return false;
}

/**
 * Whether the &, * or ! at `i` starts an anchor, alias or tag: followed by
 * a character other than space, ",", "]" or "}", and preceded (past any
 * blanks) by the start of a line, "[", "{" or ",", or by ": " or "- ".
 */
function startsNodeProperty(text: string, i: number): boolean {
  if (i + 1 >= text.length) return false;
  const next = text.charCodeAt(i + 1);
  if (isSpace(next) || next === COMMA || next === RBRACKET || next === RBRACE) return false;
  let j = i;
  while (j > 0 && isBlank(text.charCodeAt(j - 1))) j--;
  if (j === 0) return true;
  const before = text.charCodeAt(j - 1);
  if (isLineEnd(before) || before === LBRACKET || before === LBRACE || before === COMMA) return true;
  return j < i && (before === COLON || before === DASH);
}

/**
 * Whether the line starting at `i` has an unquoted key that looks like a
 * number ("-5", "+.5", "5131.60", after an optional "- ") and that a number
 * would not write back the same: such a key needs yaml's exact source.
 */
function numericKeyChanges(text: string, i: number): boolean {
  const n = text.length;
  let p = i;
  while (p < n && isBlank(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) === DASH && isBlank(text.charCodeAt(p + 1))) {
    p += 2;
    while (p < n && isBlank(text.charCodeAt(p))) p++;
  }
  const start = p;
  const first = text.charCodeAt(p);
  if (first === DASH || first === PLUS || first === DOT) p++;
  if (!isDigit(text.charCodeAt(p))) return false;
  // The key runs to the first ":" of the line; a comment or quote before it means no key.
  let q = p + 1;
  for (; q < n; q++) {
    const c = text.charCodeAt(q);
    if (c === COLON || c === HASH || c === SQUOTE || c === DQUOTE || c === LF) break;
  }
  if (q >= n || text.charCodeAt(q) !== COLON) return false;
  if (q + 1 < n && !isBlank(text.charCodeAt(q + 1)) && !isLineEnd(text.charCodeAt(q + 1))) return false;
  let end = q;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  const key = text.slice(start, end);
  return String(Number(key)) !== key;
}

function fastParse(file: SourceFile): ParsedFile | undefined {
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

export function parseYamlExact(file: SourceFile, diags: Diagnostics): ParsedFile | undefined {
  const { text, path } = file;
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  if (text.trim() === '' || /^(\s*#[^\n]*\n?)*\s*$/.test(text)) {
    diags.error('empty-file', text.trim() === '' ? `${path} is empty` : `${path} holds only comments`, {
      file: path,
      range: [0, 0],
      hint: 'Write the settings into the file ("sro-policy init" writes a complete district config), or remove it.',
    });
    return undefined;
  }
  // yaml parses flow collections ([ {) recursively: thousands of nested brackets
  // cost hundreds of repeated errors or a stack overflow. Refuse them unparsed.
  const deep = flowTooDeep(text);
  if (deep !== undefined) {
    diags.error('too-deep', `${path} nests brackets more than ${MAX_DEPTH} levels deep`, {
      file: path,
      range: [deep, deep + 1],
      hint: 'Policies nest a few levels at most; check for runaway "[" or "{".',
    });
    return undefined;
  }
  let doc;
  try {
    doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false });
  } catch (e) {
    if (e instanceof RangeError) {
      diags.error('too-deep', `${path} is nested too deeply to read`, { file: path, range: [0, 0] });
      return undefined;
    }
    throw e;
  }
  let failed = false;
  const seen = new Set<string>();
  for (const err of doc.errors) {
    failed = true;
    let range = clampRange(err.pos, text.length);
    // Deep block nesting overflows yaml's recursive composer; it reports the
    // RangeError as a syntax error, which would send the user hunting for a typo.
    if (/Maximum call stack size exceeded/.test(err.message)) {
      diags.error('too-deep', `${path} is nested too deeply to read`, {
        file: path,
        range,
        hint: 'Policies nest a few levels at most; check the indentation.',
      });
      return undefined;
    }
    const code = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    let message = firstLine(err.message);
    let hint = YAML_HINTS[err.code];
    let related: Related[] | undefined;
    if (err.code === 'DUPLICATE_KEY') {
      // yaml marks only the first character of the repeated key: show and underline all of it.
      range = keySpan(text, range[0]);
      message = duplicateKeyMessage(text.slice(range[0], range[1]));
      // Unquoted, 5142.40 and 5142.4 are one number to YAML: two policies that look like one key.
      const partner = numericPartner(doc.contents, range[0]);
      if (partner !== undefined && partner.source !== text.slice(range[0], range[1])) {
        const key = text.slice(range[0], range[1]);
        message = `The keys ${partner.source} and ${key} are the same number to YAML (${Number(key)}), so they count as one key twice`;
        hint = `Quote policy numbers, which are text: "${partner.source}": and "${key}":`;
        related = [{ file: path, range: partner.range, message: `the key ${partner.source}` }];
      }
    }
    // yaml reports an unclosed quote at the end of the file; point at the quote that opened it.
    const quote = /Missing closing (['"])quote/.exec(err.message)?.[1];
    if (quote) {
      const open = text.lastIndexOf(quote, Math.max(0, range[0] - 1));
      if (open >= 0) range = [open, open + 1];
      message = `The quoted text that starts here has no closing ${quote}`;
    }
    // One mistake can make yaml repeat the same error at the same place.
    const key = `${code}:${range[0]}:${range[1]}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diags.error(code, message, { file: path, range, hint, ...(related ? { related } : {}) });
  }
  if (failed) return undefined;
  if (doc.contents === null) {
    diags.error('empty-file', `${path} has no content`, { file: path, range: [0, 0] });
    return undefined;
  }
  const spans = new Map<string, Spans>();
  const raw = new Map<string, string>();
  const state = { nodes: 0, aborted: false };
  // The alias being expanded at the top level: a bomb is reported there, not at
  // whichever copied value happens to cross the limit.
  let outerAlias: unknown;
  // Alias.resolve searches the whole document on every call; a bomb calls it thousands of times.
  const targets = new Map<unknown, unknown>();

  const convert = (node: unknown, pointer: string, depth: number, keyRange?: Range): unknown => {
    if (state.aborted) return null;
    if (++state.nodes > MAX_NODES) {
      state.aborted = true;
      diags.error('alias-limit', `${path} expands to more than ${MAX_NODES.toLocaleString('en-US')} values`, {
        file: path,
        range: rangeOf(outerAlias ?? node) ?? [0, 0],
        hint: 'Aliases (*name) that refer to other aliases multiply; this looks like a "billion laughs" file. Write the values out instead.',
      });
      return null;
    }
    if (depth > MAX_DEPTH) {
      state.aborted = true;
      diags.error('too-deep', `${path} is nested more than ${MAX_DEPTH} levels deep`, {
        file: path,
        range: rangeOf(node) ?? [0, 0],
        hint: 'Policies nest a few levels at most; check the indentation.',
      });
      return null;
    }
    const r = rangeOf(node) ?? [0, 0];
    spans.set(pointer, keyRange ? { key: keyRange, value: r } : { value: r });
    if (isAlias(node)) {
      if (!targets.has(node)) targets.set(node, node.resolve(doc));
      const target = targets.get(node);
      if (!target) return null;
      const outer = outerAlias === undefined;
      if (outer) outerAlias = node;
      const value = convert(target, pointer, depth + 1, keyRange);
      if (outer && !state.aborted) outerAlias = undefined;
      return value;
    }
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'number' && typeof node.source === 'string') raw.set(pointer, node.source);
      if (v === null || v === undefined) return null;
      if (typeof v === 'bigint') return Number(v);
      return v;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        out.push(convert(item, pointerJoin(pointer, i), depth + 1));
      });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        let key: string;
        if (isScalar(k)) {
          key = typeof k.source === 'string' && typeof k.value === 'number' ? k.source : String(k.value ?? '');
        } else {
          diags.error('yaml-syntax', 'A mapping key must be plain text', { file: path, range: rangeOf(k) ?? r });
          continue;
        }
        const kr = rangeOf(k) ?? r;
        const childPtr = pointerJoin(pointer, key);
        if (FORBIDDEN_KEYS.has(key)) {
          diags.error('forbidden-key', `"${key}" cannot be used as a key`, {
            file: path,
            range: kr,
            hint: `"${key}" has a special meaning in JavaScript and is refused for safety. Rename the key.`,
          });
          continue;
        }
        const value = pair.value === null ? null : convert(pair.value, childPtr, depth + 1, kr);
        if (pair.value === null) spans.set(childPtr, { key: kr, value: [kr[1], kr[1]] });
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return null;
  };

  const data = convert(doc.contents, '', 0);
  if (state.aborted) return undefined;
  return { file, data, spans, raw };
}

function rangeOf(node: unknown): Range | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function clampRange(pos: [number, number], len: number): Range {
  const s = Math.min(Math.max(0, pos[0]), len);
  const e = Math.min(Math.max(s, pos[1]), len);
  return [s, e];
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** The whole key starting at `start`: a quoted key up to its closing quote, a plain one up to ": ". */
function keySpan(text: string, start: number): Range {
  const q = text[start];
  if (q === '"' || q === "'") {
    for (let i = start + 1; i < text.length && text[i] !== '\n'; i++) {
      if (text[i] === '\\' && q === '"') i++;
      else if (text[i] === q) return [start, i + 1];
    }
  }
  const m = /^[^\n]*?(?=:(?:\s|$)|\n|$)/.exec(text.slice(start));
  const end = start + (m?.[0].trimEnd().length ?? 0);
  return [start, Math.max(end, start + 1)];
}

/**
 * For the unquoted number key that starts at `offset`, the source of another
 * unquoted key of the same mapping with the same numeric value (5142.40 and
 * 5142.4); undefined when there is none.
 */
function numericPartner(root: unknown, offset: number): { source: string; range: Range } | undefined {
  const { isMap, isScalar, isSeq } = yaml();
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isSeq(node)) stack.push(...node.items);
    if (!isMap(node)) continue;
    const keys = node.items.map((p) => p.key).filter((k) => isScalar(k));
    const dup = keys.find((k) => (k as { range?: number[] }).range?.[0] === offset);
    if (dup && isScalar(dup) && typeof dup.value === 'number' && typeof dup.source === 'string') {
      const other = keys.find((k) => k !== dup && isScalar(k) && k.value === dup.value && typeof k.source === 'string');
      return other && isScalar(other) ? { source: String(other.source), range: rangeOf(other) ?? [0, 0] } : undefined;
    }
    for (const p of node.items) stack.push(p.value);
  }
  return undefined;
}

function duplicateKeyMessage(source: string): string {
  const key = source.replace(/^(["'])(.*)\1$/, '$2');
  return key ? `The key "${key}" appears twice in the same mapping` : 'A key appears twice in the same mapping';
}

/** Offset of the first "[" or "{" nested deeper than MAX_DEPTH (outside quotes and comments). */
function flowTooDeep(text: string): number | undefined {
  // Depth grows only at "[" and "{": with few of them, no need to follow quotes and comments.
  let opening = 0;
  for (const c of ['[', '{']) for (let i = text.indexOf(c); i >= 0 && opening <= MAX_DEPTH; i = text.indexOf(c, i + 1)) opening++;
  if (opening <= MAX_DEPTH) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const prev = i === 0 ? LF : text.charCodeAt(i - 1);
    if (c === HASH && isSpace(prev)) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if ((c === DQUOTE || c === SQUOTE) && (isSpace(prev) || prev === LBRACKET || prev === LBRACE || prev === COMMA || prev === COLON)) {
      // A quoted scalar: skip to its end ('' and \" are escaped quotes). An apostrophe
      // inside a word ("O'Brien") does not start one.
      for (i++; i < text.length; i++) {
        const q = text.charCodeAt(i);
        if (c === DQUOTE && q === 92) i++;
        else if (q === c && c === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) i++;
        else if (q === c) break;
      }
    } else if (c === LBRACKET || c === LBRACE) {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === RBRACKET || c === RBRACE) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** The span of a path, falling back to the nearest ancestor that has one. */
export function spanAt(parsed: ParsedFile, pointer: string, part: 'key' | 'value' = 'value'): Range {
  let p = pointer;
  for (;;) {
    const found = parsed.find?.(p);
    const s = found === null || found === undefined && !parsed.find ? parsed.spans.get(p) : found;
    if (s) return (part === 'key' ? s.key ?? s.value : s.value) ?? [0, 0];
    if (p === '') return [0, 0];
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
