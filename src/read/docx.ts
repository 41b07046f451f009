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
  zip.file('word/document.xml', untrackChanges(await document.async('string')));
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
