// Redlines: a word-level, structure-aware comparison of two assembled editions
// of a policy. Blocks and list items are matched by id, so a list renumbered by
// a selection shows no changed words; a block that changed place is shown as
// moved, not as deleted and inserted. Pure: documents in, redline out.
import { cfEntry } from '../assemble/wording.js';
import { createRequire } from 'node:module';
import type { DocBlock, DocItem, Document, Run } from '../model/model.js';
import { runsToPlain } from '../render/runs.js';
import { assertNever } from '../model/walk.js';

// jsdiff is needed only when something changed: load it then.
let jsdiff: typeof import('diff') | undefined;
const diff = () => (jsdiff ??= createRequire(import.meta.url)('diff') as typeof import('diff'));
const diffWords = (a: string, b: string) => diff().diffWords(a, b);

export interface Unit {
  key: string;
  kind: 'heading' | 'paragraph' | 'lead-in' | 'item' | 'note' | 'term' | 'definition' | 'row' | 'label' | 'annotation' | 'cf' | 'legal' | 'history' | 'part';
  text: string;
  /** Printed list marker (not compared: numbering follows selection). */
  marker?: string;
  depth: number;
  level?: number;
}

export type UnitStatus = 'same' | 'changed' | 'inserted' | 'deleted' | 'moved';

export interface Segment {
  text: string;
  op: 'same' | 'del' | 'ins';
}

export interface RedlineUnit extends Unit {
  status: UnitStatus;
  segments: Segment[];
}

export interface PolicyRedline {
  number: string;
  title: string;
  units: RedlineUnit[];
  inserted: number;
  deleted: number;
  moved: number;
  changed: boolean;
}

function plain(runs: readonly Run[] | undefined): string {
  return runs ? runsToPlain(runs) : '';
}

