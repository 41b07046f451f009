// import: an HTML (or Markdown) sample as the plain text the recogniser reads:
// one paragraph per block, list items with the markers the page shows
// (numbered from the list's start and type), and a struck word beside an
// inserted one as the revision mark a text sample prints ("  will  may  ").
// parse5 reads the HTML as a browser does. Pure.
import { parse } from 'parse5';
import { markdownToHtml } from '../render/runs.js';
import { listMarker } from './paragraphs.js';
import { formatMarker } from '../assemble/wording.js';

interface Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
}

/** Between a table row's cells while the row is read: a tab in the text it gives (the page's own tabs are layout). */
const CELL = '\u241f';
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'section', 'article', 'header', 'footer', 'blockquote', 'tr', 'dd', 'pre', 'address', 'caption']);
const SKIP = new Set(['head', 'script', 'style', 'nav', 'template', 'noscript']);
const STRUCK = new Set(['del', 's', 'strike']);
/** How deep the walk follows the page's structure. */
const MAX_DEPTH = 200;

function attr(n: Node, name: string): string | undefined {
  return n.attrs?.find((a) => a.name === name)?.value;
}

/**
 * The marker an <ol> shows for item n: its type ("A", "a", "i", "I", "1") and,
 * as sro-policy's own pages print them, class "paren" for "(1)" and
 * "close-paren" for "a)".
 */
function marker(type: string | undefined, cls: string | undefined, n: number): string {
  const token = type === 'A' || type === 'a' || type === 'i' || type === 'I' ? type : '1';
  const classes = (cls ?? '').split(/\s+/);
  const style = classes.includes('paren') ? `(${token})` : classes.includes('close-paren') ? `${token})` : `${token}.`;
  return formatMarker(style, n);
}

/** Deeper than any policy page nests: parse5 takes time that grows with the square of the depth, so such a page is refused first. */
export const MAX_HTML_DEPTH = 500;

export class HtmlTooDeep extends Error {
  constructor(readonly depth: number) {
    super(`nested more than ${MAX_HTML_DEPTH} elements deep`);
  }
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'p', 'li', 'td', 'th', 'tr', 'dt', 'dd', 'option']);

