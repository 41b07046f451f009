// Word pages: one .docx per policy and edition, and index.docx. Real Word
// structure, so a district can restyle its whole manual in Word: paragraph
// styles (Title, Heading 1–3, Normal, List Paragraph, and named ones such as
// "Policy Number", "Lead-in", "Legal Reference", "History"), native numbering
// (render/docx/blocks.ts), a running header with the policy's number and title,
// a footer with the district and "Page X of Y", and document properties from
// the policy. No clock time anywhere (render/docx/package.ts).
import type { Footer, Header, Paragraph, Table } from 'docx';
import { STYLES } from '../docx/styles.js';
import { docxLib } from '../docx/lib.js';
import type { Document as PolicyDocument } from '../../model/model.js';
import type { CodeFormat, IndexEntry, RenderContext } from './format.js';
import { blocksToDocx, cfParagraph, legalToDocx, Numbering, type BlockContext } from '../docx/blocks.js';
import { dateOf, packDocx } from '../docx/package.js';
import { cfEntry, historyLines } from '../../assemble/wording.js';


function header(text: string): Header {
  const { AlignmentType, Header, Paragraph, TextRun } = docxLib();
  return new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text, size: 18, color: '555555' })] })] });
}

function footer(who: string): Footer {
  const { Footer, PageNumber, Paragraph, TextRun } = docxLib();
  return new Footer({
    children: [
      new Paragraph({
        children: [new TextRun({ text: `${who}${who ? ' · ' : ''}Page `, size: 18 }), new TextRun({ children: [PageNumber.CURRENT], size: 18 }), new TextRun({ text: ' of ', size: 18 }), new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 18 })],
      }),
    ],
  });
}

function policyPage(doc: PolicyDocument, context: RenderContext): Uint8Array {
  const { Document, HeadingLevel, Paragraph, TextRun } = docxLib();
  const when = dateOf(doc.parts.flatMap((p) => p.history));
  const numbering = new Numbering();
  let id = 0;
  const who = doc.district?.name ?? doc.sample?.publisher ?? '';
  // The annotated edition: each note (what was decided, and why) a Word comment, for the committee that reviews it.
  const comments: { id: number; text: string }[] | undefined = doc.edition === 'annotated' ? [] : undefined;
  const ctx: BlockContext = { numbering, revision: { author: doc.sample?.publisher ?? 'Sample policy', date: when, nextId: () => ++id, ...(comments ? { comments } : {}) }, link: (n) => context.link(n) };
  const children: (Paragraph | Table)[] = [
    new Paragraph({ style: 'PolicyNumber', children: [new TextRun(doc.number)] }),
    new Paragraph({ style: 'Series', children: [new TextRun(doc.series.title)] }),
    ...(doc.category !== undefined ? [new Paragraph({ style: 'Series', children: [new TextRun(doc.category)] })] : []),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(doc.title)] }),
  ];
  for (const part of doc.parts) {
    if (part.heading) children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(part.verbatim ? part.heading : `${part.heading}: ${part.title}`)] }));
    children.push(...blocksToDocx(part.blocks, part.heading ? 1 : 0, ctx));
    if (part.cf.length && doc.labels.cfHeading) children.push(new Paragraph({ style: 'CrossReference', children: [new TextRun(doc.labels.cfHeading)] }));
    for (const c of part.cf) children.push(cfParagraph(doc.labels.cf, cfEntry(c, doc.labels.cfSeparator), context.link(c.number), !doc.labels.cfHeading));
    if (part.legal.length) children.push(...legalToDocx(doc.labels.legal, part.legal));
    // A line the sample prints on the line before joins it ("Adopted: 1/12/2010; Revised: 3/3/2021").
    for (const h of historyLines(part.history)) children.push(new Paragraph({ style: 'History', children: [new TextRun(`${h.label}${h.date ? ` ${h.date}` : ''}`)] }));
  }
  if (context.referencedBy.length) {
    children.push(new Paragraph({ style: 'CrossReference', children: [new TextRun({ text: 'Referenced by:', bold: true })] }));
    for (const r of context.referencedBy) children.push(cfParagraph('', `${r.number} - ${r.title}`, context.link(r.number), false));
  }
  const file = new Document({
    creator: who || 'sro-policy',
    lastModifiedBy: who || 'sro-policy',
    title: `${doc.number} ${doc.title}`,
    subject: doc.series.title,
    description: `${doc.edition} edition`,
    styles: STYLES,
    numbering: numbering.options(),
    ...(comments?.length ? { comments: { children: comments.map((c) => ({ id: c.id, author: who || 'sro-policy', initials: 'SP', date: new Date(when), children: [new Paragraph({ children: [new TextRun(c.text)] })] })) } } : {}),
    sections: [{ headers: { default: header(`${doc.number} ${doc.title}`) }, footers: { default: footer(who) }, children }],
  });
  return packDocx(file, when, context.docxStyles);
}

function indexPage(entries: readonly IndexEntry[], link: (n: string) => string | null, title: string, who: string, styles: string | undefined): Uint8Array {
  const { Document, ExternalHyperlink, HeadingLevel, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = docxLib();
  const cell = (text: string, href?: string | null) =>
    new TableCell({ children: [new Paragraph({ children: [href ? new ExternalHyperlink({ link: href, children: [new TextRun({ text, style: 'Hyperlink' })] }) : new TextRun(text)] })] });
  const rows = [new TableRow({ tableHeader: true, children: ['Number', 'Title', 'Kind'].map((h) => new TableCell({ children: [new Paragraph({ style: 'TableHeading', children: [new TextRun(h)] })] })) })];
  for (const e of entries) rows.push(new TableRow({ children: [cell(e.number, link(e.number)), cell(e.title), cell(e.kind)] }));
  const file = new Document({
    creator: who || 'sro-policy',
    lastModifiedBy: who || 'sro-policy',
    title,
    styles: STYLES,
    sections: [{ headers: { default: header(title) }, footers: { default: footer(who) }, children: [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }), new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: [1800, 5760, 1800] })] }],
  });
  return packDocx(file, dateOf(entries.flatMap((e) => e.history)), styles);
}

export const docx: CodeFormat = {
  name: 'docx',
  binary: true,
  wholeManual: false,
  templated: false,
  page: (doc, context) => policyPage(doc, context),
  index: (entries, context) => indexPage(entries, context.link, context.edition === 'sample' ? 'Sample Policy Manual' : `${context.config.district.name} Policy Manual`, context.edition === 'sample' ? '' : context.config.district.name, context.config.docxReference?.styles),
};
