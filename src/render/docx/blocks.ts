// DOCX, blocks: a policy's document blocks as Word paragraphs and tables, in
// named styles a district can restyle ("Lead-in", "Legal Reference", …), and
// lists with Word's own numbering: one numbering definition per list style
// ("1.", "A.", "(1)", "a)", bullets), each list an instance of it that starts
// again at one, so Word numbers the items the district kept as every other
// format does.
import type { ILevelsOptions, INumberingOptions, Paragraph, ParagraphChild, Table, TableRow } from 'docx';
import { docxLib } from './lib.js';
import type { DocBlock, DocLegal, DocList, Run } from '../../model/model.js';
import { assertNever } from '../../model/walk.js';
import { cfEntry } from '../../assemble/wording.js';
import { commentAnchor, runsToDocx, type Revision } from './runs.js';

/** Word's number formats by the token of a list style. */
const FORMATS: Record<string, 'decimal' | 'lowerLetter' | 'upperLetter' | 'lowerRoman' | 'upperRoman'> = {
  '1': 'decimal',
  a: 'lowerLetter',
  A: 'upperLetter',
  i: 'lowerRoman',
  I: 'upperRoman',
};

/** The numbering definitions a document's lists use, and a new instance (a list that starts at one) per list. */
export class Numbering {
  private readonly styles = new Map<string, string>();
  private instance = 0;

  /** The reference of a list style's definition and a fresh instance of it; undefined for a list Word does not number (none, a checkbox list). */
  listOf(style: string): { reference: string; instance: number } | undefined {
    if (style === 'none' || style === 'checkbox') return undefined;
    let reference = this.styles.get(style);
    if (!reference) this.styles.set(style, (reference = `list-${this.styles.size + 1}`));
    return { reference, instance: ++this.instance };
  }

  options(): INumberingOptions {
    return {
      config: [...this.styles].map(([style, reference]) => ({ reference, levels: levels(style) })),
    };
  }
}

function levels(style: string): ILevelsOptions[] {
  const { AlignmentType, LevelFormat } = docxLib();
  const m = /^(\(?)([1aAiI])([.)]?)$/.exec(style);
  return Array.from({ length: 9 }, (_, level) => {
    const indent = { left: 720 * (level + 1), hanging: 360 };
    if (!m) return { level, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT, style: { paragraph: { indent } } };
    const [, open, token, close] = m;
    return { level, format: FORMATS[token!]!, text: `${open}%${level + 1}${close || (open ? ')' : '')}`, alignment: AlignmentType.LEFT, style: { paragraph: { indent } } };
  });
}

export interface BlockContext {
  numbering: Numbering;
  revision: Revision;
  /** The .docx page of a policy in the manual, for cross-references printed in the body. */
  link: (number: string) => string | undefined;
}

type Content = Paragraph | Table;

const para = (children: ParagraphChild[], style?: string): Paragraph => new (docxLib().Paragraph)({ children, ...(style ? { style } : {}) });

export function blocksToDocx(blocks: readonly DocBlock[], headingBase: number, ctx: BlockContext): Content[] {
  const { TextRun } = docxLib();
  /** Notes waiting for the next paragraph to anchor their comments on. */
  const pending: string[] = [];
  const runs = (r: readonly Run[]) => [...pending.splice(0).flatMap((t) => commentAnchor(t, ctx.revision)), ...runsToDocx(r, ctx.revision)];
  const out: Content[] = [];
  // A note before a block with no paragraph of its own to start (a list without a lead-in, a table) gets one.
  const flush = () => void (pending.length && out.push(para(pending.splice(0).flatMap((t) => commentAnchor(t, ctx.revision)))));
  for (const b of blocks) {
    const ownParagraph = b.kind === 'heading' || b.kind === 'paragraph' || b.kind === 'note' || b.kind === 'annotation' || ((b.kind === 'list' || b.kind === 'definitions') && b.leadIn !== undefined);
    if (!ownParagraph) flush();
    switch (b.kind) {
      case 'label':
        out.push(para([new TextRun({ text: b.text, italics: true })], 'Label'));
        break;
      case 'annotation':
        // The annotated edition in Word: a comment on the text it speaks of (the block after it, or before).
        if (ctx.revision.comments) pending.push(b.text);
        else out.push(para([new TextRun({ text: b.text, italics: true })], 'Annotation'));
        break;
      case 'heading':
        out.push(para(runs(b.text), `Heading${Math.min(3, headingBase + b.level)}`));
        break;
      case 'paragraph':
        out.push(para(runs(b.text)));
        break;
      case 'note':
        out.push(para(b.label ? [new TextRun({ text: `${b.label} `, bold: true }), ...runs(b.text)] : runs(b.text), b.label ? 'BoardNote' : undefined));
        break;
      case 'list':
        if (b.leadIn) out.push(para(runs(b.leadIn), 'LeadIn'));
        out.push(...listToDocx(b.list, 0, ctx));
        break;
      case 'definitions':
        if (b.leadIn) out.push(para(runs(b.leadIn), 'LeadIn'));
        for (const d of b.items) {
          if (d.label) out.push(para([new TextRun({ text: d.label, italics: true })], 'Label'));
          out.push(para([...runsToDocx(d.term, ctx.revision), new TextRun(': '), ...runs(d.text)], 'Definition'));
        }
        break;
      case 'table':
        // Word's own caption style, above the table as the other formats print it.
        if (b.caption) out.push(para(runs(b.caption), 'Caption'));
        out.push(tableToDocx(b, ctx));
        break;
      case 'cf':
        for (const e of b.entries) out.push(cfParagraph(b.label, cfEntry(e, b.separator), ctx.link(e.number), true));
        break;
      default:
        assertNever(b, 'block kind');
    }
  }
  flush();
  return out;
}