export function wordCount(s: string): number {
  const t = s.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** A document as a flat sequence of comparable units with stable keys. */
export function unitsOf(doc: Document): Unit[] {
  const out: Unit[] = [];
  const items = (list: DocItem[], depth: number) => {
    for (const it of list) {
      out.push({ key: `item:${it.id}`, kind: 'item', text: plain(it.text), marker: it.marker, depth });
      it.paragraphs?.forEach((p, i) => out.push({ key: `item:${it.id}:${i + 1}`, kind: 'paragraph', text: plain(p), depth: depth + 1 }));
      if (it.children) items(it.children.items, depth + 1);
    }
  };
  const block = (b: DocBlock, partId: string) => {
    switch (b.kind) {
      case 'label':
        out.push({ key: `label:${b.for}`, kind: 'label', text: b.text, depth: 0 });
        break;
      case 'annotation':
        out.push({ key: `annotation:${b.for}:${b.text}`, kind: 'annotation', text: b.text, depth: 0 });
        break;
      case 'heading':
        out.push({ key: `block:${b.id}`, kind: 'heading', text: plain(b.text), depth: 0, level: b.level });
        break;
      case 'paragraph':
        out.push({ key: `block:${b.id}`, kind: 'paragraph', text: plain(b.text), depth: 0 });
        break;
      case 'note':
        out.push({ key: `block:${b.id}`, kind: 'note', text: `${b.label ? `${b.label} ` : ''}${plain(b.text)}`, depth: 0 });
        break;
      case 'list':
        if (b.leadIn) out.push({ key: `lead-in:${b.id}`, kind: 'lead-in', text: plain(b.leadIn), depth: 0 });
        items(b.list.items, 0);
        break;
      case 'definitions':
        if (b.leadIn) out.push({ key: `lead-in:${b.id}`, kind: 'lead-in', text: plain(b.leadIn), depth: 0 });
        for (const d of b.items) out.push({ key: `item:${d.id}`, kind: 'definition', text: `${plain(d.term)}: ${plain(d.text)}`, depth: 0 });
        break;
      case 'table':
        for (const r of b.rows) out.push({ key: `item:${r.id}`, kind: 'row', text: r.cells.map(plain).join(' | '), depth: 0 });
        break;
      case 'cf':
        for (const e of b.entries) out.push({ key: `cf:${e.number}`, kind: 'cf', text: `(${b.label} ${cfEntry(e, b.separator)})`, depth: 0 });
        break;
      default:
        assertNever(b, 'block kind');
    }
    void partId;
  };
  doc.parts.forEach((p, i) => {
    if (i > 0) out.push({ key: `part:${p.id}`, kind: 'part', text: p.verbatim ? p.heading ?? '' : `${p.heading ?? ''}: ${p.title}`, depth: 0 });
    for (const b of p.blocks) block(b, p.id);
    const cfLine = (c: { number: string; title: string }) => {
      const entry = cfEntry(c, doc.labels.cfSeparator);
      return doc.labels.cfHeading ? entry : `(${doc.labels.cf} ${entry})`;
    };
    for (const c of p.cf) out.push({ key: `cf:${p.id}:${c.number}`, kind: 'cf', text: cfLine(c), depth: 0 });
    const legal = (l: Document['parts'][number]['legal'][number], depth: number) => {
      const text = l.text ?? l.group;
      if (text !== undefined) out.push({ key: `legal:${l.id}`, kind: 'legal', text, depth });
      for (const c of l.items) legal(c, l.text !== undefined ? depth + 1 : depth);
    };
    for (const l of p.legal) legal(l, 0);
    p.history.forEach((h, j) => out.push({ key: `history:${p.id}:${j}`, kind: 'history', text: `${h.label}${h.date ? ` ${h.date}` : ''}`, depth: 0 }));
  });
  // Keys are unique by construction except repeated annotations; keep the first.
  const seen = new Set<string>();
  return out.filter((u) => (seen.has(u.key) ? false : (seen.add(u.key), true)));
}

/**
 * Keys that keep their order from one side to the other (a longest common
 * subsequence, from jsdiff): common keys outside it are the moved blocks.
 */
function stableKeys(a: string[], b: string[]): Set<string> {
  const inB = new Set(b);
  const inA = new Set(a);
  const keep = new Set<string>();
  for (const part of diff().diffArrays(
    a.filter((k) => inB.has(k)),
    b.filter((k) => inA.has(k)),
  )) {
    if (!part.added && !part.removed) for (const k of part.value) keep.add(k);
  }
  return keep;
}

function wordSegments(oldText: string, newText: string): Segment[] {
  return diffWords(oldText, newText).map((c) => ({ text: c.value, op: c.added ? 'ins' : c.removed ? 'del' : 'same' }));
}

export function redline(oldDoc: Document | undefined, newDoc: Document | undefined): PolicyRedline {
  const doc = (newDoc ?? oldDoc)!;
  const a = oldDoc ? unitsOf(oldDoc) : [];
  const b = newDoc ? unitsOf(newDoc) : [];
  const byKeyA = new Map(a.map((u) => [u.key, u]));
  const byKeyB = new Map(b.map((u) => [u.key, u]));
  const stable = stableKeys(
    a.map((u) => u.key),
    b.map((u) => u.key),
  );
  const units: RedlineUnit[] = [];
  let inserted = 0;
  let deleted = 0;
  let moved = 0;
  let ai = 0;
  const flushDeleted = (untilKey: string | undefined) => {
    while (ai < a.length && a[ai]!.key !== untilKey) {
      const u = a[ai]!;
      ai++;
      if (byKeyB.has(u.key)) continue; // kept (moved or stable), shown at its new place
      deleted += wordCount(u.text);
      units.push({ ...u, status: 'deleted', segments: [{ text: u.text, op: 'del' }] });
    }
  };
  for (const u of b) {
    const old = byKeyA.get(u.key);
    if (old && stable.has(u.key)) {
      flushDeleted(u.key);
      ai++;
    }
    if (!old) {
      inserted += wordCount(u.text);
      units.push({ ...u, status: 'inserted', segments: [{ text: u.text, op: 'ins' }] });
      continue;
    }
    const isMoved = !stable.has(u.key);
    if (isMoved) moved++;
    if (old.text === u.text) {
      units.push({ ...u, status: isMoved ? 'moved' : 'same', segments: [{ text: u.text, op: 'same' }] });
      continue;
    }
    const segments = wordSegments(old.text, u.text);
    for (const s of segments) {
      if (s.op === 'ins') inserted += wordCount(s.text);
      if (s.op === 'del') deleted += wordCount(s.text);
    }
    units.push({ ...u, status: isMoved ? 'moved' : 'changed', segments });
  }
  flushDeleted(undefined);
  return {
    number: doc.number,
    title: doc.title,
    units,
    inserted,
    deleted,
    moved,
    changed: units.some((u) => u.status !== 'same'),
  };
}
