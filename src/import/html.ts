// import: an HTML (or Markdown) sample as the plain text the recogniser reads:
// one paragraph per block, list items with the markers the page shows
// (numbered from the list's start and type), and a struck word beside an
// inserted one as the revision mark a text sample prints ("  will  may  ").
// parse5 reads the HTML as a browser does. Pure.
import { parse } from 'parse5';
import { markdownToHtml } from '../render/runs.js';
import { listMarker } from './paragraphs.js';

interface Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'section', 'article', 'header', 'footer', 'blockquote', 'tr', 'dt', 'dd', 'pre', 'address']);
const SKIP = new Set(['head', 'script', 'style', 'nav', 'template', 'noscript']);
const STRUCK = new Set(['del', 's', 'strike']);

function attr(n: Node, name: string): string | undefined {
  return n.attrs?.find((a) => a.name === name)?.value;
}

function marker(type: string | undefined, n: number): string {
  switch (type) {
    case 'A':
      return `${String.fromCharCode(64 + n)}.`;
    case 'a':
      return `${String.fromCharCode(96 + n)}.`;
    case 'i':
      return `${['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'][n - 1] ?? n}.`;
    default:
      return `${n}.`;
  }
}

export function htmlToSampleText(html: string): string {
  const paragraphs: string[] = [];
  let current = '';
  let afterStruck = false;
  const flush = () => {
    let t = current.replace(/[ \t\n\r]+/g, (ws) => (ws.includes('\u00a0') ? ws : ' ')).trim();
    // A bulleted item whose text starts with its own marker ("A. Notice", as Markdown prints an outline) is that item.
    const own = t.startsWith('• ') ? listMarker(t.slice(2)) : undefined;
    if (own && own.marker.style !== 'bullet') t = t.slice(2);
    if (t) paragraphs.push(t);
    current = '';
  };
  const inline = (n: Node): void => {
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
        current = tag === 'ul' ? '• ' : `${marker(attr(n, 'type'), value)} `;
        for (const c of li.childNodes ?? []) inline(c);
        flush();
      }
      return;
    }
    const block = BLOCKS.has(tag) || tag === 'li' || tag === 'table' || tag === 'body';
    if (block) flush();
    for (const c of n.childNodes ?? []) inline(c);
    if (block) flush();
  };
  const text = (n: Node): string => (n.nodeName === '#text' ? (n.value ?? '') : (n.childNodes ?? []).map(text).join(''));
  // The policy itself, without the page around it: its <article>, else its <main>, else the whole page.
  const find = (n: Node, tag: string): Node | undefined => (n.tagName === tag ? n : (n.childNodes ?? []).map((c) => find(c, tag)).find(Boolean));
  const page = parse(html) as unknown as Node;
  inline(find(page, 'article') ?? find(page, 'main') ?? page);
  flush();
  return `${paragraphs.join('\n\n')}\n`;
}

/** A Markdown sample, without its front matter and without the "Referenced by:" list sro-policy's own pages end with. */
export function markdownToSampleText(markdown: string): string {
  const body = markdown.replace(/\r\n?/g, '\n').replace(/^---\n[\s\S]*?\n---\n/, '').replace(/\n\*\*Referenced by:\*\*\n[\s\S]*$/, '\n');
  return htmlToSampleText(markdownToHtml(body));
}
