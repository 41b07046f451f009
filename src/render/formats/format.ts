// What an output format declares (see registry.ts). A format renders a
// policy's page and the manual's index through Handlebars templates
// (TemplatedFormat: md, html), or in code (CodeFormat: json, and formats such
// as DOCX whose files are not text a template writes).
import type { Diagnostics } from '../../diagnostics/diagnostic.js';
import type { DistrictConfig, DocBlock, DocHistory, DocPart, Document, Edition } from '../../model/model.js';
import type { JsonPolicy } from '../json.js';

/** What a page needs to know about the rest of the manual. */
export interface RenderContext {
  /** File name of a policy's page in the same format, when it is in the manual. */
  link: (number: string) => string | undefined;
  referencedBy: readonly { number: string; title: string }[];
  /** File name of the index page, when one is written. */
  index?: string;
  sentencePerLine?: boolean;
  /** The styles part of the district's Word file (output.docx.reference), for Word pages. */
  docxStyles?: string;
}

/** What the index page needs to know about the rest of the manual. */
export interface IndexContext {
  /** File name of a policy's page in this format, or null when it is not written in it. */
  link: (number: string) => string | null;
  edition: Document['edition'];
  config: DistrictConfig;
}

/** What the index shows of one policy; kept in the build cache for policies not rebuilt. */
export interface IndexEntry {
  number: string;
  title: string;
  series: { number: string; title: string };
  kind: Document['kind'];
  status?: string;
  history: DocHistory[];
}

interface FormatBase {
  /** The name in --format, output.formats and the file extension. */
  readonly name: string;
  /** Written as bytes, not text. */
  readonly binary: boolean;
  /** Every assembled document of the manual is needed at once (so pages are never taken from the build cache). */
  readonly wholeManual: boolean;
}

export interface TemplatedFormat extends FormatBase {
  readonly templated: true;
  /** Literal text in a view: escaped for the format (HTML's escaping is Handlebars'). */
  text(s: string): string;
  /** Markup made here, handed to templates as it is. */
  markup(s: string): unknown;
  /** A part's blocks as markup; `headingBase` is the level of the part's own heading. */
  body(blocks: readonly DocBlock[], headingBase: number, context: RenderContext): string;
  legal(part: DocPart, doc: Document): string;
  /** Front matter at the top of a page (Markdown's YAML), '' when the format has none. */
  frontMatter(doc: Document): string;
  indexFrontMatter(title: string, edition: Edition): string;
  /** The rendered text, tidied (blank lines, trailing spaces). */
  tidy(s: string): string;
  /** Handlebars: values are inserted as they are (the view escaped them), and partials are not indented. */
  readonly raw: boolean;
  readonly manual?: undefined;
}

export interface CodeFormat extends FormatBase {
  readonly templated: false;
  /** A policy's page (DOCX, for one), written as <number>.<name>; without it the format writes no pages. */
  page?(doc: Document, context: RenderContext, diags: Diagnostics): string | Uint8Array | undefined;
  /** The manual's index page (index.<name>), when the config asks for an index. */
  index?(entries: readonly IndexEntry[], context: IndexContext, diags: Diagnostics): string | Uint8Array | undefined;
  /** One file for the whole manual (its name for an edition, and its content). */
  readonly manual?: {
    name(edition: Edition): string;
    render(policies: readonly JsonPolicy[], config: DistrictConfig, edition: Edition, diags: Diagnostics): string | Uint8Array;
  };
}

export type OutputFormat = TemplatedFormat | CodeFormat;
