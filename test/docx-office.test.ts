// The Word pages as an office program prints them: every .docx of the
// construct-* fixtures and the example, converted to PDF by LibreOffice
// headless, reads as the Markdown edition word for word, list numbers
// included, which proves Word's own numbering renders the numbers every other
// format prints. Needs `soffice` (Debian: libreoffice-writer-nogui) and
// `pdftotext` (poppler-utils): skipped with a message without them, and failing
// in CI (.ci/run sets REQUIRE_OFFICE=1 and installs both).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild } from '../src/build/pipeline.js';
import { markdownToSampleText } from '../src/import/html.js';
import { FIXTURES } from './golden.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');
const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAVE_OFFICE = has('soffice') && has('pdftotext');
const REQUIRE_OFFICE = Boolean(process.env.REQUIRE_OFFICE) && process.env.REQUIRE_OFFICE !== '0';
if (!HAVE_OFFICE && !REQUIRE_OFFICE) console.warn('test/docx-office.test.ts: skipped, no soffice or pdftotext: install them with "apt-get install libreoffice-writer-nogui poppler-utils" (Debian).');

/** Words of a page, list markers and bullets as printed ("1.", "A.", "(1)"), bullet glyphs left out. */
const words = (text: string) => text.split(/\s+/).filter((w) => w && !/^[•◦▪·]$/.test(w));

describe.skipIf(!HAVE_OFFICE && !REQUIRE_OFFICE)('Word pages in LibreOffice', () => {
  it('read as the Markdown edition word for word, numbers included', { timeout: 300_000 }, () => {
    expect(HAVE_OFFICE, 'soffice and pdftotext are needed: apt-get install libreoffice-writer-nogui poppler-utils').toBe(true);
    const dir = tempDir('sro-office-');
    const configs = readdirSync(join(FIXTURES, 'build'))
      .filter((c) => c.startsWith('construct-') && existsSync(join(FIXTURES, 'build', c, 'policies')))
      .map((c) => join(FIXTURES, 'build', c, 'district.yaml'));
    const expected = new Map<string, { words: string[]; header: string }>();
    for (const config of [...configs, join(ROOT, 'examples', 'district.yaml')]) {
      const diags = new Diagnostics();
      const plan = planBuild({ config, cwd: join(config, '..'), formats: ['md', 'docx'] }, diags);
      expect(diags.errorCount, config).toBe(0);
      const files = new Map(plan!.files.flatMap((f) => (f.kind === 'content' ? [[f.name, f.content] as const] : [])));
      const tag = config.split('/').at(-2)!;
      for (const [name, content] of files) {
        if (!name.endsWith('.docx') || name.startsWith('index')) continue;
        writeFileSync(join(dir, `${tag}--${name}`), content);
        const md = String(files.get(name.replace(/\.docx$/, '.md')));
        // The Markdown page's district line above and its footer are the Word file's footer.
        const district = plan!.config.district.name;
        const text = markdownToSampleText(md.slice(0, md.lastIndexOf('\n---\n')))
          .split('\n')
          .filter((l) => l.trim() !== district)
          .join('\n');
        expected.set(`${tag}--${name.replace(/\.docx$/, '')}`, { words: words(text.replace(/^• /gm, '')), header: '' });
      }
    }
    execFileSync('soffice', ['--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, ...readdirSync(dir).filter((f) => f.endsWith('.docx')).map((f) => join(dir, f))], { stdio: 'ignore', timeout: 280_000 });
    const failed: string[] = [];
    for (const [stem, want] of expected) {
      const pdf = join(dir, `${stem}.pdf`);
      expect(existsSync(pdf), stem).toBe(true);
      // -layout: a table's cells in their rows, as printed.
      execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, join(dir, `${stem}.txt`)]);
      const lines = readFileSync(join(dir, `${stem}.txt`), 'utf8').split('\n');
      // Each page's running header (the policy's number and title) and footer ("… Page 1 of 2") are the page's, not the policy's.
      const header = lines.find((l) => l.trim() !== '')!.trim();
      const text = lines.filter((l) => l.trim() !== header && !/Page \d+ of \d+\s*$/.test(l)).join('\n');
      const got = words(text.replace(/\f/g, '\n'));
      const by = got.findIndex((w, i) => w === 'Referenced' && got[i + 1] === 'by:');
      const body = by >= 0 ? got.slice(0, by) : got;
      const wantBody = want.words.slice(0, want.words.findIndex((w, i) => w === 'Referenced' && want.words[i + 1] === 'by:') >>> 0);
      const at = body.findIndex((w, i) => w !== wantBody[i]);
      if (at >= 0 || body.length !== wantBody.length) failed.push(`${stem} at ${at}: ${body.slice(Math.max(0, at - 4), at + 6).join(' ')} | ${wantBody.slice(Math.max(0, at - 4), at + 6).join(' ')}`);
    }
    expect(failed).toEqual([]);
  });
});
