// The body of a part (paragraphs, lists, tables…) as Markdown or HTML. Page
// layout (header, references, history, footer) lives in the Handlebars
// templates; block markup lives here because Markdown nesting depends on exact
// indentation, which templates handle badly.
import type { DocBlock, DocItem, DocList, Run } from '../model/model.js';
import { escapeBlockStart, escapeHtml, escapeMarkdown, runsToHtml, runsToMarkdown } from './runs.js';
import { assertNever } from '../model/walk.js';
import { cfEntry } from '../assemble/wording.js';

// ---------------------------------------------------------------- Markdown

/** A policy's page in this format, when it is in the manual (cross-references printed in the body link to it). */
export type PageLink = (number: string) => string | undefined;
const NO_LINK: PageLink = () => undefined;


export function blocksToMarkdown(blocks: readonly DocBlock[], headingBase: number, link: PageLink = NO_LINK): string {
  const out: string[] = [];
  for (const b of blocks) out.push(blockToMarkdown(b, headingBase, link));
  return out.filter((s) => s !== '').join('\n\n');
}

function blockToMarkdown(b: DocBlock, headingBase: number, link: PageLink): string {
  switch (b.kind) {
    case 'label':
      return `*${escapeMarkdown(b.text)}*`;
    case 'annotation':
      return `> *${escapeMarkdown(b.text)}*`;
    case 'heading':
      return `${'#'.repeat(Math.min(6, headingBase + b.level))} ${runsToMarkdown(b.text)}`;
    case 'paragraph':
      return runsToMarkdown(b.text);
    case 'note':
      return b.label
        ? quote(`**${escapeMarkdown(b.label)}** ${runsToMarkdown(b.text)}`)
        : runsToMarkdown(b.text);
    case 'list': {
      const parts: string[] = [];
      if (b.leadIn) parts.push(runsToMarkdown(b.leadIn));
      parts.push(listToMarkdown(b.list));
      return parts.join('\n\n');
    }
    case 'definitions': {
      const parts: string[] = [];
      if (b.leadIn) parts.push(runsToMarkdown(b.leadIn));
      for (const d of b.items) {
        if (d.label) parts.push(`*${escapeMarkdown(d.label)}*`);
        // CommonMark has no definition lists: the term in bold, then its text, one paragraph each.
        parts.push(`**${runsToMarkdown(d.term)}**: ${runsToMarkdown(d.text)}`);
      }
      return parts.join('\n\n');
    }
    case 'table': {
      // Values arrive with "|" escaped already; escape the others without doubling ("\\|" ends a cell in GFM).
      const cell = (r: Run[]) => runsToMarkdown(r).replace(/\\?\|/g, '\\|').replace(/\n/g, ' ');
      const lines: string[] = [];
      if (b.caption) lines.push(`*${runsToMarkdown(b.caption)}*`, '');
      lines.push(`| ${b.columns.map(cell).join(' | ')} |`);
      lines.push(`| ${b.columns.map(() => '---').join(' | ')} |`);
      for (const row of b.rows) {
        // A table cannot hold a paragraph: the label takes a row of its own, in the first column.
        if (row.label) lines.push(`| *${escapeMarkdown(row.label)}* |${' |'.repeat(b.columns.length - 1)}`);
        lines.push(`| ${row.cells.map(cell).join(' | ')} |`);
      }
      return lines.join('\n');
    }
    case 'cf':
      return b.entries
        .map((e) => {
          const href = link(e.number);
          const text = escapeMarkdown(cfEntry(e, b.separator));
          return `(${escapeMarkdown(b.label)} ${href ? `[${text}](${href})` : text})`;
        })
        .join('\n\n');
    default:
      return assertNever(b, 'block kind');
  }
}

function quote(s: string): string {
  return s
    .split('\n')
    .map((l) => (l === '' ? '>' : `> ${l}`))
    .join('\n');
}

function isDecimal(style: string): boolean {
  return style === '1.' || style === '1)';
}

/**
 * An unmarked list ("none": an address, a signature block) has no Markdown
 * form: its items are lines of one paragraph, joined by hard line breaks.
 */
