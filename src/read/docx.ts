// read: a Word sample (.docx) as HTML, for the importer. mammoth converts the
// document, keeping list numbering as <ol>/<ul> and strike-through as <del>.
// Word's tracked changes carry the revision mark itself (a deleted "will", an
// inserted "may"), and mammoth drops deletions, so they are made plain runs
// first: deleted runs struck through, inserted runs underlined, which the
// style map turns into <del> and <ins>.
import JSZip from 'jszip';
import mammoth from 'mammoth';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { formatBytes, loadBytes } from './files.js';
import { formatMarker } from '../assemble/wording.js';

const STYLE_MAP = ['strike => del', 'u => ins'];

/** The text of a sample policy is kilobytes; its document.xml, with Word's markup, a few megabytes at most. */
const MAX_DOCUMENT_XML = 64 * 1024 * 1024;

export class DocxTooLarge extends Error {
  constructor(readonly size: number) {
    super('document.xml too large');
  }
}

/** Runs inside `<w:del>`/`<w:ins>` as runs of their own, struck or underlined. */
export function untrackChanges(xml: string): string {
  const mark = (inner: string, property: string) =>
    inner
      .replace(/<w:rPr>/g, `<w:rPr>${property}`)
      .replace(/<w:r>(?!<w:rPr>)/g, `<w:r><w:rPr>${property}</w:rPr>`)
      .replace(/<w:r (?![^>]*\/>)([^>]*)>(?!<w:rPr>)/g, `<w:r $1><w:rPr>${property}</w:rPr>`);
  return xml
    .replace(/<w:del\b[^>]*>([\s\S]*?)<\/w:del>/g, (_m, inner: string) => mark(inner.replace(/<w:delText\b/g, '<w:t').replace(/<\/w:delText>/g, '</w:t>'), '<w:strike/>'))
    .replace(/<w:ins\b[^>]*>([\s\S]*?)<\/w:ins>/g, (_m, inner: string) => mark(inner, '<w:u w:val="single"/>'));
}

interface Level {
  format: string;
  text: string;
  start: number;
}

/** Each numbering instance's levels (numbering.xml): its abstract definition's, with its own start values. */
function numberingOf(xml: string): Map<string, Level[]> {
  const abstract = new Map<string, Level[]>();
  for (const a of xml.matchAll(/<w:abstractNum\b[^>]*w:abstractNumId="([^"]+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g)) {
    const levels: Level[] = [];
    for (const l of a[2]!.matchAll(/<w:lvl\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g)) {
      const body = l[2]!;
      levels[Number(l[1])] = {
        format: /<w:numFmt w:val="([^"]*)"/.exec(body)?.[1] ?? 'decimal',
        text: /<w:lvlText w:val="([^"]*)"/.exec(body)?.[1] ?? '',
        start: Number(/<w:start w:val="(\d+)"/.exec(body)?.[1] ?? '1'),
      };
    }
    abstract.set(a[1]!, levels);
  }
  const nums = new Map<string, Level[]>();
  for (const n of xml.matchAll(/<w:num\b[^>]*w:numId="([^"]+)"[^>]*>([\s\S]*?)<\/w:num>/g)) {
    const levels = [...(abstract.get(/<w:abstractNumId w:val="([^"]+)"/.exec(n[2]!)?.[1] ?? '') ?? [])].map((l) => ({ ...l }));
    for (const o of n[2]!.matchAll(/<w:lvlOverride w:ilvl="(\d+)">\s*<w:startOverride w:val="(\d+)"\/>/g)) if (levels[Number(o[1])]) levels[Number(o[1])]!.start = Number(o[2]);
    nums.set(n[1]!, levels);
  }
  return nums;
}

/** Word's number formats as the list style tokens formatMarker prints. */
const TOKENS: Record<string, string> = { decimal: '1', lowerLetter: 'a', upperLetter: 'A', lowerRoman: 'i', upperRoman: 'I' };
const counter = (n: number, format: string) => formatMarker(TOKENS[format] ?? '1', n);

