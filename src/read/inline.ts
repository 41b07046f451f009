// Clause text may hold {{name}} placeholders for variables and inline choices,
// parsed with the Handlebars parser (so escapes such as \{{ behave as Handlebars
// users expect). Clause text is never compiled or run as a template: the
// placeholders are resolved by the assembler, and district values are inserted
// as literal text afterwards.
import { loadHandlebars, offsetOf, readHandlebarsError } from '../render/templates.js';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { checkLinks } from '../model/links.js';
import type { Inline } from '../model/model.js';
import type { Range } from './yaml.js';

interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

interface HbsNode {
  type: string;
  value?: string;
  loc?: Loc;
  path?: { type: string; original: string; parts?: string[]; data?: boolean };
  params?: unknown[];
  hash?: { pairs: { key: string; value: { type: string; value: unknown } }[] };
  escaped?: boolean;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Split clause text into text and placeholders. `source` is the YAML file text
 * and `scalar` the span of the scalar, used to point diagnostics at the exact
 * placeholder in the file; given as a function, it is asked only when the text
 * holds a placeholder (finding a span costs more than splitting most text).
 */
export function parseInline(
  text: string,
  file: string,
  source: string,
  scalar: Range | (() => Range),
  diags: Diagnostics,
): Inline[] {
  const scalarRange = () => (typeof scalar === 'function' ? scalar() : scalar);
  checkLinks(text, file, (index, length) => ({ range: mapRange(text, source, scalarRange(), index, length) }), diags);
  // Most clause text has no placeholder; skip the parser for it (it dominates load time otherwise).
  if (!text.includes('{{')) return text === '' ? [] : [{ kind: 'text', text }];
  const range = scalarRange();
  const simple = simplePlaceholders(text, source, range);
  if (simple) return simple;
  let program: { body: HbsNode[] };
  try {
    program = loadHandlebars().parse(text) as unknown as { body: HbsNode[] };
  } catch (e) {
    const { message, loc } = readHandlebarsError(e);
    const at = loc ? mapRange(text, source, range, offsetOf(text, loc.first_line, loc.first_column), 2) : range;
    diags.error('clause-template', `Placeholder syntax error in clause text: ${message}`, {
      file,
      range: at,
      hint: 'A placeholder is written {{name}} (two braces each side). Write \\{{ for literal braces.',
    });
    return [{ kind: 'text', text }];
  }
  const out: Inline[] = [];
  const pushText = (t: string) => {
    if (t === '') return;
    const last = out[out.length - 1];
    if (last && last.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  for (const node of program.body) {
    if (node.type === 'ContentStatement') {
      pushText(node.value ?? '');
      continue;
    }
    if (node.type === 'CommentStatement') continue;
    const loc = node.loc;
    const start = loc ? offsetOf(text, loc.start.line, loc.start.column) : 0;
    const end = loc ? offsetOf(text, loc.end.line, loc.end.column) : text.length;
    const at = mapRange(text, source, range, start, end - start);
    if (node.type !== 'MustacheStatement' || !node.path || node.path.type !== 'PathExpression') {
      diags.error('clause-template', 'Clause text allows only {{name}} placeholders, not block helpers or partials', {
        file,
        range: at,
        actual: text.slice(start, end),
        hint: 'Structure (alternatives, optional language) is written in YAML. Use an inline choice for alternative words.',
      });
      pushText(text.slice(start, end));
      continue;
    }
    const name = node.path.original;
    const pairs = node.hash?.pairs ?? [];
    const badHash = pairs.find((p) => p.key !== 'sample' || p.value.type !== 'StringLiteral');
    if (!NAME.test(name) || node.path.data || (node.params?.length ?? 0) > 0 || badHash || node.escaped === false) {
      diags.error('clause-template', `"${text.slice(start, end)}" is not a placeholder sro-policy understands`, {
        file,
        range: at,
        hint: 'Write {{name}} with the id of a variable or choice, optionally {{name sample="____"}}.',
      });
      pushText(text.slice(start, end));
      continue;
    }
    const sample = pairs.find((p) => p.key === 'sample')?.value.value;
    out.push(typeof sample === 'string' ? { kind: 'ref', name, sample, range: at } : { kind: 'ref', name, range: at });
  }
  return out;
}

/** {{name}} and {{name sample="…"}}: the only forms clause text normally holds. */
const SIMPLE = /\{\{[ \t]*([a-z0-9][a-z0-9-]*)(?:[ \t]+sample="([^"\\{}]*)")?[ \t]*\}\}/g;

/**
 * Text whose placeholders are all of the simple forms splits exactly as the
 * Handlebars parser would split it, at a fraction of the cost; anything else
 * (escapes, comments, blocks, whitespace control) goes to the parser.
 */
function simplePlaceholders(text: string, source: string, range: Range): Inline[] | undefined {
  if (text.includes('\\') || text.replace(SIMPLE, '').includes('{{')) return undefined;
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(SIMPLE)) {
    if (m.index! > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    const at = mapRange(text, source, range, m.index!, m[0].length);
    out.push(m[2] === undefined ? { kind: 'ref', name: m[1]!, range: at } : { kind: 'ref', name: m[1]!, sample: m[2], range: at });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * Find where a slice of the parsed string sits in the YAML source. Quoting and
 * folding change offsets, so look for the same characters in the scalar's
 * source, taking the same occurrence; fall back to the whole scalar.
 */
export function mapRange(text: string, source: string, range: Range, index: number, length: number): Range {
  const needle = text.slice(index, index + Math.max(length, 1));
  if (needle.trim() === '') return range;
  let occurrence = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < index; i = text.indexOf(needle, i + 1)) occurrence++;
  const slice = source.slice(range[0], range[1]);
  let at = -1;
  for (let k = 0, from = 0; k <= occurrence; k++) {
    at = slice.indexOf(needle, from);
    if (at < 0) break;
    from = at + 1;
  }
  if (at < 0) return range;
  return [range[0] + at, range[0] + at + needle.length];
}

/** Names referenced by a piece of inline text. */
export function refsOf(inline: readonly Inline[]): Extract<Inline, { kind: 'ref' }>[] {
  return inline.filter((n): n is Extract<Inline, { kind: 'ref' }> => n.kind === 'ref');
}