function plainListToMarkdown(list: DocList): string {
  const chunks: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) chunks.push(lines.join('\\\n'));
    lines = [];
  };
  for (const item of list.items) {
    if (item.label) {
      flush();
      chunks.push(`*${escapeMarkdown(item.label)}*`);
    }
    lines.push(escapeBlockStart(runsToMarkdown(item.text)));
    if (item.paragraphs?.length) {
      flush();
      for (const p of item.paragraphs) chunks.push(escapeBlockStart(runsToMarkdown(p)));
    }
    if (item.children) {
      flush();
      chunks.push(listToMarkdown(item.children));
    }
  }
  flush();
  return chunks.join('\n\n');
}

/** Markdown can number only with digits; other styles keep their printed marker as text. */
function listToMarkdown(list: DocList): string {
  if (list.style === 'none') return plainListToMarkdown(list);
  const chunks: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) chunks.push(current.join('\n'));
    current = [];
  };
  for (const item of list.items) {
    if (item.label) {
      flush();
      chunks.push(`*${escapeMarkdown(item.label)}*`);
    }
    current.push(itemToMarkdown(item, list.style));
  }
  flush();
  return chunks.join('\n\n');
}

function itemToMarkdown(item: DocItem, style: string): string {
  let marker: string;
  let text = runsToMarkdown(item.text);
  if (isDecimal(style)) marker = `${item.ordinal}${style === '1)' ? ')' : '.'}`;
  else {
    marker = '-';
    if (style !== 'bullet' && style !== 'none') text = `${escapeMarkdown(item.marker)} ${text}`;
  }
  const indent = ' '.repeat(marker.length + 1);
  let s = `${marker} ${indentLines(text, indent)}`;
  // Continuation paragraphs sit inside the item, indented to its text.
  for (const p of item.paragraphs ?? []) s += `\n\n${indentLines(escapeBlockStart(runsToMarkdown(p)), indent, true)}`;
  // A nested list follows its item's line directly, so the outer list stays tight;
  // a label (sample edition) is a paragraph and needs the blank line.
  if (item.children) s += `${item.children.items[0]?.label || item.paragraphs ? '\n\n' : '\n'}${indentLines(listToMarkdown(item.children), indent, true)}`;
  return s;
}

function indentLines(s: string, indent: string, first = false): string {
  return s
    .split('\n')
    .map((l, i) => (l === '' ? '' : i === 0 && !first ? l : indent + l))
    .join('\n');
}

// ---------------------------------------------------------------- HTML

export function blocksToHtml(blocks: readonly DocBlock[], headingBase: number, link: PageLink = NO_LINK): string {
  return blocks.map((b) => blockToHtml(b, headingBase, link)).join('\n');
}

function idAttr(id: string): string {
  return ` id="${escapeHtml(id)}"`;
}

