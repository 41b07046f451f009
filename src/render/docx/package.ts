// DOCX, the file: a docx Document as the bytes of a .docx, the same bytes for
// the same input. The docx library builds the parts (document, styles,
// numbering, headers); they are zipped here with fflate, synchronously, as a
// page must be rendered, with every clock time replaced: the zip entries'
// dates and the core properties' created and modified times are the policy's
// own date (see docx.ts), so a rebuild is byte-identical and `build --check`
// works for Word files too.
import type { Document } from 'docx';
import type { Zippable } from 'fflate';
import { docxLib, zipLib } from './lib.js';

/** The compiler docx's Packer zips with, asynchronously: its parts, compiled synchronously (docx 9.15). */
interface Compiler {
  compile(file: Document, prettify?: unknown, overrides?: unknown[]): Iterable<[string, string | Uint8Array]>;
}

function compiler(): Compiler {
  const c = (docxLib().Packer as unknown as { compiler?: Compiler }).compiler;
  // A docx release that moved it: fail loudly in the tests rather than write a broken file.
  if (!c || typeof c.compile !== 'function') throw new Error('this version of the docx package has no Packer.compiler; sro-policy is built against docx 9.15');
  return c;
}

/** Zip entries' dates: DOS time starts in 1980, and a date before it is written as 1980-01-01. */
const EPOCH = new Date(Date.UTC(1980, 0, 1));

/**
 * The .docx bytes of a document, every timestamp set to `when` (an ISO
 * date-time); with `reference`, a district's own styles part, whose styles win
 * (those it lacks are sro-policy's).
 */
export function packDocx(doc: Document, when: string, reference?: string): Uint8Array {
  const files: Zippable = {};
  const stamp = new Date(when);
  const mtime = new Date(Math.max(stamp.getTime(), EPOCH.getTime()) + stamp.getTimezoneOffset() * 60_000);
  const parts = [...compiler().compile(doc)].map(([path, data]): [string, string] => [path, typeof data === 'string' ? data : new TextDecoder().decode(data)]);
  // docx names a hyperlink's relationship at random ("rIdfkxrijpo5a7jv7vtnpyja"): number them in order instead.
  const ids = new Map<string, string>();
  // (Only the parts that relate to others hold them: the document, its headers and footers, their relationships.)
  const related = (path: string) => path.startsWith('word/') && !path.startsWith('word/theme/') && path !== 'word/styles.xml' && path !== 'word/fontTable.xml';
  for (const [path, text] of parts) if (related(path)) for (const m of text.matchAll(RANDOM_ID)) if (!ids.has(m[0])) ids.set(m[0], `rIdLink${ids.size + 1}`);
  for (const [path, text] of parts) {
    let out = ids.size && related(path) ? text.replace(RANDOM_ID, (id) => ids.get(id)!) : text;
    if (path === 'word/styles.xml' && reference !== undefined) out = withStylesOf(reference, out);
    if (path === 'docProps/core.xml') out = out.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${when}$2`);
    files[path] = [new TextEncoder().encode(out), { mtime }];
  }
  // Deflate at its fastest: a Word page is a dozen kilobytes either way (docs/performance.md, "Word pages").
  return zipLib().zipSync(files, { level: 1 });
}

/** docx's random relationship ids: "rId" and 21 characters of a nanoid. */
const RANDOM_ID = /\brId[A-Za-z0-9_-]{21}(?=")/g;

/** A district's styles part, with each of sro-policy's styles it does not define (by style id) added. */
export function withStylesOf(reference: string, own: string): string {
  const ids = new Set([...reference.matchAll(/<w:style\b[^>]*w:styleId="([^"]+)"/g)].map((m) => m[1]!));
  const missing = [...own.matchAll(/<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>[\s\S]*?<\/w:style>/g)].filter((m) => !ids.has(m[1]!)).map((m) => m[0]);
  const end = reference.lastIndexOf('</w:styles>');
  return end < 0 ? own : `${reference.slice(0, end)}${missing.join('')}${reference.slice(end)}`;
}

/** A Word file's own date for every timestamp in it: the latest of these history dates, else the start of DOS time. */
export function dateOf(history: readonly { iso: string }[]): string {
  const iso = history.map((h) => h.iso).filter(Boolean).sort().at(-1);
  if (!iso) return '1980-01-01T00:00:00Z';
  return `${iso.length === 7 ? `${iso}-01` : iso}T00:00:00Z`;
}
