// The output formats. Adding one is a module in this folder and a line here
// (docs/architecture.md, "Add an output format"): the command line's --format,
// the config schema's output.formats and the docs' list follow from this list.
import type { OutputFormat, TemplatedFormat } from './format.js';
import { html } from './html.js';
import { json } from './json.js';
import { md } from './md.js';
import { FORMAT_NAMES, type FormatName } from '../formats.js';

export const FORMATS: Readonly<Record<FormatName, OutputFormat>> = { md, html, json };

export function formatOf(name: FormatName): OutputFormat {
  return FORMATS[name];
}

/** The formats rendered through Handlebars templates (templates/<name>/). */
export const TEMPLATED: readonly (TemplatedFormat & { name: FormatName })[] = FORMAT_NAMES.map((n) => FORMATS[n]).filter((f): f is TemplatedFormat & { name: FormatName } => f.templated);

export type { OutputFormat, TemplatedFormat };
