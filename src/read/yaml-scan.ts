// Looking at YAML text without parsing it: whether the fast parser may read
// it (needsExactParser), a clause file's number (scanPolicyNumber), and
// runaway nesting (flowTooDeep). Native searches over character codes: these
// run over every clause file of a build.
import { MAX_DEPTH } from './yaml-limits.js';

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
export const PLAIN_NUMBER = /^[0-9A-Za-z][0-9A-Za-z.\-:/]*$/;
export const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n)$/i;

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

export function lineEndFrom(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isLineEnd(text.charCodeAt(i))) return i;
  return -1;
}

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const DQUOTE = 34;
export const HASH = 35;
export const SQUOTE = 39;
export const PLUS = 43;
export const COMMA = 44;
export const DASH = 45;
export const DOT = 46;
export const COLON = 58;
export const GT = 62;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const LBRACE = 123;
export const PIPE = 124;
export const RBRACE = 125;

export const isBlank = (c: number) => c === SPACE || c === TAB;
export const isDigit = (c: number) => c >= 48 && c <= 57;
/** Where `^` and `$` match in a multiline regular expression. */
export const isLineEnd = (c: number) => c === LF || c === CR || c === 0x2028 || c === 0x2029;
/** What `\s` matches. */
export function isSpace(c: number): boolean {
  if (c < 128) return c === SPACE || (c >= TAB && c <= CR);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
/** What `\w` matches. */
export function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether `word` occurs with a word boundary (`\b`) on both sides. */
export function hasWord(text: string, word: string): boolean {
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
export function startsNodeProperty(text: string, i: number): boolean {
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
export function numericKeyChanges(text: string, i: number): boolean {
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


/** Offset of the first "[" or "{" nested deeper than MAX_DEPTH (outside quotes and comments). */
export function flowTooDeep(text: string): number | undefined {
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