/** How deep the page's elements nest, roughly (tags that close themselves or are often left open do not count). */
function nesting(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(\/?)>/g)) {
    if (VOID.has(m[2]!.toLowerCase()) || m[3]) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

export function htmlToSampleText(html: string): string {
  const depth = nesting(html);
  if (depth > MAX_HTML_DEPTH) throw new HtmlTooDeep(depth);
  const paragraphs: string[] = [];
  let current = '';
  let afterStruck = false;
  const flush = () => {
    let t = current
      .replace(/[ \t\n\r]+/g, (ws) => (ws.includes('\u00a0') ? ws : ' '))
      .trim()
      .replace(new RegExp(` ?${CELL} ?`, 'g'), '\t')
      .replace(/\t+$/, '');
    // A bulleted item whose text starts with its own marker ("A. Notice", as Markdown prints an outline) is that item.
    const own = t.startsWith('• ') ? listMarker(t.slice(2)) : undefined;
    if (own && own.marker.style !== 'bullet') t = t.slice(2);
    if (t) paragraphs.push(t);
    current = '';
  };
  const inline = (n: Node, depth = 0): void => {
    // Past any real page's nesting (a hostile one nests tens of thousands deep), the words alone, without a stack.
    if (depth > MAX_DEPTH) {
      current += ` ${text(n)} `;
      return;
    }
    if (n.nodeName === '#text') {
      if ((n.value ?? '').trim() !== '') afterStruck = false;
      current += n.value ?? '';
      return;
    }
    const tag = n.tagName ?? '';
    if (SKIP.has(tag) || n.nodeName === '#comment') return;
    if (tag === 'br') {
      flush();
      return;
    }
    // A struck word and the inserted one right after it (<ins>, or bold as sro-policy's own Markdown prints it)
    // get the spacing a text sample gives a revision mark, in non-breaking spaces, which the layout keeps.
    if (STRUCK.has(tag) || (afterStruck && (tag === 'ins' || tag === 'strong' || tag === 'b'))) {
      afterStruck = STRUCK.has(tag);
      current = `${current.replace(/\s+$/, '')}\u00a0 ${text(n).trim()}\u00a0 `;
      return;
    }
    if (tag !== '') afterStruck = false;
    if (tag === 'ul' || tag === 'ol') {
      flush();
      const start = Number(attr(n, 'start') ?? '1') || 1;
      let k = 0;
      for (const li of n.childNodes ?? []) {
        if (li.tagName !== 'li') continue;
        const value = Number(attr(li, 'value') ?? '') || start + k;
        k = value - start + 1;
        current = tag === 'ul' ? '• ' : `${marker(attr(n, 'type'), attr(n, 'class'), value)} `;
        // A loose item (<li><p>…</p>…</li>, as Markdown renders an item of several paragraphs):
        // its marker goes with its first paragraph's words.
        let marked = false;
        for (const c of li.childNodes ?? []) {
          if (!marked && c.tagName === 'p') {
            marked = true;
            for (const g of c.childNodes ?? []) inline(g, depth + 3);
            flush();
            continue;
          }
          if (c.nodeName !== '#text' || (c.value ?? '').trim() !== '') marked = true;
          inline(c, depth + 2);
        }
        flush();
      }
      return;
    }
    // A table row is one paragraph, its cells apart by tabs, as Word's "save as text" gives a table.
    if (tag === 'tr') {
      flush();
      let cell = 0;
      for (const c of n.childNodes ?? []) {
        if (c.tagName !== 'td' && c.tagName !== 'th') continue;
        // A cell's words, whatever blocks hold them (Word puts a paragraph in each cell).
        if (cell++ > 0) current += CELL;
        current += ` ${text(c)} `;
      }
      flush();
      return;
    }
    // A definition list's term and its text are one paragraph, "Term: text", as the other editions print it.
    if (tag === 'dt') {
      flush();
      for (const c of n.childNodes ?? []) inline(c, depth + 1);
      current = `${current.trimEnd()}: `;
      return;
    }
    if (tag === 'dd') {
      for (const c of n.childNodes ?? []) inline(c, depth + 1);
      flush();
      return;
    }
    const block = BLOCKS.has(tag) || tag === 'li' || tag === 'table' || tag === 'body';
    if (block) flush();
    for (const c of n.childNodes ?? []) inline(c, depth + 1);
    if (block) flush();
  };
  /** The words under a node, walked without recursion. */
  const text = (root: Node): string => {
    let out = '';
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.nodeName === '#text') out += n.value ?? '';
      else if (!SKIP.has(n.tagName ?? '')) for (let i = (n.childNodes ?? []).length - 1; i >= 0; i--) stack.push(n.childNodes![i]!);
    }
    return out;
  };
  // The policy itself, without the page around it: its <article>, else its <main>, else the whole page.
  const find = (root: Node, tag: string): Node | undefined => {
    const stack = [root];
    while (stack.length) {
      const n = stack.shift()!;
      if (n.tagName === tag) return n;
      stack.push(...(n.childNodes ?? []));
    }
    return undefined;
  };
  const page = parse(html) as unknown as Node;
  inline(find(page, 'article') ?? find(page, 'main') ?? page);
  flush();
  // The "Referenced by:" list sro-policy's own Word pages end with (its HTML pages print it as navigation, left out above).
  const by = paragraphs.lastIndexOf('Referenced by:');
  if (by >= 0 && paragraphs.slice(by + 1).every((p) => /^\S+ - \S/.test(p))) paragraphs.length = by;
  return `${paragraphs.join('\n\n')}\n`;
}

/** A Markdown sample, without its front matter and without the "Referenced by:" list sro-policy's own pages end with. */
export function markdownToSampleText(markdown: string): string {
  const body = markdown.replace(/\r\n?/g, '\n').replace(/^---\n[\s\S]*?\n---\n/, '').replace(/\n\*\*Referenced by:\*\*\n[\s\S]*$/, '\n');
  return htmlToSampleText(markdownToHtml(body));
}
