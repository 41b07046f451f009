// Load the Handlebars templates of each output format. Handlebars compiles
// lazily, so every template and partial is parsed here, at load, and syntax
// errors are reported at the template's own file:line:col.
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { Format } from '../model/model.js';
import { BUILTIN_HELPERS, checkTemplates, errorOnce, offsetOf, type Shape } from './template-check.js';
import type { TemplateSource } from './template-source.js';
import { loadRuntime } from './handlebars-runtime.js';
import { formatOf, TEMPLATED } from './formats/registry.js';
import { hashText } from '../model/hash.js';

export { offsetOf };

export type HandlebarsEnv = ReturnType<typeof Handlebars.create>;
type TemplateSpecification = Parameters<HandlebarsEnv['template']>[0];
type Compiled = (context: unknown) => string;

export type { TemplateSource };

export interface FormatTemplates {
  format: Format;
  env: HandlebarsEnv;
  main: TemplateSource;
  partials: Map<string, TemplateSource>;
  render: Compiled;
}

/** Main templates: one page per policy, and the manual's index. */
export type TemplateKind = 'policy' | 'index';
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['policy', 'index'];
/** Formats written through templates (json is serialized directly). */
export const TEMPLATE_FORMATS = TEMPLATED.map((f) => f.name);

interface Loc {
  first_line: number;
  first_column: number;
  last_line: number;
  last_column: number;
}

interface ParseHash {
  text?: string;
  token?: string | null;
  loc?: Loc;
  expected?: string[];
}

/** What a grammar token is, in the characters a template or clause writer types. */
const TOKEN_WORDS: Record<string, string> = {
  CLOSE: '"}}"',
  CLOSE_UNESCAPED: '"}}}"',
  OPEN: '"{{"',
  OPEN_ENDBLOCK: '"{{/"',
  CLOSE_SEXPR: '")"',
  EQUALS: '"="',
  ID: 'a name',
  EOF: 'the end of the text',
};

/**
 * Handlebars' generated parser throws a bare Error: it drops the position it
 * knows, and its message lists grammar tokens ('CLOSE_RAW_BLOCK', 'ID', …).
 * Keep the position of the offending token as err.hash.loc (read by
 * parseTemplate, and by inline.ts for clause text), and say in the message
 * what was expected as the characters to type. Installed once, for every
 * Handlebars environment (they share one parser).
 */
