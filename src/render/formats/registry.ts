// The output formats. Adding one is a module in this folder and a line here
// (docs/architecture.md, "Add an output format"): the command line's --format,
// the config schema's output.formats and the docs' list follow from this list.
import type { OutputFormat, TemplatedFormat } from './format.js';
import { html } from './html.js';
import { json } from './json.js';
import { md } from './md.js';
import { docx } from './docx.js';
import { FORMAT_NAMES, type Format } from '../../model/names.js';

export const FORMATS: Readonly<Record<Format, OutputFormat>> = { md, html, json, docx };

export function formatOf(name: Format): OutputFormat {
  return FORMATS[name];
}

/** The formats rendered through Handlebars templates (templates/<name>/). */
export const TEMPLATED: readonly (TemplatedFormat & { name: Format })[] = FORMAT_NAMES.map((n) => FORMATS[n]).filter((f): f is TemplatedFormat & { name: Format } => f.templated);

export type { OutputFormat, TemplatedFormat };