/** "(cf. 5114 - Title)", its words a link to the policy's file when it is in the manual. */
export function cfParagraph(label: string, entry: string, href: string | undefined, parens: boolean): Paragraph {
  const { ExternalHyperlink, Paragraph, TextRun } = docxLib();
  const words = href ? new ExternalHyperlink({ link: href, children: [new TextRun({ text: entry, style: 'Hyperlink' })] }) : new TextRun(entry);
  return new Paragraph({ style: 'CrossReference', children: parens ? [new TextRun(`(${label} `), words, new TextRun(')')] : [words] });
}

function listToDocx(list: DocList, level: number, ctx: BlockContext): Content[] {
  const { Paragraph, TextRun } = docxLib();
  const out: Content[] = [];
  const numbered = ctx.numbering.listOf(list.style);
  for (const item of list.items) {
    if (item.label) out.push(para([new TextRun({ text: item.label, italics: true })], 'Label'));
    // A checkbox list prints its boxes; a list Word does not number is indented by its style.
    const box = list.style === 'checkbox' ? [new TextRun(`${item.marker} `)] : [];
    out.push(
      new Paragraph({
        style: 'ListParagraph',
        children: [...box, ...runsToDocx(item.text, ctx.revision)],
        ...(numbered ? { numbering: { reference: numbered.reference, level, instance: numbered.instance } } : { indent: { left: 720 * (level + 1) } }),
      }),
    );
    for (const p of item.paragraphs ?? []) out.push(new Paragraph({ style: 'ListParagraph', indent: { left: 720 * (level + 1) }, children: runsToDocx(p, ctx.revision) }));
    if (item.children) out.push(...listToDocx(item.children, level + 1, ctx));
  }
  return out;
}

function tableToDocx(b: DocBlock & { kind: 'table' }, ctx: BlockContext): Table {
  const { Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = docxLib();
  const cell = (r: readonly Run[], header = false) => new TableCell({ children: [new Paragraph({ children: runsToDocx(r, ctx.revision), ...(header ? { style: 'TableHeading' } : {}) })] });
  const rows: TableRow[] = [new TableRow({ tableHeader: true, children: b.columns.map((c) => cell(c, true)) })];
  for (const r of b.rows) {
    if (r.label) rows.push(new TableRow({ children: [new TableCell({ columnSpan: b.columns.length, children: [para([new TextRun({ text: r.label, italics: true })], 'Label')] })] }));
    rows.push(new TableRow({ children: r.cells.map((c) => cell(c)) }));
  }
  // Columns of equal width across the text (6.5 inches of a Letter page): a table without them may print a column off the page.
  const width = Math.floor(9360 / Math.max(1, b.columns.length));
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: b.columns.map(() => width) });
}

/** Legal references, one paragraph each, groups as their heading line, entries under an entry indented. */
export function legalToDocx(label: string, legal: readonly DocLegal[]): Paragraph[] {
  const { Paragraph, TextRun } = docxLib();
  const out: Paragraph[] = [];
  const first = legal[0];
  // The first group follows the label on its line, as in the sample.
  out.push(new Paragraph({ style: 'LegalReference', children: [new TextRun({ text: label, bold: true }), ...(first?.group !== undefined ? [new TextRun(` ${first.group}`)] : [])] }));
  const entry = (l: DocLegal, depth: number, isFirst: boolean) => {
    if (l.group !== undefined && !isFirst) out.push(new Paragraph({ style: 'LegalReference', children: [new TextRun({ text: l.group, bold: true })] }));
    if (l.text !== undefined) out.push(new Paragraph({ style: 'LegalReference', indent: { left: 360 * (depth + 1) }, children: [new TextRun(l.text)] }));
    for (const c of l.items) entry(c, l.group !== undefined && l.text === undefined ? depth : depth + 1, false);
  };
  legal.forEach((l, i) => entry(l, 0, i === 0));
  return out;
}
