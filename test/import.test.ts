// sro-policy import: the seed comes in as a clause file whose sample edition
// is the seed word for word, with the structure of the hand-written
// policies/5142.4.yaml; a sample it cannot give back exactly is not written.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import JSZip from 'jszip';
import { docxToHtml, DocxTooLarge } from '../src/read/docx.js';
import { planBuild } from '../src/build/pipeline.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSamples, importText } from '../src/api/import.js';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { parseYaml } from '../src/read/yaml.js';
import { validatePolicy } from '../src/read/policy.js';
import type { Block, LegalEntry, Policy } from '../src/model/model.js';
import { walkParts } from '../src/model/walk.js';
import { FIXTURES } from './golden.js';
import { buildInMemory } from './build-helpers.js';
import { runBin } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');
const SHARED_SEED = join(ROOT, '..', 'shared', 'seed', '000_407f44ad4286b70c.txt');
const SEED = existsSync(SHARED_SEED) ? SHARED_SEED : join(FIXTURES, 'seed', '5142.4.txt');

/**
 * A Word document of a text sample, by hand: one paragraph per paragraph of the
 * text (lines of one paragraph broken), its spacing kept; lines whose cells are
 * apart by tabs are the rows of a Word table.
 */
async function docxOf(text: string): Promise<Buffer> {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/).filter((p) => p.trim() !== '');
  const run = (t: string) => `<w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;
  const table = (p: string) => `<w:tbl>${p.split('\n').map((row) => `<w:tr>${row.split('\t').map((c) => `<w:tc><w:p>${run(c)}</w:p></w:tc>`).join('')}</w:tr>`).join('')}</w:tbl>`;
  const body = paragraphs
    .map((p) => (p.split('\n').every((l) => l.includes('\t') && !/^(?:\d+[.)]|[a-zA-Z][.)]|\(\w+\)|[•o-])\t/.test(l.trim())) ? table(p) : `<w:p>${p.split('\n').map((line, i) => `${i ? '<w:r><w:br/></w:r>' : ''}${run(line)}`).join('')}</w:p>`))
    .join('');
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer' });
}

function policyOf(text: string, path: string): Policy {
  const diags = new Diagnostics();
  const parsed = parseYaml({ path, absPath: path, text }, diags);
  const policy = parsed ? validatePolicy(parsed, diags) : undefined;
  expect(diags.items.filter((d) => d.severity === 'error')).toEqual([]);
  return policy!;
}

/** The structure the issue asks to match, by shape rather than by id. */
function shape(p: Policy) {
  const groups: string[] = [];
  let optional = 0;
  walkParts(p.parts, {
    block: (b: Block) => {
      if (b.kind === 'alternatives') groups.push(`${b.members.length} members`);
      if (b.optional) optional++;
    },
    item: (it) => void (it.optional && optional++),
  });
  const legal = (l: LegalEntry): unknown => (l.items.length ? { [l.group !== undefined ? 'group' : 'entry']: l.items.map(legal) } : 'entry');
  return {
    number: p.number,
    title: p.title,
    kind: p.kind,
    groups,
    optional,
    revisions: [...p.choices.values()].filter((c) => c.revision).length,
    multiple: [...p.choices.values()].filter((c) => c.multiple).map((c) => c.values.length),
    cf: p.parts[0]!.cf.length,
    legal: p.parts[0]!.legal.map(legal),
    approval: p.parts[0]!.approval,
  };
}

describe('import', () => {
  it('gives back the seed word for word, with the structure of policies/5142.4.yaml', () => {
    const diags = new Diagnostics();
    const r = importText(readFileSync(SEED, 'utf8'), 'seed.txt', diags);
    expect(r.differences).toEqual([]);
    expect(r.exact).toBe(true);
    expect(diags.items).toEqual([]);
    const imported = shape(policyOf(r.clause!, 'imported.yaml'));
    const library = shape(policyOf(readFileSync(join(ROOT, 'policies', '5142.4.yaml'), 'utf8'), 'policies/5142.4.yaml'));
    expect(imported).toEqual(library);
    expect(imported.cf).toBe(19);
    // Every guess is marked for review in the file itself.
    expect(r.clause!.match(/^\s*# review:/gm)?.length).toBe(r.guesses.length);
  });

  it("gives back the seed from sro-policy's own sample edition, as Markdown and as HTML", async () => {
    const dir = tempDir('sro-import-');
    writeFileSync(join(dir, 'district.yaml'), 'district: { name: Test District, board: Test Board of Education, town: Testtown, state: Connecticut }\npolicies:\n  "5142.4": {}\n');
    const built = buildInMemory(join(dir, 'district.yaml'), dir, { edition: 'sample' }).files;
    const library = shape(policyOf(readFileSync(join(ROOT, 'policies', '5142.4.yaml'), 'utf8'), 'policies/5142.4.yaml'));
    for (const name of ['5142.4.sample.md', '5142.4.sample.html']) {
      writeFileSync(join(dir, name), built[name]!);
      const r = await importSamples({ files: [name], cwd: dir });
      expect(r.files[0]!.differences, name).toEqual([]);
      expect(shape(policyOf(r.files[0]!.clause!, name)), name).toEqual(library);
    }
  });

  it('gives back every sample of the import corpus exactly (test/fixtures/import/)', async () => {
    const corpus = join(FIXTURES, 'import');
    const r = await importSamples({ files: [corpus], cwd: ROOT });
    // At least twelve, in the styles of several services (the issue's corpus).
    expect(r.files.length).toBeGreaterThanOrEqual(12);
    for (const f of r.files) expect(f.differences, f.source).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    const other = r.files.find((f) => f.source.endsWith('other-service.txt'))!;
    // Another service's letter code, its own labels, page furniture dropped, a numbered list of references.
    expect(other.number).toBe('JICH');
    expect(other.clause).toContain('labels: { alternative: "Alternate:", optional: "Optional:" }');
    expect(other.dropped).toHaveLength(3);
    expect(other.clause).toContain('text: "1. M.G.L. 71:96"');
    // A publisher that labels each optional paragraph and item: the format prints each label too (optional-labels: each).
    const each = r.files.find((f) => f.source.endsWith('label-each.txt'))!;
    expect(each.clause).toContain('optional-labels: "each"');
    // The sample's own dated history lines, printed in its sample edition as it prints them.
    expect(r.files.find((f) => f.source.endsWith('dated-history.txt'))!.clause).toContain('history:\n  - { adopted: "2019-04-23" }\n  - { revised: "2022-11" }');
    expect(r.files.find((f) => f.source.endsWith('cross-reference-lines.txt'))!.clause).toContain('cf-heading: "Cross References:"');
    // "[CHOOSE ONE]" … "[OR]": a group with no default, the publisher's labels kept.
    const chooseOne = r.files.find((f) => f.source.endsWith('choose-one.txt'))!;
    expect(chooseOne.clause).toContain('labels: { alternative: "[OR]", alternative-lead: "[CHOOSE ONE]" }');
    expect(chooseOne.clause).toMatch(/alternatives: "one-of"\n {4}members:/);
    // A number with its document in parentheses, a short line read as a sub-heading, "Cross Reference:" lines of such numbers.
    const local = r.files.find((f) => f.source.endsWith('legal-local.txt'))!;
    expect(local.number).toBe('FFI(LOCAL)');
    expect(local.clause).toContain('heading: "Prohibition"');
    expect(local.clause).toContain('{ number: "FFI(LEGAL)", title: "Student Welfare: Freedom from Bullying" }');
    // Numbered sections with their paragraphs, cross-references by number alone, a numbered legal list.
    const sections = r.files.find((f) => f.source.endsWith('numbered-sections.txt'))!;
    expect(sections.clause).toContain('cf:\n  - { number: "218" }\n  - { number: "233" }\n  - { number: "249", title: "Bullying/Cyberbullying" }');
    expect(sections.clause).toMatch(/text: "Guidelines"\n {8}paragraphs: \["Students who believe/);
    // Boxes the board may check: a checkbox list, each item an option.
    expect(r.files.find((f) => f.source.endsWith('checkbox.txt'))!.clause).toContain('list: "checkbox"');
    // Footnoted references, the label's own wording, dated lines in the service's words.
    const footnotes = r.files.find((f) => f.source.endsWith('footnotes.txt'))!.clause!;
    expect(footnotes).toContain('labels: { legal: "Legal References:" }');
    expect(footnotes).toMatch(/footnote: "1"\n {4}text: "M\.G\.L\. 30B:5"/);
    expect(footnotes).toContain('history:\n  - { adopted: "2015-07-01", label: "Issued:" }\n  - { revised: "2021-03-03", label: "Revised:" }');
    // A regulation headed the service's way, kept word for word.
    expect(r.files.find((f) => f.source.endsWith('regulation-short-heading.txt'))!.clause).toContain('kind: "regulation"\n    heading: "R 2340 Field Trips"');
    // References printed after the paragraph they support.
    const inBody = r.files.find((f) => f.source.endsWith('cf-in-body.txt'))!.clause!;
    expect(inBody).toContain('{ number: "5144", after: "students-who-violate" }');
    expect(inBody).toContain('{ number: "1110.1", title: "Parent Involvement" }');
    // A note to the board, and definitions ("Term: text") with an optional one.
    const defs = r.files.find((f) => f.source.endsWith('definitions-notes.txt'))!.clause!;
    expect(defs).toMatch(/note: "This policy is mandated by federal law\. [^"]*"\n {4}audience: "board"/);
    expect(defs).toMatch(/definitions:\n {6}- id: "term-discrimination"\n {8}term: "Discrimination"/);
    expect(defs).toMatch(/optional: "excluded"\n {8}term: "Designee"/);
    // Numeric dates, two history lines on one line.
    const oneLine = r.files.find((f) => f.source.endsWith('history-one-line.txt'))!.clause!;
    expect(oneLine).toContain('date-format: "M/D/YYYY"');
    expect(oneLine).toMatch(/revised: "2021-03-03"\n {4}label: "Revised:"\n {4}same-line: "; "/);
    // A table, its cells apart by tabs (Word's "save as text"), its caption the short line above it, an optional row.
    const table = r.files.find((f) => f.source.endsWith('table.txt'))!.clause!;
    expect(table).toContain('columns: ["Meal", "Elementary", "Secondary"]');
    expect(table).toMatch(/cells: \["Adult lunch", "\$4\.25", "\$4\.25"\]\n {10}optional: "excluded"/);
    // Bracketed phrases: "[or designee]" an optional phrase, "[insert date]" a blank, as the sample prints them.
    const bracketed = r.files.find((f) => f.source.endsWith('bracketed-phrases.txt'))!.clause!;
    expect(bracketed).toContain('values: { with: " or designee", without: "" }');
    expect(bracketed).toContain('sample: "[insert date]"');
    const awkward = r.files.find((f) => f.source.endsWith('awkward-input.txt'))!;
    // Windows line endings, tabs after list markers, smart quotes, non-breaking spaces, trailing spaces, a list that restarts, an en dash.
    expect(awkward.found['numbered list']).toBe(2);
    expect(awkward.found['revision mark']).toBe(1);
    expect(awkward.clause).toContain('labels: { cf-separator: " – " }');
    expect(awkward.clause).toContain('“safe school”');
  });

  it("gives back sro-policy's own sample editions of the construct-* fixtures, as HTML and as Markdown", async () => {
    const build = join(FIXTURES, 'build');
    const pages = readdirSync(build)
      .filter((c) => c.startsWith('construct-'))
      .flatMap((c) => readdirSync(join(build, c, 'expected')).filter((f) => /\.sample\.(?:html|md)$/.test(f) && !f.startsWith('index')).map((f) => join(build, c, 'expected', f)));
    expect(pages.length).toBeGreaterThan(30);
    const r = await importSamples({ files: pages, cwd: ROOT });
    const failed = r.files.filter((f) => !f.exact).map((f) => `${f.source}: ${JSON.stringify(f.differences[0])}`);
    expect(failed).toEqual([]);
    // And from Word: the sample edition sro-policy writes as a Word file (--format docx), its numbering and tracked changes read back.
    const dir = tempDir('sro-import-docx-');
    let written = 0;
    for (const c of readdirSync(build).filter((n) => n.startsWith('construct-') && existsSync(join(build, n, 'policies')))) {
      const diags = new Diagnostics();
      const plan = planBuild({ config: join(build, c, 'district.yaml'), cwd: join(build, c), edition: 'sample', formats: ['docx'] }, diags);
      for (const f of plan!.files) {
        if (f.kind !== 'content' || f.name.startsWith('index')) continue;
        writeFileSync(join(dir, `${c}-${f.name}`), f.content);
        written++;
      }
    }
    const word = await importSamples({ files: [dir], cwd: dir });
    expect(word.files).toHaveLength(written);
    expect(word.files.filter((f) => !f.exact).map((f) => `${f.source}: ${JSON.stringify(f.differences[0])}`)).toEqual([]);
  });

  it('writes the clause file through the real bin, and never over a file that is there', async () => {
    const dir = tempDir('sro-import-');
    const first = runBin(['import', SEED, '-o', 'imported'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('round trip exact');
    const written = join(dir, 'imported', '5142.4.yaml');
    const text = readFileSync(written, 'utf8');
    const again = runBin(['import', SEED, '-o', 'imported'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[import-exists]');
    expect(readFileSync(written, 'utf8')).toBe(text);
  });

  it('does not write a sample it cannot give back exactly, unless asked to; says where it parts', async () => {
    const dir = tempDir('sro-import-');
    // A label with nothing before it to be the alternative to: its words are lost.
    writeFileSync(join(dir, 'odd.txt'), '9001\n\nFixture Series\n\nBicycles\n\nAlternative language:\n\nRacks are provided.\n\nPolicy adopted:\n');
    const r = await importSamples({ files: ['odd.txt'], out: 'out', cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.files[0]!.exact).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([['import-mismatch', 'odd.txt']]);
    expect(existsSync(join(dir, 'out', '9001.yaml'))).toBe(false);
    const kept = await importSamples({ files: ['odd.txt'], out: 'out', cwd: dir, keepPartial: true });
    expect(kept.files[0]!.written).toBe(join('out', '9001.yaml'));
    expect(readFileSync(join(dir, 'out', '9001.yaml'), 'utf8')).toMatch(/^# review: the round trip is NOT exact/);
  });

  it('reads a Word sample: its tracked change is the revision mark, its paragraphs the text; a .docx that is not a zip is refused', async () => {
    const dir = tempDir('sro-import-');
    const p = (inner: string) => `<w:p>${inner}</w:p>`;
    const r = (t: string) => `<w:r><w:t xml:space="preserve">${t}</w:t></w:r>`;
    const body = [
      p(r('9004')),
      p(r('Fixture Series')),
      p(r('Lockers')),
      p(`${r('Each school ')}<w:del w:id="1" w:author="Publisher"><w:r><w:delText>will</w:delText></w:r></w:del>${r(' ')}<w:ins w:id="2" w:author="Publisher"><w:r><w:t>may</w:t></w:r></w:ins>${r(' give each student a locker.')}`),
      p(r('Policy adopted:')),
    ].join('');
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
    zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
    zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
    writeFileSync(join(dir, 'lockers.docx'), await zip.generateAsync({ type: 'nodebuffer' }));
    writeFileSync(join(dir, 'broken.docx'), 'not a zip at all');
    const result = await importSamples({ files: ['lockers.docx', 'broken.docx'], cwd: dir });
    expect(result.files[0]!.differences).toEqual([]);
    expect(result.files[0]!.found['revision mark']).toBe(1);
    expect(result.files[0]!.clause).toContain('revision: { struck: "will", inserted: "may" }');
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([['not-text', 'broken.docx']]);
  });

  it('gives back each sample of the import corpus from Word as from text: the same clause file', async () => {
    const dir = tempDir('sro-import-');
    const corpus = join(FIXTURES, 'import');
    const names = readdirSync(corpus).filter((f) => f.endsWith('.txt'));
    for (const name of [...names, '5142.4.txt']) {
      const text = readFileSync(name === '5142.4.txt' ? SEED : join(corpus, name), 'utf8');
      writeFileSync(join(dir, name), text);
      writeFileSync(join(dir, name.replace(/\.txt$/, '.docx')), await docxOf(text));
    }
    const r = await importSamples({ files: [dir], cwd: dir });
    expect(r.files.map((f) => [f.source, f.exact])).toEqual(r.files.map((f) => [f.source, true]));
    const clauses = new Map(r.files.map((f) => [f.source, f.clause!.split('\n').slice(1).join('\n')]));
    for (const name of [...names, '5142.4.txt']) expect(clauses.get(name.replace(/\.txt$/, '.docx')), name).toBe(clauses.get(name));
  });

  it('refuses hostile input cleanly: HTML nested fifty thousand deep, a Word file that unpacks to gigabytes, a Word file with broken XML, a header with no text', async () => {
    const dir = tempDir('sro-import-');
    writeFileSync(join(dir, 'deep.html'), `${'<div>'.repeat(50_000)}9001${'</div>'.repeat(50_000)}`);
    // A zip bomb: the limit is 64 MB of document.xml; 2 MB under a 1 MB limit stands for it here, to keep the test quick.
    const bomb = new JSZip();
    bomb.file('word/document.xml', ' '.repeat(2 * 1024 * 1024));
    await expect(docxToHtml(await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), 1024 * 1024)).rejects.toBeInstanceOf(DocxTooLarge);
    const broken = new JSZip();
    broken.file('word/document.xml', '<w:document><w:body><w:p>');
    writeFileSync(join(dir, 'broken.docx'), await broken.generateAsync({ type: 'nodebuffer' }));
    writeFileSync(join(dir, 'header.txt'), '9001\n\nFixture Series\n\nBicycles\n');
    // Refused before parse5, whose time grows with the square of the depth, ever sees it.
    const r = await importSamples({ files: ['deep.html', 'broken.docx', 'header.txt'], cwd: dir });
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['too-deep', 'deep.html'],
      ['not-text', 'broken.docx'],
      ['import-mismatch', 'header.txt'],
    ]);
  });

  it('joins a library: labels its library.yaml sets are not repeated, the proof prints with them, and a number it has already is reported', async () => {
    const dir = tempDir('sro-import-lib-');
    mkdirSync(join(dir, 'library'));
    writeFileSync(join(dir, 'library', 'library.yaml'), 'labels: { alternative: "Alternate:", optional: "Optional:" }\n');
    writeFileSync(join(dir, 'library', 'jich.yaml'), readFileSync(join(FIXTURES, 'build', 'construct-kinds', 'policies', readdirSync(join(FIXTURES, 'build', 'construct-kinds', 'policies'))[0]!), 'utf8').replace(/^number: .*$/m, 'number: "JICH"'));
    const r = await importSamples({ files: [join(FIXTURES, 'import', 'other-service.txt')], cwd: dir, library: 'library' });
    const f = r.files[0]!;
    expect(f.exact).toBe(true);
    // Without the library, the file says its labels itself.
    expect(f.clause).not.toContain('labels:');
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['duplicate-policy', 'warning']]);
    expect(r.diagnostics[0]!.message).toContain('library/jich.yaml');
  });

  it('imports a folder of samples: a library folder, a table of what each gave, and the config line to use it', () => {
    const dir = tempDir('sro-import-');
    mkdirSync(join(dir, 'samples'));
    writeFileSync(join(dir, 'samples', 'seed.txt'), readFileSync(SEED));
    writeFileSync(join(dir, 'samples', 'lockers.txt'), '9003\n\nFixture Series\n\nLockers\n\nEach student is given a locker.\n\nPolicy adopted:\n');
    writeFileSync(join(dir, 'samples', 'odd.txt'), Buffer.from([0, 1, 2]));
    const r = runBin(['import', 'samples', '-o', 'library'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FILE +NUMBER +TITLE +FOUND +GUESSES +ROUND TRIP/);
    expect(r.stdout).toMatch(/samples\/lockers\.txt +9003 +Lockers .* exact/);
    expect(r.stdout).toContain('  - path: "library"');
    expect(existsSync(join(dir, 'library', '5142.4.yaml')) && existsSync(join(dir, 'library', '9003.yaml'))).toBe(true);
    expect(r.stderr).toContain('[not-text]');
  });

  it('refuses a binary, an empty and a huge file cleanly, and goes on with the others', async () => {
    const dir = tempDir('sro-import-');
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'binary.txt'), Buffer.from([0, 1, 2, 3, 255]));
    writeFileSync(join(dir, 'in', 'empty.txt'), '');
    writeFileSync(join(dir, 'in', 'huge.txt'), 'x'.repeat(3 * 1024 * 1024));
    writeFileSync(join(dir, 'in', 'seed.txt'), readFileSync(SEED));
    const r = await importSamples({ files: ['in/binary.txt', 'in/empty.txt', 'in/huge.txt', 'in/seed.txt'], out: 'out', cwd: dir });
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['empty-file', 'file-too-large', 'not-text']);
    expect(r.files.map((f) => f.written ?? null)).toEqual([null, null, null, join('out', '5142.4.yaml')]);
  });
});