/**
 * Numbered paragraphs with their numbers as text ("A. Notice", "(2) Staff …"),
 * as Word shows them: mammoth keeps a list as <ol>, but not its numbers' form
 * ("A.", "(1)", "i.") nor where a list goes on, which the proof compares.
 */
export function numbersAsText(document: string, numbering: string): string {
  const nums = numberingOf(numbering);
  const counters = new Map<string, number[]>();
  return document.replace(/(<w:p\b[^>]*>)(<w:pPr>[\s\S]*?<\/w:pPr>)/g, (m, open: string, pPr: string) => {
    const numPr = /<w:numPr>\s*<w:ilvl w:val="(\d+)"\/>\s*<w:numId w:val="([^"]+)"\/>\s*<\/w:numPr>/.exec(pPr);
    const levels = numPr ? nums.get(numPr[2]!) : undefined;
    if (!numPr || !levels) return m;
    const level = Number(numPr[1]);
    const def = levels[level];
    if (!def) return m;
    const c = counters.get(numPr[2]!) ?? [];
    c[level] = c[level] === undefined ? def.start : c[level]! + 1;
    // A level's count starts again under each item of the level above.
    c.length = level + 1;
    counters.set(numPr[2]!, c);
    const text = def.format === 'bullet' ? '•' : def.text.replace(/%(\d)/g, (_t, k: string) => counter(c[Number(k) - 1] ?? levels[Number(k) - 1]?.start ?? 1, levels[Number(k) - 1]?.format ?? 'decimal'));
    const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return `${open}${pPr.replace(numPr[0], '')}<w:r><w:t xml:space="preserve">${esc} </w:t></w:r>`;
  });
}

/** The HTML of a .docx; undefined when the bytes are not a Word document. */
export async function docxToHtml(bytes: Uint8Array, maxDocument = MAX_DOCUMENT_XML): Promise<string | undefined> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return undefined;
  }
  const document = zip.file('word/document.xml');
  if (!document) return undefined;
  // A small file that unpacks to gigabytes (a zip bomb) is refused before it is unpacked.
  const unpacked = (document as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
  if (unpacked > maxDocument) throw new DocxTooLarge(unpacked);
  const numbering = zip.file('word/numbering.xml');
  const xml = untrackChanges(await document.async('string'));
  zip.file('word/document.xml', numbering ? numbersAsText(xml, await numbering.async('string')) : xml);
  const buffer = await zip.generateAsync({ type: 'nodebuffer' });
  const result = await mammoth.convertToHtml({ buffer }, { styleMap: STYLE_MAP });
  return result.value;
}

/** A Word sample from disk, as HTML: a file too large, unreadable or not a Word document is reported. */
export async function loadDocx(absPath: string, path: string, diags: Diagnostics): Promise<string | undefined> {
  const read = loadBytes(absPath, path, diags, 'docx');
  if (!read) return undefined;
  const bytes = read.bytes;
  let html: string | undefined;
  try {
    html = await docxToHtml(bytes);
  } catch (e) {
    if (!(e instanceof DocxTooLarge)) {
      // A zip whose document mammoth cannot read (damaged or hostile XML): the file's fault, said so.
      diags.error('not-text', `${path} could not be read as a Word document (${(e as Error).message})`, { file: path, hint: 'Open it in Word and save it again as "Word Document (.docx)", or save it as plain text.' });
      return undefined;
    }
    diags.error('file-too-large', `${path} unpacks to ${formatBytes(e.size)} of document text; the limit is ${formatBytes(MAX_DOCUMENT_XML)}`, { file: path, hint: 'A sample policy is a few pages. Check that this is the file you meant.' });
    return undefined;
  }
  if (html === undefined) diags.error('not-text', `${path} is not a Word document (.docx)`, { file: path, hint: 'Save it from Word as "Word Document (.docx)", or as plain text.' });
  return html;
}

