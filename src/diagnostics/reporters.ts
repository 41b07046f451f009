// Print diagnostics in one place, in one of three forms: text for people (with
// a code frame under each message), json for tools, github for Actions
// annotations. Offsets become 1-based line:column here and nowhere else.
import { Chalk } from 'chalk';
import { sortDiagnostics, type Diagnostic, type Range } from './diagnostic.js';

export type ReporterName = 'text' | 'json' | 'github';

export interface Position {
  line: number;
  column: number;
}

export interface LocatedDiagnostic extends Diagnostic {
  start?: Position;
  end?: Position;
}

const indexes = new WeakMap<ReadonlyMap<string, string>, Map<string, number[]>>();

/**
 * Offsets of line starts, built once per file when a position is printed.
 * (yaml's LineCounter does the same; a search over an array avoids loading
 * the whole yaml package just to print a warning.)
 */
function lineStarts(sources: ReadonlyMap<string, string>, file: string, text: string): number[] {
  let perFile = indexes.get(sources);
  if (!perFile) indexes.set(sources, (perFile = new Map()));
  let starts = perFile.get(file);
  if (!starts) {
    starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    perFile.set(file, starts);
  }
  return starts;
}

/**
 * The given lines (0-based) of a file, each as "number<TAB>text" (1-based
 * number), one per line: what a code frame needs of a file, kept compactly
 * (the build cache and record hold them for files a later build does not read).
 */
export function keptLines(sources: ReadonlyMap<string, string>, file: string, keep: Iterable<number>): string {
  const text = sources.get(file) ?? '';
  const starts = lineStarts(sources, file, text);
  const wanted = [...new Set(keep)].filter((i) => i >= 0 && i < starts.length).sort((a, b) => a - b);
  return wanted.map((i) => `${i + 1}\t${text.slice(starts[i]!, i + 1 < starts.length ? starts[i + 1]! - 1 : text.length)}`).join('\n');
}

/** keptLines back as a text with those lines at their places and every other line empty, for the code frames. */
export function sparseText(kept: string): string {
  let out = '';
  let line = 1;
  for (const entry of kept.split('\n')) {
    const tab = entry.indexOf('\t');
    const n = Number(entry.slice(0, tab));
    if (tab < 0 || !Number.isInteger(n) || n < line) continue;
    out += '\n'.repeat(n - line) + entry.slice(tab + 1);
    line = n;
  }
  return out;
}

