// The exact path of parse: yaml's parser, for unusual or broken files. It
// reports problems at their line and column, refuses bombs and prototype keys,
// and records the span of every value.
import { createRequire } from 'node:module';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostics, Related } from '../diagnostics/diagnostic.js';
import { pointerJoin } from '../model/pointer.js';
import type { SourceFile } from '../model/source.js';
import { MAX_DEPTH, MAX_NODES } from './yaml-limits.js';
import { flowTooDeep } from './yaml-scan.js';
import type { Range } from '../diagnostics/diagnostic.js';
import type { ParsedFile, Spans } from './parsed-file.js';

// The exact parser is needed only for unusual or broken files: load it then.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
export const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

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
