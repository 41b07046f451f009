// DOCX, inline: a block's runs as Word runs. Publisher Markdown is rendered to
// HTML by the same code as every other format (runsToHtml), and its few inline
// tags become run properties: bold, italics, code, links. A revision mark's
// struck and inserted words (the sample edition's "will  may") become a real
// tracked change, a deletion and an insertion, so Word shows and accepts them.
import type { ParagraphChild, TextRun } from 'docx';
import { docxLib } from './lib.js';
import type { Run } from '../../model/model.js';
import { runsToHtml } from '../runs.js';

/** Who made the sample's revision marks, and when (never the clock: see package.ts). */
export interface Revision {
  author: string;
  date: string;
  /** Ids of tracked changes, unique in the document. */
  nextId: () => number;
  /**
   * The annotated edition: each of its notes (what was decided and why) becomes
   * a Word comment, anchored where the note is; collected here for the
   * document's comments part.
   */
  comments?: { id: number; text: string }[];
}

/** A comment's anchor where a note stands: Word shows the note beside the text it follows. */
export function commentAnchor(text: string, revision: Revision): ParagraphChild[] {
  const { CommentRangeEnd, CommentRangeStart, CommentReference, TextRun } = docxLib();
  const id = revision.comments!.length;
  revision.comments!.push({ id, text });
  return [new CommentRangeStart(id), new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: '\u00a0' };
const decode = (s: string) => s.replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? (e.startsWith('#') ? String.fromCodePoint(Number(e.startsWith('#x') ? `0${e.slice(1)}` : e.slice(1))) : m));

interface State {
  bold: number;
  italics: number;
  code: number;
  del: number;
  ins: number;
  placeholder: number;
  href?: string;
}

export function runsToDocx(runs: readonly Run[], revision: Revision): ParagraphChild[] {
  const { DeletedTextRun, ExternalHyperlink, InsertedTextRun, TextRun } = docxLib();
  const out: ParagraphChild[] = [];
  const state: State = { bold: 0, italics: 0, code: 0, del: 0, ins: 0, placeholder: 0 };
  let link: { href: string; children: TextRun[] } | undefined;
  const text = (t: string) => {
    if (t === '') return;
    const options = {
      text: t,
      ...(state.bold || state.placeholder ? { bold: true } : {}),
      ...(state.italics ? { italics: true } : {}),
      ...(state.code ? { font: 'Consolas' } : {}),
      ...(state.placeholder ? { highlight: 'yellow' as const } : {}),
    };
    if (state.del) out.push(new DeletedTextRun({ ...options, id: revision.nextId(), author: revision.author, date: revision.date }));
    else if (state.ins) out.push(new InsertedTextRun({ ...options, id: revision.nextId(), author: revision.author, date: revision.date }));
    else if (link) link.children.push(new TextRun({ ...options, style: 'Hyperlink' }));
    else out.push(new TextRun(options));
  };
  // Notes of the annotated edition are comments in Word, not words of the policy.
  if (revision.comments && runs.some((r) => r.kind === 'annotation')) {
    const out: ParagraphChild[] = [];
    let from = 0;
    runs.forEach((r, i) => {
      if (r.kind !== 'annotation') return;
      out.push(...runsToDocx(trimEnd(runs.slice(from, i)), { ...revision, comments: undefined }), ...commentAnchor(r.text, revision));
      from = i + 1;
    });
    out.push(...runsToDocx(runs.slice(from), { ...revision, comments: undefined }));
    return out;
  }
  const html = runsToHtml(runs);
  for (const m of html.matchAll(/<(\/?)([a-z]+)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      text(decode(m[4]));
      continue;
    }
    const closing = m[1] === '/';
    const d = closing ? -1 : 1;
    switch (m[2]) {
      case 'strong':
      case 'b':
        state.bold += d;
        break;
      case 'em':
      case 'i':
        state.italics += d;
        break;
      case 'code':
        state.code += d;
        break;
      case 'del':
      case 's':
        state.del += d;
        break;
      case 'ins':
        state.ins += d;
        break;
      case 'mark':
        state.placeholder += d;
        break;
      case 'br':
        out.push(new TextRun({ text: '', break: 1 }));
        break;
      case 'a':
        if (!closing) link = { href: decode(/href="([^"]*)"/.exec(m[3] ?? '')?.[1] ?? ''), children: [] };
        else if (link) {
          out.push(new ExternalHyperlink({ link: link.href, children: link.children }));
          link = undefined;
        }
        break;
      default:
        // <span class="blank">, <span class="annotation">: their words, as printed.
        break;
    }
  }
  return out;
}

/** Runs before a note, without the space that set the note apart. */
function trimEnd(runs: readonly Run[]): Run[] {
  const last = runs[runs.length - 1];
  return last?.kind === 'md' && last.text.trim() === '' ? runs.slice(0, -1) : [...runs];
}