function parseError(this: { lexer?: { yylloc?: Loc; matched?: string } }, str: string, hash: ParseHash): never {
  const consumed = this.lexer?.matched ?? '';
  if (!hash.expected) {
    // A lexical error: the lexer found no token at all where it stopped.
    const open = consumed.lastIndexOf('{{');
    const loc = locAt(consumed, open >= 0 ? open : consumed.length, consumed.length);
    throw Object.assign(new Error(`Parse error on line ${loc.first_line}:\nThe text cannot be read from here on (an unclosed {{!-- comment?)`), { hash: { ...hash, loc } });
  }
  const expected = hash.expected.map((e) => e.replace(/'/g, ''));
  let loc = this.lexer?.yylloc ? { ...this.lexer.yylloc } : hash.loc;
  // The first of these the grammar would accept is what the writer most likely forgot.
  const likely = ['CLOSE', 'CLOSE_UNESCAPED', 'ID'].find((t) => expected.includes(t));
  let want = likely ? TOKEN_WORDS[likely]! : expected.map((e) => TOKEN_WORDS[e] ?? e).join(' or ');
  const got = hash.token === 'INVALID' || !hash.token || !TOKEN_WORDS[hash.token] ? JSON.stringify(hash.text ?? '') : TOKEN_WORDS[hash.token]!;
  if (hash.token === 'EOF') {
    // The end of the text is never the mistake: point at what was left open.
    const open = unclosedBlock(consumed);
    if (expected.includes('OPEN_ENDBLOCK') && open) {
      want = `{{/${open.name}}} to close {{#${open.name}}}`;
      loc = locAt(consumed, open.at, open.at + open.length);
    } else {
      const at = consumed.lastIndexOf('{{');
      if (at >= 0) loc = locAt(consumed, at, consumed.length);
    }
  }
  const line = loc ? loc.first_line : 1;
  throw Object.assign(new Error(`Parse error on line ${line}:\nExpecting ${want}, got '${got}'`), { hash: { ...hash, loc } });
}

const require = createRequire(import.meta.url);
let compiler: typeof Handlebars | undefined;

/**
 * The full Handlebars (parser and compiler), loaded on first use: a build that
 * only runs precompiled templates never needs it.
 */
export function loadHandlebars(): typeof Handlebars {
  if (!compiler) {
    compiler = require('handlebars') as typeof Handlebars;
    (compiler as unknown as { Parser: { parseError: typeof parseError } }).Parser.parseError = parseError;
  }
  return compiler;
}

export { loadRuntime };

/** The innermost {{#block}} (or {{^block}}) that has no {{/block}} yet. */
function unclosedBlock(text: string): { name: string; at: number; length: number } | undefined {
  const stack: { name: string; at: number; length: number }[] = [];
  for (const m of text.matchAll(/\{\{~?\s*([#^/])\s*([^\s}~]+)[^}]*\}\}/g)) {
    if (m[1] === '/') stack.pop();
    else stack.push({ name: m[2]!, at: m.index, length: m[0].length });
  }
  return stack[stack.length - 1];
}

/** A Handlebars location (1-based lines, 0-based columns) for offsets in text. */
function locAt(text: string, start: number, end: number): Loc {
  const pos = (i: number) => {
    const before = text.slice(0, i);
    const nl = before.lastIndexOf('\n');
    return { line: before.split('\n').length, column: i - nl - 1 };
  };
  const s = pos(start);
  const e = pos(end);
  return { first_line: s.line, first_column: s.column, last_line: e.line, last_column: e.column };
}

/** Parse a template, reporting a syntax error at its position; undefined when it does not parse. */
export function parseTemplate(t: TemplateSource, diags: Diagnostics): hbs.AST.Program | undefined {
  try {
    return loadHandlebars().parse(t.text);
  } catch (e) {
    const { message, loc } = readHandlebarsError(e);
    const range: [number, number] = loc
      ? [offsetOf(t.text, loc.first_line, loc.first_column), Math.max(offsetOf(t.text, loc.last_line, loc.last_column), offsetOf(t.text, loc.first_line, loc.first_column) + 1)]
      : [0, 0];
    errorOnce(diags, 'template-syntax', `Template syntax error: ${message}`, {
      file: t.file,
      range,
      hint: 'Check that every {{#block}} has its {{/block}} and every {{ has a matching }}.',
    });
    return undefined;
  }
}

/**
 * What went wrong and where, from an error the Handlebars parser threw (the
 * parse-error hook above keeps the position as err.hash.loc). Used for
 * templates and for placeholders in clause text alike.
 */
export function readHandlebarsError(e: unknown): { message: string; loc?: Loc } {
  const err = e as { message?: string; hash?: { loc?: Loc }; lineNumber?: number; column?: number };
  const message = summarizeHandlebarsError(String(err.message ?? e));
  if (err.hash?.loc) return { message, loc: err.hash.loc };
  if (typeof err.lineNumber === 'number') {
    const column = err.column ?? 0;
    return { message, loc: { first_line: err.lineNumber, first_column: column, last_line: err.lineNumber, last_column: column + 1 } };
  }
  return { message };
}

function summarizeHandlebarsError(msg: string): string {
  const expecting = /Expecting (.*), got '(.*)'/.exec(msg);
  if (expecting) return `expected ${expecting[1]}, found ${expecting[2]}`;
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(msg);
  if (mismatch) return `{{#${mismatch[1]}}} is closed with {{/${mismatch[2]}}}`;
  const first = msg.split('\n').find((l) => l.trim() && !/^Parse error on line/.test(l) && !/^-*\^$/.test(l.trim()));
  return (first ?? msg).replace(/ - \d+:\d+$/, '').trim();
}

/**
 * Handlebars' own lookup, minus what the data does not hold itself: a key a
 * value only inherits (toString, constructor, __proto__) is JavaScript's
 * object machinery, not sro-policy's data. Handlebars would refuse it too, but
 * print advice on turning its protection off; this reports it as a template
 * error instead (template-check.ts catches the literal keys before any render).
 */
function lookup(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  const k = String(key);
  if (typeof obj === 'object' && !Object.hasOwn(obj, k) && k in obj) {
    throw new Error(`{{lookup}} of "${k}" reaches into JavaScript's object internals; templates may use only the data listed in docs/templates.md`);
  }
  return (obj as Record<string, unknown>)[k];
}

export const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  lookup: (obj, key) => lookup(obj, key),
};

/**
 * Prototype access stays denied (Handlebars' default), and said so explicitly:
 * Handlebars then refuses quietly, instead of printing to the console how to
 * allow it.
 */
const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

/** Compile one format's templates; undefined (with diagnostics) when any of them is broken. */
/** Precompiled default templates, keyed "format/kind", shipped in dist/ by scripts/precompile-templates.mjs. */
export interface PrecompiledSet {
  /** Hash of every source the set was compiled from. */
  hash: string;
  main: string;
  partials: Record<string, string>;
}

export function templateOptions(format: Format): { strict: true; knownHelpersOnly: true; noEscape: boolean; preventIndent: boolean } {
  const f = formatOf(format);
  const raw = f.templated && f.raw;
  return { strict: true, knownHelpersOnly: true, noEscape: raw, preventIndent: raw };
}

/** One hash over a format's templates (main and partials by name): the precompiled set's key, and what the build cache keys on. */
export function sourcesHash(sources: { main?: TemplateSource; partials: Map<string, TemplateSource> }): string {
  const parts = [sources.main?.text ?? '\u0000none'];
  for (const [name, t] of [...sources.partials].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(name, t.text);
  return hashText(...parts);
}

/**
 * Compile one format's templates; undefined (with diagnostics) when any of them is broken.
 * When they are exactly the shipped defaults, their precompiled form is used: those were
 * parsed and checked when the package was built, so nothing needs parsing here.
 */
export function compileTemplates(
  format: Format,
  sources: { main?: TemplateSource; partials: Map<string, TemplateSource> },
  shape: Shape,
  diags: Diagnostics,
  precompiled?: PrecompiledSet,
): FormatTemplates | undefined {
  if (precompiled && sources.main && precompiled.hash === sourcesHash(sources)) {
    const env = loadRuntime().create();
    for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn as Handlebars.HelperDelegate);
    // The specs are JavaScript that Handlebars itself generated from the shipped templates.
    const spec = (code: string) => new Function(`return ${code};`)() as TemplateSpecification;
    for (const [name, code] of Object.entries(precompiled.partials)) env.registerPartial(name, env.template(spec(code)));
    const template = env.template(spec(precompiled.main)) as unknown as (context: unknown, options: unknown) => string;
    return { format, env, main: sources.main, partials: sources.partials, render: (context) => template(context, RUNTIME_OPTIONS) };
  }
  const before = diags.errorCount;
  const Handlebars = loadHandlebars();
  const env = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn as Handlebars.HelperDelegate);
  const asts = new Map<string, { body: never[] }>();
  if (sources.main) {
    const ast = parseTemplate(sources.main, diags);
    if (ast) asts.set('', ast as unknown as { body: never[] });
  }
  for (const [name, t] of sources.partials) {
    const ast = parseTemplate(t, diags);
    if (ast) asts.set(name, ast as unknown as { body: never[] });
  }
  if (!sources.main || diags.errorCount > before) return undefined;
  checkTemplates(
    { main: sources.main, partials: sources.partials, asts, helpers: new Set([...BUILTIN_HELPERS, ...Object.keys(HELPERS)]), root: shape },
    diags,
  );
  if (diags.errorCount > before) return undefined;
  const options = templateOptions(format);
  for (const [name, t] of sources.partials) env.registerPartial(name, env.compile(t.text, options));
  const main = sources.main;
  const compiled = env.compile(main.text, options) as unknown as (context: unknown, options: unknown) => string;
  return { format, env, main, partials: sources.partials, render: (context) => compiled(context, RUNTIME_OPTIONS) };
}