/** 1-based line and column of an offset. */
function linePos(starts: number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** A diagnostic with its own and its related positions worked out, to be printed later without the files. */
export function locateAll(d: Diagnostic, sources: ReadonlyMap<string, string>): LocatedDiagnostic {
  const at = locate(d, sources);
  if (!at.related) return at;
  return {
    ...at,
    related: at.related.map((r) => {
      const rl = r.range ? locate({ file: r.file, range: r.range }, sources) : undefined;
      return rl?.start ? { ...r, start: rl.start } : r;
    }),
  };
}

/** Where something with a file and a range is (a diagnostic, a related place), as line and column. */
export function locate<T extends { file?: string; range?: Range; start?: Position }>(d: T, sources: ReadonlyMap<string, string>): T & { start?: Position; end?: Position } {
  // Diagnostics kept from an earlier build arrive located already.
  if (d.start) return { ...d };
  if (!d.file || !d.range) return { ...d };
  const text = sources.get(d.file);
  if (text === undefined) return { ...d };
  const starts = lineStarts(sources, d.file, text);
  const s = linePos(starts, Math.min(d.range[0], text.length));
  const e = linePos(starts, Math.min(Math.max(d.range[1], d.range[0]), text.length));
  return { ...d, start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
}

function where(d: LocatedDiagnostic): string {
  if (!d.file) return '';
  return d.start ? `${d.file}:${d.start.line}:${d.start.column}` : d.file;
}

export interface TextOptions {
  /** ANSI colours (default: none). */
  color?: boolean;
}

/** Diagnostics as the command line prints them: file:line:col, the message, a code frame and a hint. */
export function formatText(list: readonly Diagnostic[], sources: ReadonlyMap<string, string>, opts: TextOptions = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  for (const raw of sortDiagnostics(list)) {
    const d = locate(raw, sources);
    const sev = d.severity === 'error' ? c.red.bold('error') : c.yellow.bold('warning');
    const loc = visible(where(d));
    out.push(`${loc ? `${c.bold(loc)}: ` : ''}${sev} ${c.dim(`[${d.code}]`)} ${visible(d.message)}`);
    if (d.expected !== undefined) out.push(`  expected: ${visible(d.expected)}`);
    if (d.actual !== undefined) out.push(`  found:    ${visible(d.actual)}`);
    if (d.hint) out.push(`  ${c.cyan('fix:')} ${visible(d.hint)}`);
    if (d.file && d.start && d.end) {
      const text = sources.get(d.file) ?? '';
      const frame = codeFrame(text, d.start, d.end, c, lineStarts(sources, d.file, text));
      if (frame) out.push(frame);
    }
    const related = d.related ?? [];
    if (related.length > 3) {
      out.push(`  ${c.dim('note:')} ${related.length} related places, first: ${visible(related.slice(0, 2).map((r) => r.message).join(', '))}, …`);
    }
    for (const r of related.length > 3 ? [] : related) {
      const rl = r.start ? { start: r.start } : r.range ? locate({ file: r.file, range: r.range }, sources) : undefined;
      out.push(`  ${c.dim('note:')} ${visible(`${r.message} (${rl?.start ? `${r.file}:${rl.start.line}:${rl.start.column}` : r.file})`)}`);
    }
    out.push('');
  }
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  if (list.length) out.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return out.join('\n') + (out.length ? '\n' : '');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Longest source line shown in a code frame; longer ones are cut around the error. */
const FRAME_WIDTH = 120;

/**
 * Control characters from the files (a NUL in a quoted key, an escape sequence)
 * would reach the terminal or the Actions log as they are: show them as \u0000.
 */
export function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Line n (1-based) without its line break, from the text's line starts: a report of thousands of warnings must not split or scan each file for each. */
function nthLine(text: string, n: number, starts: readonly number[]): string | undefined {
  if (n < 1 || n > starts.length) return undefined;
  const from = starts[n - 1]!;
  const nl = text.indexOf('\n', from);
  const line = text.slice(from, nl < 0 ? text.length : nl);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * The offending line with a caret underline, plus one line of context before
 * it. `starts`: the text's line starts (lineStarts), shared by every frame from
 * one file.
 */
export function codeFrame(text: string, start: Position, end: Position, c: InstanceType<typeof Chalk>, starts: readonly number[]): string {
  const line = nthLine(text, start.line, starts);
  if (line === undefined) return '';
  const width = String(start.line).length;
  const gutter = (n: number | '') => c.dim(`${String(n).padStart(width)} | `);
  let shown = line.replace(/\t/g, ' ');
  let from = Math.max(0, start.column - 1);
  let to = end.line === start.line ? Math.max(from + 1, end.column - 1) : Math.max(from + 1, shown.length);
  // A minified or hostile file can have a line of megabytes: show a window around the error.
  if (shown.length > FRAME_WIDTH) {
    const cut = Math.max(0, Math.min(from - 20, shown.length - FRAME_WIDTH));
    const shift = cut > 0 ? cut - 1 : 0;
    shown = `${cut > 0 ? '…' : ''}${shown.slice(cut, cut + FRAME_WIDTH)}${cut + FRAME_WIDTH < shown.length ? '…' : ''}`;
    from -= shift;
    to = Math.min(to - shift, shown.length);
  }
  const out: string[] = [];
  const prev = start.line > 1 ? nthLine(text, start.line - 1, starts) : undefined;
  if (prev !== undefined && prev.trim() !== '') {
    const p = prev.replace(/\t/g, ' ');
    out.push(`  ${gutter(start.line - 1)}${visible(p.length > FRAME_WIDTH ? `${p.slice(0, FRAME_WIDTH)}…` : p)}`);
  }
  out.push(`${c.red('>')} ${gutter(start.line)}${visible(shown)}`);
  out.push(`  ${gutter('')}${' '.repeat(from)}${c.red('^'.repeat(Math.max(1, Math.min(to - from, shown.length - from))))}`);
  return out.join('\n');
}

export function formatJson(list: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const out = sortDiagnostics(list).map((raw) => {
    const d = locate(raw, sources);
    return {
      severity: d.severity,
      code: d.code,
      message: d.message,
      file: d.file ?? null,
      line: d.start?.line ?? null,
      column: d.start?.column ?? null,
      endLine: d.end?.line ?? null,
      endColumn: d.end?.column ?? null,
      expected: d.expected ?? null,
      actual: d.actual ?? null,
      hint: d.hint ?? null,
      related: (d.related ?? []).map((r) => {
        const rl = r.start ? { start: r.start } : r.range ? locate({ file: r.file, range: r.range }, sources) : undefined;
        return { file: r.file, line: rl?.start?.line ?? null, column: rl?.start?.column ?? null, message: r.message };
      }),
    };
  });
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** GitHub Actions workflow commands: one annotation per diagnostic. */
export function formatGithub(list: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  for (const raw of sortDiagnostics(list)) {
    const d = locate(raw, sources);
    const props: string[] = [];
    if (d.file) props.push(`file=${escapeProperty(visible(d.file))}`);
    if (d.start) props.push(`line=${d.start.line}`, `col=${d.start.column}`);
    if (d.end) props.push(`endLine=${d.end.line}`, `endColumn=${d.end.column}`);
    props.push(`title=${escapeProperty(`sro-policy ${d.code}`)}`);
    let message = visible(d.message);
    if (d.expected !== undefined) message += `\nexpected: ${visible(d.expected)}`;
    if (d.actual !== undefined) message += `\nfound: ${visible(d.actual)}`;
    if (d.hint) message += `\nfix: ${visible(d.hint)}`;
    out.push(`::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
