// The assembled manual as JSON, for other tools (search indexes, comparison
// scripts, board portals). Stable: keys in a fixed order, no timestamps.
import type { DistrictConfig, DocBlock, DocItem, Document, Edition, Run } from '../model/model.js';
import { runsToPlain } from './runs.js';
import { assertNever } from '../model/walk.js';

export const MANUAL_JSON_VERSION = 1;

function plain(runs: readonly Run[] | undefined): string | undefined {
  return runs ? runsToPlain(runs) : undefined;
}

function item(it: DocItem): Record<string, unknown> {
  return {
    id: it.id,
    marker: it.marker,
    text: plain(it.text),
    ...(it.paragraphs ? { paragraphs: it.paragraphs.map((p) => plain(p)) } : {}),
    ...(it.children ? { items: it.children.items.map(item) } : {}),
  };
}

function block(b: DocBlock): Record<string, unknown> {
  switch (b.kind) {
    case 'label':
    case 'annotation':
      return { kind: b.kind, text: b.text, for: b.for };
    case 'heading':
      return { kind: 'heading', id: b.id, level: b.level, text: plain(b.text) };
    case 'paragraph':
      return { kind: 'paragraph', id: b.id, text: plain(b.text) };
    case 'note':
      return { kind: 'note', id: b.id, audience: b.audience, text: plain(b.text) };
    case 'list':
      return { kind: 'list', id: b.id, leadIn: plain(b.leadIn) ?? null, style: b.list.style, items: b.list.items.map(item) };
    case 'definitions':
      return { kind: 'definitions', id: b.id, leadIn: plain(b.leadIn) ?? null, items: b.items.map((d) => ({ id: d.id, term: plain(d.term), text: plain(d.text) })) };
    case 'table':
      return {
        kind: 'table',
        id: b.id,
        caption: plain(b.caption) ?? null,
        columns: b.columns.map((c) => plain(c)),
        rows: b.rows.map((r) => ({ id: r.id, cells: r.cells.map((c) => plain(c)) })),
      };
    case 'cf':
      return { kind: 'cf', for: b.for, cf: b.entries.map((e) => ({ number: e.number, title: e.title })) };
    default:
      return assertNever(b, 'block kind');
  }
}

export function documentJson(doc: Document, files: readonly string[]): Record<string, unknown> {
  return {
    number: doc.number,
    title: doc.title,
    series: doc.series,
    category: doc.category ?? null,
    kind: doc.kind,
    status: doc.status ?? null,
    files,
    selections: doc.selections,
    parts: doc.parts.map((p) => ({
      id: p.id,
      kind: p.kind,
      title: p.title,
      blocks: p.blocks.map(block),
      cf: p.cf,
      legal: p.legal,
      history: p.history.map((h) => ({ event: h.event, date: h.iso || null, printed: h.label + (h.date ? ` ${h.date}` : '') })),
    })),
  };
}

/** What the JSON export needs of each policy of the manual: its assembled document and the names of its pages. */
export interface JsonPolicy {
  document?: Document;
  files: readonly { name: string }[];
}

export function manualJson(planned: readonly JsonPolicy[], config: DistrictConfig, edition: Edition): string {
  const out = {
    generator: 'sro-policy',
    version: MANUAL_JSON_VERSION,
    edition,
    district: edition === 'district' ? config.district : null,
    // A build with the JSON export never takes pages from the cache, so every policy has its document.
    policies: planned.map((p) => documentJson(p.document!, p.files.map((f) => f.name))),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
