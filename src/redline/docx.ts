// Redlines as Word files (diff --format docx): every change a real tracked
// change, authored as the district, so the board can accept or reject each one
// in Word. Accepting all gives the newer text, rejecting all the older.
import type { Paragraph, ParagraphChild } from 'docx';
import { docxLib } from '../render/docx/lib.js';
import { packDocx } from '../render/docx/package.js';
import { STYLES } from '../render/docx/styles.js';
import type { PolicyRedline, RedlineUnit } from './redline.js';
import type { RedlineMeta } from './render.js';

const STYLE: Partial<Record<RedlineUnit['kind'], string>> = {
  'lead-in': 'LeadIn',
  item: 'ListParagraph',
  legal: 'LegalReference',
  history: 'History',
  cf: 'CrossReference',
  label: 'Label',
  annotation: 'Label',
};

/** A policy's redline as a Word file: who changed it (the district) and when (`date`, never the clock). */
export function redlineDocx(r: PolicyRedline, meta: RedlineMeta, author: string, date: string): Uint8Array {
  const { DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Paragraph, TextRun } = docxLib();
  let id = 0;
  const change = { author, date };
  const runs = (u: RedlineUnit): ParagraphChild[] => {
    const out: ParagraphChild[] = [];
    // A list item's printed marker is the newer one (numbers follow the district's selection); an item
    // removed or added takes its marker along, so that accepting or rejecting leaves no stray number.
    if (u.marker && u.marker !== '•') {
      const text = `${u.marker} `;
      if (u.status === 'deleted') out.push(new DeletedTextRun({ text, id: ++id, ...change }));
      else if (u.status === 'inserted') out.push(new InsertedTextRun({ text, id: ++id, ...change }));
      else out.push(new TextRun(text));
    }
    u.segments.forEach((s, i) => {
      const prev = u.segments[i - 1];
      // A replacement reads "old new", as the sample edition prints its revision marks.
      if (prev?.op === 'del' && s.op === 'ins' && !/\s$/.test(prev.text) && !/^\s/.test(s.text)) out.push(new TextRun(' '));
      if (s.op === 'same') out.push(new TextRun(s.text));
      else if (s.op === 'del') out.push(new DeletedTextRun({ text: s.text, id: ++id, ...change }));
      else out.push(new InsertedTextRun({ text: s.text, id: ++id, ...change }));
    });
    return out;
  };
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`${r.number} ${r.title}`)] }),
    new Paragraph({ style: 'Series', children: [new TextRun(`Changes from ${meta.from} to ${meta.to}, as tracked changes: accept or reject each in Word.`)] }),
  ];
  for (const u of r.units) {
    const heading = u.kind === 'heading' || u.kind === 'part' ? (u.kind === 'part' ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2) : undefined;
    children.push(
      new Paragraph({
        ...(heading ? { heading } : STYLE[u.kind] ? { style: STYLE[u.kind]! } : {}),
        ...(u.kind === 'item' || u.kind === 'legal' ? { indent: { left: 720 * (u.depth + 1) } } : {}),
        children: runs(u),
      }),
    );
  }
  const file = new Document({ creator: author, lastModifiedBy: author, title: `${r.number} ${r.title}: redline`, styles: STYLES, sections: [{ children }] });
  return packDocx(file, date);
}
