// Load the Handlebars templates of each output format. Handlebars compiles
// lazily, so every template and partial is parsed here, at load, and syntax
// errors are reported at the template's own file:line:col.
import Handlebars from 'handlebars';
import type { Diagnostics } from './diagnostics.js';
import type { Format } from './model.js';
import { BUILTIN_HELPERS, checkTemplates, offsetOf, type Shape } from './template-check.js';

export { offsetOf };

export type HandlebarsEnv = ReturnType<typeof Handlebars.create>;
type Compiled = (context: unknown) => string;

export interface TemplateSource {
  name: string;
  /** Path as shown in diagnostics. */
  file: string;
  text: string;
}

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
export const TEMPLATE_FORMATS = ['md', 'html'] as const;

/** Parse a template, reporting a syntax error at its position; undefined when it does not parse. */
export function parseTemplate(t: TemplateSource, diags: Diagnostics): hbs.AST.Program | undefined {
  try {
    return Handlebars.parse(t.text);
  } catch (e) {
    const err = e as { message?: string; hash?: { loc?: { first_line: number; first_column: number; last_line: number; last_column: number } }; lineNumber?: number; column?: number };
    const loc = err.hash?.loc;
    let range: [number, number] = [0, 0];
    if (loc) range = [offsetOf(t.text, loc.first_line, loc.first_column), offsetOf(t.text, loc.last_line, loc.last_column)];
    else if (typeof err.lineNumber === 'number') {
      const s = offsetOf(t.text, err.lineNumber, err.column ?? 0);
      range = [s, s + 1];
    }
    diags.error('template-syntax', `Template syntax error: ${summarizeHandlebarsError(String(err.message ?? e))}`, {
      file: t.file,
      range,
      hint: 'Check that every {{#block}} has its {{/block}} and every {{ has a matching }}.',
    });
    return undefined;
  }
}

function summarizeHandlebarsError(msg: string): string {
  const expecting = /Expecting (.*), got '(.*)'/.exec(msg);
  if (expecting) return `expected ${expecting[1]}, found ${expecting[2]}`;
  const first = msg.split('\n').find((l) => l.trim() && !/^Parse error on line/.test(l) && !/^-*\^$/.test(l.trim()));
  return (first ?? msg).replace(/ - \d+:\d+$/, '').trim();
}

export const HELPERS: Record<string, (...args: unknown[]) => unknown> = {};

/** Compile one format's templates; undefined (with diagnostics) when any of them is broken. */
export function compileTemplates(
  format: Format,
  sources: { main?: TemplateSource; partials: Map<string, TemplateSource> },
  shape: Shape,
  diags: Diagnostics,
): FormatTemplates | undefined {
  const before = diags.errorCount;
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
  const options = { strict: true, noEscape: format === 'md', preventIndent: format === 'md' };
  for (const [name, t] of sources.partials) env.registerPartial(name, env.compile(t.text, options));
  const main = sources.main;
  const compiled = env.compile(main.text, options);
  return { format, env, main, partials: sources.partials, render: compiled as Compiled };
}
