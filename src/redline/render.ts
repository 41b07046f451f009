// Redlines as Markdown (~~old~~ **new**) and as standalone HTML pages with
// <del>/<ins> styled for print: the same marks the sample edition uses for its
// revision marks (will ~~struck~~, may inserted), so a board reads both alike.
import type { PolicyRedline, RedlineUnit, Segment } from './redline.js';
import { escapeHtml, escapeMarkdown } from '../render/runs.js';

export interface RedlineMeta {
  /** What is compared, e.g. "district.yaml at v1.2 → working tree". */
  from: string;
  to: string;
}

/**
 * A replacement reads "~~old~~ **new**", with a space between the two marks,
 * exactly as the sample edition prints its revision marks.
 */
function separated(segments: readonly Segment[], render: (s: Segment) => string): string {
  let out = '';
  segments.forEach((s, i) => {
    const prev = segments[i - 1];
    if (prev && prev.op === 'del' && s.op === 'ins' && !/\s$/.test(prev.text) && !/^\s/.test(s.text)) out += ' ';
    out += render(s);
  });
  return out;
}

function mdSegments(segments: readonly Segment[]): string {
  return separated(segments, (s) => {
      if (s.op === 'same') return escapeMarkdown(s.text);
      // Keep the spaces outside the marks, or Markdown will not see them as emphasis.
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(s.text)!;
      if (m[2] === '') return s.text;
      return `${m[1]}${s.op === 'del' ? `~~${escapeMarkdown(m[2]!)}~~` : `**${escapeMarkdown(m[2]!)}**`}${m[3]}`;
  });
}

function htmlSegments(segments: readonly Segment[]): string {
  return separated(segments, (s) => (s.op === 'same' ? escapeHtml(s.text) : s.op === 'del' ? `<del>${escapeHtml(s.text)}</del>` : `<ins>${escapeHtml(s.text)}</ins>`));
}

const STATUS_NOTE: Record<string, string> = { moved: 'moved', inserted: 'added', deleted: 'removed' };

function mdUnit(u: RedlineUnit): string {
  const body = mdSegments(u.segments);
  const note = STATUS_NOTE[u.status] && u.kind !== 'annotation' ? ` *(${STATUS_NOTE[u.status]})*` : '';
  switch (u.kind) {
    case 'heading':
      return `${'#'.repeat(Math.min(6, 2 + (u.level ?? 1)))} ${body}${note}`;
    case 'part':
      return `## ${body}${note}`;
    case 'item':
      // The printed marker is text here: "1\." so that Markdown does not start a nested list.
      return `${'  '.repeat(u.depth)}- ${u.marker && u.marker !== '•' ? `${escapeMarkdown(u.marker).replace(/([.)])$/, '\\$1')} ` : ''}${body}${note}`;
    case 'legal':
      return `${'  '.repeat(u.depth)}- ${body}${note}`;
    case 'label':
    case 'annotation':
      return `*${body}*${note}`;
    default:
      return `${body}${note}`;
  }
}

export function redlineMarkdown(r: PolicyRedline, meta: RedlineMeta): string {
  const out: string[] = [];
  out.push(`# Redline: ${escapeMarkdown(r.number)} ${escapeMarkdown(r.title)}`);
  out.push('');
  out.push(`From ${escapeMarkdown(meta.from)} to ${escapeMarkdown(meta.to)}: ${r.inserted} words inserted, ${r.deleted} deleted${r.moved ? `, ${r.moved} ${r.moved === 1 ? 'block' : 'blocks'} moved` : ''}. Deleted text is ~~struck~~, inserted text **bold**.`);
  // Consecutive list lines stay one list; everything else is its own paragraph.
  let prevListy = false;
  let text = out.join('\n');
  for (const u of r.units) {
    const listy = u.kind === 'item' || u.kind === 'legal';
    text += (listy && prevListy ? '\n' : '\n\n') + mdUnit(u);
    prevListy = listy;
  }
  return `${text}\n`;
}

