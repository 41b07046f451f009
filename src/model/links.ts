// The link policy: policy text (publisher Markdown, a district's deviations)
// may link to web pages (http, https), mail addresses (mailto) and relative
// addresses, in every format. Anything else (javascript:, data:, vbscript:,
// file:) is an error where it is written: the HTML edition would print it as
// text, but the Markdown edition would keep it, and a static site generator
// would turn it into a live script link.
import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type { Diagnostics, Place, Range } from '../diagnostics/diagnostic.js';

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

const require = createRequire(import.meta.url);
let parser: MarkdownIt | undefined;

/** markdown-it set to accept every link, so that each one is seen (the rendering parser drops unsafe ones silently). */
function linkParser(): MarkdownIt {
  if (!parser) {
    const Ctor = require('markdown-it') as typeof MarkdownIt;
    parser = new Ctor('default', { html: false, linkify: false });
    parser.validateLink = () => true;
  }
  return parser;
}

/** The scheme of a link as a browser reads it: leading blanks and controls, and tabs and line breaks anywhere, are ignored. */
export function linkScheme(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
}

export function isSafeLink(url: string): boolean {
  const scheme = linkScheme(url);
  return scheme === undefined || ALLOWED_SCHEMES.has(scheme);
}

export interface UnsafeLink {
  url: string;
  /** Where the link's address starts in the text (as written, when it can be found). */
  index: number;
  length: number;
}

/**
 * Every link address in a piece of Markdown (inline links, images, autolinks,
 * and reference definitions, which a Markdown file would read at the start of
 * a line) whose scheme is not allowed.
 */
export function unsafeLinks(text: string): UnsafeLink[] {
  // Every form needs a ":" for a scheme and "](", "<" or "]:" to be a link at all.
  if (!text.includes(':') || !(text.includes('](') || text.includes('<') || text.includes(']:'))) return [];
  const urls: string[] = [];
  const walk = (tokens: readonly { type: string; attrGet(name: string): string | null; children: unknown }[]) => {
    for (const t of tokens) {
      if (t.type === 'link_open') urls.push(t.attrGet('href') ?? '');
      else if (t.type === 'image') urls.push(t.attrGet('src') ?? '');
      if (Array.isArray(t.children)) walk(t.children as typeof tokens);
    }
  };
  walk(linkParser().parseInline(text, {}) as never);
  // A line "[x]: address" is a reference definition in a Markdown page.
  // (markdown-it has decoded entities and escapes in the others; a definition's address is taken as written.)
  for (const m of text.matchAll(/^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)/gm)) urls.push(linkParser().utils.unescapeAll(m[1]!));
  const out: UnsafeLink[] = [];
  for (const raw of urls) {
    let url = raw;
    try {
      url = decodeURI(raw);
    } catch {
      // keep it as it is
    }
    if (isSafeLink(url)) continue;
    const scheme = linkScheme(url)!;
    const index = text.toLowerCase().indexOf(`${scheme}:`);
    out.push({ url, index: Math.max(index, 0), length: index >= 0 ? Math.min(url.length, text.length - index) : text.length });
  }
  return out;
}

/** Report each unsafe link of a text; `where` places a slice of the text in its file (a range, or a place to resolve). */
export function checkLinks(text: string, file: string, where: (index: number, length: number) => { range: Range } | { at: Place }, diags: Diagnostics): void {
  for (const link of unsafeLinks(text)) {
    diags.error('unsafe-link', `The link "${link.url}" is not allowed: links go to http, https or mailto addresses, or are relative`, {
      file,
      ...where(link.index, link.length),
      hint: 'Write the address as https://… (or mailto:…), or remove the link and keep its words.',
    });
  }
}
