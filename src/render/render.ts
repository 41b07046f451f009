// render: an assembled Document → the text of one page, through the format's
// Handlebars templates (formats/: one module per format). The view handed to
// templates is documented in docs/templates.md; its strings are escaped for
// the target format.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { Document, Format } from '../model/model.js';
import type { RenderContext, TemplatedFormat } from './formats/format.js';
import { formatOf } from './formats/registry.js';
import { offsetOf, type FormatTemplates } from './templates.js';
import { buildIndexView, buildView, type IndexContext, type IndexEntry } from './view.js';

export type { RenderContext };
export { buildIndexView, buildView, indexEntry, NO_LINKS, type IndexContext, type IndexEntry } from './view.js';
export { INDEX_SHAPE, VIEW_SHAPE } from './shapes.js';
export { frontMatterLine } from './front-matter.js';
export { tidyMarkdown } from './tidy.js';

/** The templated format a set of templates is for. */
function formatFor(templates: FormatTemplates): TemplatedFormat {
  const f = formatOf(templates.format);
  if (!f.templated) throw new Error(`${templates.format} is not written through templates`);
  return f;
}

export function render(doc: Document, templates: FormatTemplates, context: RenderContext, diags: Diagnostics): string | undefined {
  const format = formatFor(templates);
  return run(templates, format, buildView(doc, format, context), diags);
}

/** The manual's table of contents, grouped by series, in policy-number order. */
export function renderIndex(docs: readonly IndexEntry[], templates: FormatTemplates, context: IndexContext, diags: Diagnostics): string | undefined {
  const format = formatFor(templates);
  return run(templates, format, buildIndexView(docs, format, context), diags);
}

/** Whether a format writes a page per policy (and an index page, when the config asks for one). */
export function writesPages(format: Format): boolean {
  const f = formatOf(format);
  return f.templated || f.page !== undefined;
}

/** A policy's page in a format: through its templates, or in code; undefined when it has none (or failed, as diags say). */
export function renderPage(format: Format, doc: Document, templates: FormatTemplates | undefined, context: RenderContext, diags: Diagnostics): string | Uint8Array | undefined {
  const f = formatOf(format);
  if (f.templated) return templates && render(doc, templates, context, diags);
  return f.page?.(doc, context, diags);
}

/** The manual's index page in a format, as renderPage. */
export function renderIndexPage(format: Format, entries: readonly IndexEntry[], templates: FormatTemplates | undefined, context: IndexContext, diags: Diagnostics): string | Uint8Array | undefined {
  const f = formatOf(format);
  if (f.templated) return templates && renderIndex(entries, templates, context, diags);
  return f.index?.(entries, context, diags);
}

function run(templates: FormatTemplates, format: TemplatedFormat, view: unknown, diags: Diagnostics): string | undefined {
  let out: string;
  try {
    out = templates.render(view);
  } catch (e) {
    reportRuntimeError(e, templates, diags);
    return undefined;
  }
  return format.tidy(out);
}

function reportRuntimeError(e: unknown, templates: FormatTemplates, diags: Diagnostics): void {
  const err = e as { message?: string; lineNumber?: number; column?: number };
  const message = String(err.message ?? e).replace(/ - \d+:\d+$/, '');
  const notDefined = /^"(.+)" not defined in/.exec(message);
  // Handlebars reports the line and column but not the template (main or partial)
  // they are in: take the one whose text at that place names the missing value,
  // else the first that names it anywhere.
  const line = err.lineNumber;
  const at = (x: { text: string }) => (typeof line === 'number' ? offsetOf(x.text, line, err.column ?? 0) : 0);
  const all = [templates.main, ...templates.partials.values()];
  let t = templates.main;
  if (notDefined) {
    const name = notDefined[1]!;
    // The path at that line and column ("txt", "policy.txt", "../txt") ends with the name.
    const mustache = (x: { text: string }) => {
      const path = /^[^\s}]*/.exec(x.text.slice(at(x)))![0];
      return path === name || path.endsWith(`.${name}`) || path.endsWith(`/${name}`);
    };
    t = all.find(mustache) ?? all.find((x) => x.text.includes(name)) ?? templates.main;
  }
  const start = at(t);
  diags.error(notDefined ? 'template-missing-value' : 'template-error', notDefined ? `Template uses {{${notDefined[1]}}}, which the data does not have` : `Template failed: ${message}`, {
    file: t.file,
    range: [start, start + (notDefined?.[1]?.length ?? 1)],
    hint: 'The data each template receives is listed in docs/templates.md.',
  });
}
