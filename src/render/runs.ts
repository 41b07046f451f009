// Inline runs → Markdown or HTML text. Publisher text is Markdown and is
// rendered by markdown-it; district values and verbatim references are literal
// text, escaped for the output format so they can never become markup.
import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type { Run } from '../model/model.js';

// Most policy sentences hold no Markdown syntax at all, so markdown-it is loaded
// on first use only: start-up stays lean for the common case.
const require = createRequire(import.meta.url);
let parser: MarkdownIt | undefined;
function markdownIt(): MarkdownIt {
  if (!parser) {
    const Ctor = require('markdown-it') as typeof MarkdownIt;
    parser = new Ctor('default', { html: false, linkify: false, typographer: false, breaks: false });
  }
  return parser;
}

const SENTINEL_OPEN = '\uE000';
const SENTINEL_CLOSE = '\uE001';
const SENTINELS = /[\uE000\uE001]/g;
const SENTINEL_REF = /\uE000(\d+)\uE001/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

// Most strings (titles, numbers, sentences) need no escaping at all. A test
// with a plain regular expression costs a fraction of a replace that finds
// nothing, so each escape below looks before it replaces.
const HTML_SPECIAL = /[&<>"]/;
const MARKDOWN_SPECIAL = /[\\`*_[\]<>{}|~&#]/;
const MAY_START_BLOCK = /^\s*[0-9+*>#=_-]/;
const PUBLISHER_SPECIAL = /[\\`<{}]/;

/** The same escaping markdown-it applies to text, so both paths give identical bytes. */
export function escapeHtml(s: string): string {
  if (!HTML_SPECIAL.test(s)) return s;
  return s.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Escape literal text for Markdown. Braces are escaped too, so static-site
 * generators that run Liquid or similar over Markdown (Jekyll) see no {{ }}.
 */
export function escapeMarkdown(s: string): string {
  // Without those characters there is no "\[" for the "!" rule either.
  if (!MARKDOWN_SPECIAL.test(s)) return s;
  return s.replace(/[\\`*_[\]<>{}|~&#]/g, '\\$&').replace(/!(?=\\\[)/g, '\\!');
}

/** Text at the start of a Markdown block that would otherwise start a list, heading or quote. */
export function escapeBlockStart(s: string): string {
  if (!MAY_START_BLOCK.test(s)) return s;
  return s
    .replace(/^(\s*)(\d+)([.)])(?=\s|$)/, '$1$2\\$3')
    .replace(/^(\s*)([-+*>#=])(?=\s|$|#)/, '$1\\$2')
    .replace(/^(\s*)(-{3,}|_{3,}|\*{3,})\s*$/, (_m, a: string, b: string) => a + b.replace(/./g, '\\$&'));
}

/**
 * Publisher Markdown for a Markdown file. Clause text holds no raw HTML (the
 * HTML edition prints a tag as text), so a "<" that does not open an autolink is
 * escaped, and braces are escaped as in literal text. Code spans and backslash
 * escapes are kept as written.
 */
function publisherMarkdown(s: string): string {
  if (!PUBLISHER_SPECIAL.test(s)) return s;
  return s.replace(
    /\\[\s\S]|(`+)[\s\S]*?[^`]\1(?!`)|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[^\s<>@]+@[^\s<>]+>|[<{}]/g,
    (m) => (m.length === 1 ? `\\${m}` : m),
  );
}

/** The words of runs, without markup: what redlines compare and the JSON export carries. */
export function runsToPlain(runs: readonly Run[]): string {
  let s = '';
  for (const r of runs) s += r.text;
  return s;
}

export function runsToMarkdown(runs: readonly Run[]): string {
  let out = '';
  for (const r of runs) {
    switch (r.kind) {
      case 'md':
        out += publisherMarkdown(r.text.replace(SENTINELS, ''));
        break;
      case 'value':
        out += escapeMarkdown(r.text);
        break;
      case 'blank':
        out += r.text.replace(/_/g, '\\_');
        break;
      case 'del':
        out += `~~${escapeMarkdown(r.text)}~~`;
        break;
      case 'ins':
        out += `**${escapeMarkdown(r.text)}**`;
        break;
      case 'placeholder':
        out += `**${escapeMarkdown(r.text)}**`;
        break;
      case 'annotation':
        out += `*${escapeMarkdown(r.text)}*`;
        break;
    }
  }
  // Every line: a line of a paragraph that starts with "- ", "1." or "#" would start a block.
  return out.split('\n').map(escapeBlockStart).join('\n');
}

export function runsToHtml(runs: readonly Run[]): string {
  if (runs.length === 1 && runs[0]!.kind !== 'md') return literalHtml(runs[0]!);
  let source = '';
  const literals: string[] = [];
  for (const r of runs) {
    if (r.kind === 'md') source += r.text.replace(SENTINELS, '');
    else {
      source += `${SENTINEL_OPEN}${literals.length}${SENTINEL_CLOSE}`;
      literals.push(literalHtml(r));
    }
  }
  // Text without Markdown syntax needs no parser; most policy sentences are like that.
  // The line break that ends a YAML block scalar (| or >) is no part of the text: Markdown
  // drops it when tidied, and in HTML it put "</p>" on a line of its own.
  const html = /[\\`*_[\]<>&!~\n]/.test(source) ? markdownIt().renderInline(source).trimEnd() : escapeHtml(source);
  return literals.length ? html.replace(SENTINEL_REF, (_m, i: string) => literals[Number(i)]!) : html;
}

function literalHtml(r: Run): string {
  switch (r.kind) {
    case 'md':
      return markdownIt().renderInline(r.text);
    case 'value':
      return escapeHtml(r.text);
    case 'blank':
      return `<span class="blank">${escapeHtml(r.text)}</span>`;
    case 'del':
      return `<del>${escapeHtml(r.text)}</del>`;
    case 'ins':
      return `<ins>${escapeHtml(r.text)}</ins>`;
    case 'placeholder':
      return `<mark class="placeholder">${escapeHtml(r.text)}</mark>`;
    case 'annotation':
      return `<span class="annotation">${escapeHtml(r.text)}</span>`;
  }
}

/** Render a standalone Markdown document to HTML (used by tests and checks). */
export function markdownToHtml(source: string): string {
  return markdownIt().render(source);
}
