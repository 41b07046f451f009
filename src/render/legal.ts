// The legal references of a part, as Markdown and as HTML.
import type { DocLegal, DocPart, Document } from '../model/model.js';
import { escapeHtml, escapeMarkdown } from './runs.js';

export function legalToMarkdown(part: DocPart, doc: Document): string {
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push(list.join('\n'));
    list = [];
  };
  const entry = (e: DocLegal, indent: string) => {
    if (e.text !== undefined) list.push(`${indent}- ${escapeMarkdown(e.text)}`);
    const childIndent = e.text !== undefined ? `${indent}  ` : indent;
    for (const c of e.items) entry(c, childIndent);
  };
  part.legal.forEach((e, i) => {
    if (e.group !== undefined) {
      if (i === 0) out.push(`${escapeMarkdown(doc.labels.legal)} ${escapeMarkdown(e.group)}`);
      else {
        flush();
        out.push(escapeMarkdown(e.group));
      }
    } else if (i === 0) out.push(escapeMarkdown(doc.labels.legal));
    entry(e, '');
  });
  flush();
  return out.join('\n\n');
}

export function legalToHtml(part: DocPart, doc: Document): string {
  const out: string[] = ['<section class="legal" aria-label="Legal references">'];
  let open = false;
  const items = (e: DocLegal): string => {
    const children = e.items.length ? `\n<ul>\n${e.items.map(items).join('\n')}\n</ul>\n` : '';
    return e.text !== undefined ? `<li>${escapeHtml(e.text)}${children}</li>` : e.items.map(items).join('\n');
  };
  part.legal.forEach((e, i) => {
    if (e.group !== undefined || i === 0) {
      if (open) out.push('</ul>');
      const heading = i === 0 ? `<strong class="label">${escapeHtml(doc.labels.legal)}</strong>${e.group !== undefined ? ` ${escapeHtml(e.group)}` : ''}` : escapeHtml(e.group ?? '');
      out.push(`<p>${heading}</p>`, '<ul class="legal">');
      open = true;
    }
    out.push(items(e));
  });
  if (open) out.push('</ul>');
  out.push('</section>');
  return out.join('\n');
}