function htmlUnit(u: RedlineUnit): string {
  const body = htmlSegments(u.segments);
  const cls = `u-${u.status}`;
  const note = STATUS_NOTE[u.status] && u.kind !== 'annotation' ? ` <span class="status">(${STATUS_NOTE[u.status]})</span>` : '';
  switch (u.kind) {
    case 'heading': {
      const level = Math.min(6, 2 + (u.level ?? 1));
      return `<h${level} class="${cls}">${body}${note}</h${level}>`;
    }
    case 'part':
      return `<h2 class="${cls}">${body}${note}</h2>`;
    case 'item':
    case 'legal':
      return `<p class="item ${cls}" style="margin-left:${1.5 * (u.depth + 1)}rem">${u.marker ? `<span class="marker">${escapeHtml(u.marker)}</span> ` : ''}${body}${note}</p>`;
    case 'label':
    case 'annotation':
      return `<p class="label ${cls}">${body}${note}</p>`;
    default:
      return `<p class="${cls}">${body}${note}</p>`;
  }
}

export const REDLINE_CSS = `body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.5rem; font: 1rem/1.55 Georgia, "Times New Roman", serif; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.5rem; }
.summary { color: #555; }
del { color: #8b0000; text-decoration: line-through; }
ins { color: #1b5e20; background: #e8f5e9; text-decoration: underline double; }
.u-inserted { border-left: 3px solid #00527a; padding-left: .5rem; }
.u-deleted { border-left: 3px solid #8b0000; padding-left: .5rem; }
.u-moved { border-left: 3px dotted #555; padding-left: .5rem; }
.status { font-size: .85em; color: #555; font-style: italic; }
.label { font-style: italic; color: #555; }
.item { margin-top: .2rem; margin-bottom: .2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  del, ins { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  p, h2, h3 { break-inside: avoid; }
}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="generator" content="sro-policy">
<style>
${REDLINE_CSS}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function redlineHtml(r: PolicyRedline, meta: RedlineMeta): string {
  const body = [
    `<h1>Redline: ${escapeHtml(r.number)} ${escapeHtml(r.title)}</h1>`,
    `<p class="summary">From ${escapeHtml(meta.from)} to ${escapeHtml(meta.to)}: ${r.inserted} words inserted, ${r.deleted} deleted${r.moved ? `, ${r.moved} ${r.moved === 1 ? 'block' : 'blocks'} moved` : ''}. Deleted text is <del>struck</del>, inserted text <ins>underlined</ins>.</p>`,
    '<article>',
    ...r.units.map(htmlUnit),
    '</article>',
  ].join('\n');
  return page(`Redline ${r.number} ${r.title}`, body);
}

export interface SummaryEntry {
  redline: PolicyRedline;
  md: string;
  html: string;
}

export function summaryMarkdown(entries: readonly SummaryEntry[], meta: RedlineMeta): string {
  const lines = [`# Redline summary`, '', `From ${escapeMarkdown(meta.from)} to ${escapeMarkdown(meta.to)}: ${entries.length} ${entries.length === 1 ? 'policy' : 'policies'} changed.`, ''];
  lines.push('| Policy | Title | Words inserted | Words deleted | Blocks moved |', '| --- | --- | --- | --- | --- |');
  for (const e of entries) lines.push(`| [${escapeMarkdown(e.redline.number)}](${e.md}) | ${escapeMarkdown(e.redline.title)} | ${e.redline.inserted} | ${e.redline.deleted} | ${e.redline.moved} |`);
  return `${lines.join('\n')}\n`;
}

export function summaryHtml(entries: readonly SummaryEntry[], meta: RedlineMeta): string {
  const rows = entries
    .map((e) => `<tr><td><a href="${escapeHtml(e.html)}">${escapeHtml(e.redline.number)}</a></td><td>${escapeHtml(e.redline.title)}</td><td>${e.redline.inserted}</td><td>${e.redline.deleted}</td><td>${e.redline.moved}</td></tr>`)
    .join('\n');
  const body = [
    '<h1>Redline summary</h1>',
    `<p class="summary">From ${escapeHtml(meta.from)} to ${escapeHtml(meta.to)}: ${entries.length} ${entries.length === 1 ? 'policy' : 'policies'} changed.</p>`,
    '<table>',
    '<thead><tr><th scope="col">Policy</th><th scope="col">Title</th><th scope="col">Words inserted</th><th scope="col">Words deleted</th><th scope="col">Blocks moved</th></tr></thead>',
    `<tbody>\n${rows}\n</tbody>`,
    '</table>',
  ].join('\n');
  return page('Redline summary', body);
}
