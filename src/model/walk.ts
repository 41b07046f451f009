// One walk over the clauses of a policy, and one over the blocks of an
// assembled document: each switch over block kinds ends in assertNever, so a
// block kind that a stage forgets does not compile.
import type { AlternativeMember, Block, DefinitionItem, DocBlock, DocItem, DocList, Inline, ListItem, Part, TableRow } from './model.js';

/** For the default of a switch that has handled every case: a value left over does not compile. */
export function assertNever(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

export type ListBlock = Block & { kind: 'list' };
export type DefinitionsBlock = Block & { kind: 'definitions' };
export type TableBlock = Block & { kind: 'table' };
export type AlternativesBlock = Block & { kind: 'alternatives' };

/** What a walk over clauses meets, each with the array it sits in (deviations move and remove them). */
export interface ClauseVisitor {
  /** Every block, before its items, rows or members. */
  block?(b: Block, array: Block[], index: number): void;
  /** Every list item, before its nested items. */
  item?(it: ListItem, array: ListItem[], index: number, list: ListBlock): void;
  definition?(d: DefinitionItem, array: DefinitionItem[], index: number, block: DefinitionsBlock): void;
  row?(r: TableRow, array: TableRow[], index: number, block: TableBlock): void;
  /** An alternative group's member, before its blocks. */
  member?(m: AlternativeMember, group: AlternativesBlock): void;
}

export function walkBlocks(blocks: Block[], v: ClauseVisitor): void {
  blocks.forEach((b, index) => {
    v.block?.(b, blocks, index);
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
      case 'note':
        return;
      case 'list':
        return walkItems(b.items, b, v);
      case 'definitions':
        return b.items.forEach((d, i) => v.definition?.(d, b.items, i, b));
      case 'table':
        return b.rows.forEach((r, i) => v.row?.(r, b.rows, i, b));
      case 'alternatives':
        for (const m of b.members) {
          v.member?.(m, b);
          walkBlocks(m.blocks, v);
        }
        return;
      case 'section':
        return walkBlocks(b.blocks, v);
      default:
        return assertNever(b, 'block kind');
    }
  });
}

/**
 * The blocks a block holds (a section's, each alternative member's), for walks
 * that carry something down the tree: what holds a block, its optional
 * language, its conditions.
 */
export function nestedBlocks(b: Block): { blocks: Block[]; member?: AlternativeMember }[] {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
    case 'note':
    case 'list':
    case 'definitions':
    case 'table':
      return [];
    case 'alternatives':
      return b.members.map((m) => ({ blocks: m.blocks, member: m }));
    case 'section':
      return [{ blocks: b.blocks }];
    default:
      return assertNever(b, 'block kind');
  }
}

function walkItems(items: ListItem[], list: ListBlock, v: ClauseVisitor): void {
  items.forEach((it, index) => {
    v.item?.(it, items, index, list);
    walkItems(it.items, list, v);
  });
}

export function walkParts(parts: readonly Part[], v: ClauseVisitor): void {
  for (const p of parts) walkBlocks(p.body, v);
}

/** The clause text a block holds itself (not its items', rows' or members'). */
export function ownTexts(b: Block): Inline[][] {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
    case 'note':
      return [b.text];
    case 'list':
    case 'definitions':
      return b.leadIn ? [b.leadIn] : [];
    case 'table':
      return [...(b.caption ? [b.caption] : []), ...b.columns];
    case 'alternatives':
    case 'section':
      return [];
    default:
      return assertNever(b, 'block kind');
  }
}

/** Every piece of clause text in some parts, blocks, items, definitions and rows alike. */
export function* allTexts(parts: readonly Part[]): Generator<Inline[]> {
  const out: Inline[][] = [];
  walkParts(parts, {
    block: (b) => out.push(...ownTexts(b)),
    item: (it) => out.push(it.text, ...(it.paragraphs ?? [])),
    definition: (d) => out.push(d.term, d.text),
    row: (r) => out.push(...r.cells),
  });
  yield* out;
}

/** What a walk over an assembled document meets. */
export interface DocumentVisitor {
  block?(b: DocBlock): void;
  /** Every item of a list, before its nested list's items. */
  item?(it: DocItem, list: DocList, block: DocBlock & { kind: 'list' }): void;
}

export function walkDocument(blocks: readonly DocBlock[], v: DocumentVisitor): void {
  for (const b of blocks) {
    v.block?.(b);
    switch (b.kind) {
      case 'label':
      case 'annotation':
      case 'heading':
      case 'paragraph':
      case 'note':
      case 'definitions':
      case 'table':
      case 'cf':
        break;
      case 'list': {
        const items = (list: DocList) => {
          for (const it of list.items) {
            v.item?.(it, list, b);
            if (it.children) items(it.children);
          }
        };
        items(b.list);
        break;
      }
      default:
        assertNever(b, 'document block kind');
    }
  }
}
