// Word pages (--format docx): real Word structure, the words of the other
// editions, native numbering, the sample's revision mark as a tracked change,
// and the same bytes on every build.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild } from '../src/build/pipeline.js';
import type { Edition } from '../src/model/model.js';
import { htmlToSampleText } from '../src/import/html.js';
import { listMarker } from '../src/import/paragraphs.js';
import { FIXTURES } from './golden.js';

const ROOT = join(import.meta.dirname, '..');

function build(config: string, edition: Edition): Map<string, Uint8Array | string> {
  const diags = new Diagnostics();
  const plan = planBuild({ config, cwd: join(config, '..'), edition, formats: ['html', 'docx'] }, diags);
  expect(diags.errorCount).toBe(0);
  return new Map(plan!.files.flatMap((f) => (f.kind === 'content' ? [[f.name, f.content] as const] : [])));
}

const xmlText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The words of a Word file's body, paragraph by paragraph, struck text included. */
function docxWords(bytes: Uint8Array): string[] {
  const xml = new TextDecoder().decode(unzipSync(bytes)['word/document.xml']!);
  const out: string[] = [];
  for (const p of xml.split('</w:p>')) {
    const text = [...p.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((m) => xmlText(m[1]!)).join('');
    out.push(...text.split(/\s+/).filter(Boolean));
  }
  return out;
}

/** The words of an HTML page as read, list markers left out (Word numbers its lists itself). */
function htmlWords(html: string): string[] {
  return htmlToSampleText(html)
    .split('\n')
    .map((l) => {
      // A bulleted item's bullet; a numbered item's number (an item's own words may start like a marker: "- Fernwick").
      if (l.startsWith('• ')) return l.slice(2);
      const m = listMarker(l);
      return m && m.marker.style !== 'checkbox' && m.marker.style !== 'bullet' ? m.rest : l;
    })
    .join('\n')
    .split(/\s+/)
    .filter(Boolean);
}

const cases = readdirSync(join(FIXTURES, 'build'))
  .filter((c) => c.startsWith('construct-') && existsSync(join(FIXTURES, 'build', c, 'policies')))
  .map((c) => join(FIXTURES, 'build', c, 'district.yaml'));

describe('--format docx', () => {
  it('writes each policy and the index with the words of the HTML edition, in both editions of every construct', () => {
    for (const config of [...cases, join(ROOT, 'examples', 'district.yaml')]) {
      for (const edition of ['district', 'sample'] as const) {
        const files = build(config, edition);
        const pages = [...files.keys()].filter((n) => n.endsWith('.docx') && !n.startsWith('index'));
        expect(pages.length, config).toBeGreaterThan(0);
        for (const name of pages) {
          const html = String(files.get(name.replace(/\.docx$/, '.html')));
          const page = files.get(name) as Uint8Array;
          // Page furniture of the HTML edition (the district's name above, its footer) is the Word file's header and footer.
          const body = html.replace(/<footer[\s\S]*?<\/footer>/g, '');
          let got = docxWords(page);
          const want = htmlWords(body);
          // The HTML page's "Referenced by:" is navigation, which the reader leaves out; the Word file prints it.
          const by = got.findIndex((w, i) => w === 'Referenced' && got[i + 1] === 'by:');
          if (by >= 0) got = got.slice(0, by);
          const at = got.findIndex((w, i) => w !== want[i]);
          expect(at < 0 && got.length === want.length ? '' : `${name} at ${at}: ${got.slice(Math.max(0, at - 5), at + 8).join(' ')} | ${want.slice(Math.max(0, at - 5), at + 8).join(' ')}`, config).toBe('');
        }
        expect(files.has(edition === 'sample' ? 'index.sample.docx' : 'index.docx')).toBe(true);
      }
    }
  });

  it('numbers lists with Word numbering, one definition per style and a fresh instance per list', () => {
    const files = build(join(FIXTURES, 'build', 'construct-outline', 'district.yaml'), 'district');
    const parts = unzipSync(files.get('9113.docx') as Uint8Array);
    const numbering = new TextDecoder().decode(parts['word/numbering.xml']!);
    for (const fmt of ['decimal', 'upperLetter', 'lowerLetter', 'upperRoman']) expect(numbering).toContain(`w:val="${fmt}"`);
    expect(numbering).toContain('w:val="(%1)"');
    const document = new TextDecoder().decode(parts['word/document.xml']!);
    expect(document.match(/<w:numPr>/g)!.length).toBeGreaterThan(10);
  });

  it("prints the sample's revision mark as a tracked change: \"will\" deleted, \"may\" inserted", () => {
    const files = build(join(ROOT, 'examples', 'district.yaml'), 'sample');
    const xml = new TextDecoder().decode(unzipSync(files.get('5142.4.sample.docx') as Uint8Array)['word/document.xml']!);
    expect(xml).toMatch(/<w:del [^>]*><w:r><w:delText[^>]*>will<\/w:delText><\/w:r><\/w:del><w:r><w:t[^>]*> <\/w:t><\/w:r><w:ins [^>]*><w:r><w:t[^>]*>may<\/w:t>/);
    // Accept every change: the district's words; reject every change: the old ones.
    const accept = xml.replace(/<w:del [\s\S]*?<\/w:del>/g, '');
    expect(accept).not.toContain('>will<');
  });

  it('the annotated edition: one Word comment per note of what was decided, none of them in the text, the same bytes every build', () => {
    const config = join(ROOT, 'examples', 'district.yaml');
    const diags = new Diagnostics();
    const plan = planBuild({ config, cwd: join(ROOT, 'examples'), edition: 'annotated', formats: ['docx'], keepDocuments: true }, diags);
    expect(diags.errorCount).toBe(0);
    let notes = 0;
    let words = 0;
    for (const p of plan!.policies) {
      const doc = p.document!;
      const texts: string[] = [];
      for (const part of doc.parts) {
        for (const b of part.blocks) {
          if (b.kind === 'annotation') texts.push(b.text);
          const runs = b.kind === 'paragraph' || b.kind === 'heading' || b.kind === 'note' ? [b.text] : b.kind === 'list' ? [b.list.items.flatMap((i) => i.text)] : [];
          for (const r of runs.flat()) if (r.kind === 'annotation') texts.push(r.text);
        }
      }
      const file = plan!.files.find((f) => f.name === `${p.number}.annotated.docx`)!;
      const parts = unzipSync((file as { content: Uint8Array }).content);
      const comments = parts['word/comments.xml'] ? new TextDecoder().decode(parts['word/comments.xml']) : '';
      const count = (comments.match(/<w:comment /g) ?? []).length;
      // Nested list items carry notes too: count every comment against every note of the document.
      expect(count, p.number).toBeGreaterThanOrEqual(texts.length);
      notes += count;
      const body = new TextDecoder().decode(parts['word/document.xml']!);
      for (const t of texts) expect(body, p.number).not.toContain(xmlEscape(t).slice(0, 40));
      words += t(body).length;
    }
    expect(notes).toBeGreaterThan(5);
    expect(words).toBeGreaterThan(100);
    const again = planBuild({ config, cwd: join(ROOT, 'examples'), edition: 'annotated', formats: ['docx'] }, new Diagnostics());
    for (const f of again!.files) if (f.kind === 'content') expect(Buffer.from(f.content as Uint8Array).equals(Buffer.from((plan!.files.find((g) => g.name === f.name) as { content: Uint8Array }).content)), f.name).toBe(true);
  });

  it("uses a district's own Word file's styles (output.docx.reference), rebuilds when it changes, and refuses a file that is not Word", async () => {
    const dir = tempDir('sro-docx-ref-');
    cpSync(join(ROOT, 'examples'), dir, { recursive: true });
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const reference = async (font: string) => {
      const { Document, Packer, Paragraph } = await import('docx');
      const file = new Document({ styles: { default: { document: { run: { font } } }, paragraphStyles: [{ id: 'Title', name: 'Title', run: { font, size: 56, color: '1F3864' } }] }, sections: [{ children: [new Paragraph('Letterhead')] }] });
      writeFileSync(join(dir, 'styles.docx'), await Packer.toBuffer(file));
    };
    await reference('Georgia');
    writeFileSync(join(dir, 'district.yaml'), readFileSync(join(dir, 'district.yaml'), 'utf8').replace(/^output:\n/m, 'output:\n  docx: { reference: styles.docx }\n'));
    const build = await runInProcess(['build', 'district.yaml', '--format', 'docx'], dir);
    expect(build.code, build.stderr).toBe(0);
    const styles = () => new TextDecoder().decode(unzipSync(readFileSync(join(dir, 'out', '5142.4.docx')))['word/styles.xml']!);
    expect(styles()).toContain('Georgia');
    expect(styles()).toContain('1F3864');
    // sro-policy's own styles the reference does not define are still there.
    expect(styles()).toContain('w:styleId="LegalReference"');
    // A changed reference is a change: the pages are written again with its styles.
    await reference('Garamond');
    const again = await runInProcess(['build', 'district.yaml', '--format', 'docx'], dir);
    expect(again.stdout).toContain('wrote');
    expect(styles()).toContain('Garamond');
    writeFileSync(join(dir, 'styles.docx'), 'not a Word file');
    const bad = await runInProcess(['build', 'district.yaml', '--format', 'docx'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/district\.yaml:\d+:\d+: error \[not-text\] styles\.docx is not a Word document with styles/);
  });

  it('has a running header and a "Page X of Y" footer, properties from the policy and no clock time, and the same bytes every build', () => {
    const one = build(join(ROOT, 'examples', 'district.yaml'), 'district');
    const two = build(join(ROOT, 'examples', 'district.yaml'), 'district');
    for (const [name, bytes] of one) if (name.endsWith('.docx')) expect(Buffer.from(bytes as Uint8Array).equals(Buffer.from(two.get(name) as Uint8Array)), name).toBe(true);
    const parts = unzipSync(one.get('5142.4.docx') as Uint8Array);
    const text = (n: string) => new TextDecoder().decode(parts[n]!);
    expect(text('word/header1.xml')).toContain('5142.4 School Resource Officer');
    expect(text('word/footer1.xml')).toMatch(/PAGE[\s\S]*NUMPAGES/);
    expect(text('docProps/core.xml')).toContain('<dc:title>5142.4 School Resource Officer</dc:title>');
    expect(text('docProps/core.xml')).not.toMatch(new RegExp(String(new Date().getFullYear())));
    expect(text('word/styles.xml')).toContain('w:styleId="LegalReference"');
  });
});

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const t = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!);