function blockToHtml(b: DocBlock, headingBase: number, link: PageLink): string {
  switch (b.kind) {
    case 'label':
      return `<p class="label">${escapeHtml(b.text)}</p>`;
    case 'annotation':
      return `<aside class="annotation"><p>${escapeHtml(b.text)}</p></aside>`;
    case 'heading': {
      const level = Math.min(6, headingBase + b.level);
      return `<h${level}${idAttr(b.id)}>${runsToHtml(b.text)}</h${level}>`;
    }
    case 'paragraph':
      return `<p${idAttr(b.id)}>${runsToHtml(b.text)}</p>`;
    case 'note':
      return b.label
        ? `<aside class="note board-note"${idAttr(b.id)}><p><strong>${escapeHtml(b.label)}</strong> ${runsToHtml(b.text)}</p></aside>`
        : `<p class="note"${idAttr(b.id)}>${runsToHtml(b.text)}</p>`;
    case 'list': {
      const lead = b.leadIn ? `<p class="lead-in">${runsToHtml(b.leadIn)}</p>\n` : '';
      return `<div class="list"${idAttr(b.id)}>\n${lead}${listToHtml(b.list)}\n</div>`;
    }
    case 'definitions': {
      const lead = b.leadIn ? `<p class="lead-in">${runsToHtml(b.leadIn)}</p>\n` : '';
      const items = labelled(b.items, () => '<dl>', '</dl>', (d) => `<dt${idAttr(d.id)}>${runsToHtml(d.term)}</dt>\n<dd>${runsToHtml(d.text)}</dd>`);
      return `<div class="definitions"${idAttr(b.id)}>\n${lead}${items}\n</div>`;
    }
    case 'table': {
      const caption = b.caption ? `<caption>${runsToHtml(b.caption)}</caption>\n` : '';
      const head = `<thead><tr>${b.columns.map((c) => `<th scope="col">${runsToHtml(c)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows
        .map((r) => {
          const row = `<tr${idAttr(r.id)}>${r.cells.map((c) => `<td>${runsToHtml(c)}</td>`).join('')}</tr>`;
          return r.label ? `<tr class="label"><td colspan="${b.columns.length}">${escapeHtml(r.label)}</td></tr>\n${row}` : row;
        })
        .join('\n');
      return `<table${idAttr(b.id)}>\n${caption}${head}\n<tbody>\n${rows}\n</tbody>\n</table>`;
    }
    case 'cf': {
      const items = b.entries.map((e) => {
        const href = link(e.number);
        const text = escapeHtml(cfEntry(e, b.separator));
        return `<li>(${escapeHtml(b.label)} ${href ? `<a href="${escapeHtml(href)}">${text}</a>` : text})</li>`;
      });
      return `<ul class="cf">\n${items.join('\n')}\n</ul>`;
    }
    default:
      return assertNever(b, 'block kind');
  }
}

const OL_TYPES: Record<string, string> = { '1': '1', a: 'a', A: 'A', i: 'i', I: 'I' };

function listOpen(style: string, start: number): string {
  if (style === 'bullet') return '<ul>';
  if (style === 'none') return '<ul class="plain">';
  // Unmarked as a plain list is: the box is printed in the item.
  if (style === 'checkbox') return '<ul class="plain checkbox">';
  const m = /^(\(?)([1aAiI])([.)]?)$/.exec(style);
  const token = m?.[2] ?? '1';
  const cls = m && (m[1] === '(' || m[3] === ')') ? ` class="${m[1] === '(' ? 'paren' : 'close-paren'}"` : '';
  const type = token === '1' ? '' : ` type="${OL_TYPES[token]}"`;
  return `<ol${type}${cls}${start !== 1 ? ` start="${start}"` : ''}>`;
}

function listToHtml(list: DocList): string {
  const ordered = list.style !== 'bullet' && list.style !== 'none' && list.style !== 'checkbox';
  const box = list.style === 'checkbox' ? '<span class="box">[ ]</span> ' : '';
  return labelled(list.items, (first) => listOpen(list.style, first.ordinal), ordered ? '</ol>' : '</ul>', (item) => {
    const children = item.children ? `\n${listToHtml(item.children)}\n` : '';
    const paragraphs = (item.paragraphs ?? []).map((p) => `\n<p class="continued">${runsToHtml(p)}</p>`).join('');
    return `<li${idAttr(item.id)}${ordered ? ` value="${item.ordinal}"` : ''}>${box}${runsToHtml(item.text)}${paragraphs}${children}</li>`;
  });
}

/**
 * Items in an HTML list, split where an item has a label (sample edition): the
 * label is a paragraph between two lists, since a list holds only its items.
 * `open` starts a list at its first item (an ordered list continues the numbering).
 */
function labelled<T extends { label?: string }>(items: readonly T[], open: (first: T) => string, close: string, item: (it: T) => string): string {
  const out: string[] = [];
  let isOpen = false;
  for (const it of items) {
    if (it.label) {
      if (isOpen) out.push(close);
      out.push(`<p class="label">${escapeHtml(it.label)}</p>`);
      isOpen = false;
    }
    if (!isOpen) out.push(open(it));
    isOpen = true;
    out.push(item(it));
  }
  if (isOpen) out.push(close);
  return out.join('\n');
}
