// Redlines between configs, revisions and editions.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { pageText } from './build-helpers.js';
import { describe, expect, it } from 'vitest';
import { comparePlans } from '../src/redline/compare.js';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild, type BuildPlan } from '../src/build/pipeline.js';
import type { PolicyRedline } from '../src/redline/redline.js';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');
const BASE = `district: { name: Vellmoor Public Schools, board: Vellmoor Board of Education, town: Vellmoor, state: Connecticut }
variables:
  police-department: Vellmoor Police Department
policies:
  "5142.4":
`;

function plan(dir: string, name: string, settings: string): BuildPlan {
  writeFileSync(join(dir, name), BASE + settings.replace(/^/gm, '    ') + '\n');
  const diags = new Diagnostics();
  const p = planBuild({ config: join(dir, name), cwd: dir }, diags);
  expect(diags.errorCount, diags.items.map((d) => d.message).join('\n')).toBe(0);
  return p!;
}

function compare(oldSettings: string, newSettings: string): PolicyRedline | undefined {
  const dir = tempDir('sro-diff-');
  const c = comparePlans(plan(dir, 'old.yaml', oldSettings), plan(dir, 'new.yaml', newSettings), ['md', 'html'], { from: 'old', to: 'new' });
  return c.redlines[0];
}

const changedUnits = (r: PolicyRedline) => r.units.filter((u) => u.status !== 'same');

describe('redline between two configs', () => {
  it('an option added shows the inserted item and nothing else', () => {
    const r = compare('options: {}', 'options: { duty-crime-prevention: true }')!;
    expect(r.inserted).toBe(5);
    expect(r.deleted).toBe(0);
    expect(changedUnits(r).map((u) => [u.key, u.status, u.marker])).toEqual([['item:duty-crime-prevention', 'inserted', '6.']]);
  });

  it('renumbering by a selection changes no words', () => {
    const r = compare('options: { duty-investigating: true, duty-crime-prevention: true }', 'options: { duty-crime-prevention: true }')!;
    // Only the removed duty counts; crime prevention moved from 7. to 6. and is unchanged.
    expect(changedUnits(r).map((u) => [u.key, u.status])).toEqual([['item:duty-investigating', 'deleted']]);
    expect(r.deleted).toBe(5);
    expect(r.inserted).toBe(0);
    expect(r.units.find((u) => u.key === 'item:duty-crime-prevention')).toMatchObject({ status: 'same', marker: '6.' });
  });

  it('an alternative switched shows the old member deleted and the new one inserted', () => {
    const r = compare('alternatives: { goals: sro-goals }', 'alternatives: { goals: shared-goals }')!;
    const statuses = new Set(changedUnits(r).map((u) => `${u.key.split(':')[0]}:${u.status}`));
    expect(statuses).toEqual(new Set(['lead-in:deleted', 'item:deleted', 'lead-in:inserted', 'item:inserted']));
    expect(r.units.filter((u) => u.status === 'deleted').map((u) => u.key)).toContain('item:goal-safe-environment');
    expect(r.units.filter((u) => u.status === 'inserted').map((u) => u.key)).toContain('item:shared-goal-education');
  });

  it('a variable changed is a word-level change inside its sentence', () => {
    const r = compare('alternatives: { regulations: [police-cooperation] }', 'alternatives: { regulations: [police-cooperation] }\nvariables: { police-department: Vellmoor Regional Police }')!;
    const changed = changedUnits(r);
    expect(changed.map((u) => [u.key, u.status])).toEqual([['block:police-cooperation-text', 'changed']]);
    const seg = changed[0]!.segments;
    // "Vellmoor Police Department" → "Vellmoor Regional Police": the smallest word change.
    expect(seg.filter((s) => s.op === 'del').map((s) => s.text.trim())).toEqual(['Department']);
    expect(seg.filter((s) => s.op === 'ins').map((s) => s.text.trim())).toEqual(['Regional']);
  });

  it('a deviation added shows its text, and a move is shown as moved', () => {
    const r = compare(
      'options: {}',
      [
        'deviations:',
        '  - replace: duty-observation',
        '    text: "The observation and reporting of any unlawful act on school grounds;"',
        '    reason: Officers report what happens on school grounds.',
        '  - move: memorandum-of-understanding',
        '    before: duties',
        '    reason: The board puts the agreement first.',
      ].join('\n'),
    )!;
    const observation = r.units.find((u) => u.key === 'item:duty-observation')!;
    expect(observation.status).toBe('changed');
    expect(observation.segments.filter((s) => s.op === 'ins').map((s) => s.text.trim())).toEqual(['on school grounds']);
    expect(r.units.find((u) => u.key === 'block:memorandum-of-understanding')!.status).toBe('moved');
    expect(r.moved).toBe(1);
    expect(r.deleted).toBe(0);
    expect(r.inserted).toBe(3);
  });

  it('nothing changed, nothing reported', () => {
    expect(compare('options: {}', 'options: {}')).toBeUndefined();
  });
});

describe('redlines in Word (diff --format docx)', () => {
  it('are tracked changes by the district: accepting all gives the newer text, rejecting all the older', () => {
    const dir = tempDir('sro-diff-docx-');
    const [older, newer] = [plan(dir, 'old.yaml', 'alternatives: { goals: sro-goals }\noptions: {}'), plan(dir, 'new.yaml', 'alternatives: { goals: shared-goals }\noptions: { duty-crime-prevention: true }\nvariables: { board-name: Vellmoor School Committee }')];
    const c = comparePlans(older, newer, ['docx'], { from: 'old', to: 'new' });
    const file = c.files.find((f) => f.name === '5142.4.redline.docx')!;
    const xml = new TextDecoder().decode(unzipSync((file as { content: Uint8Array }).content)['word/document.xml']!);
    expect(xml).toContain('w:author="Vellmoor Public Schools"');
    const wordsOf = (x: string) =>
      [...x.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
        .map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"))
        .join(' ')
        .split(/\s+/)
        .filter(Boolean);
    const accepted = wordsOf(xml.replace(/<w:del\b[\s\S]*?<\/w:del>/g, ''));
    const rejected = wordsOf(xml.replace(/<w:ins\b[\s\S]*?<\/w:ins>/g, '').replace(/<w:delText/g, '<w:t').replace(/<\/w:delText>/g, '</w:t>'));
    const r = c.redlines[0]!;
    const side = (op: 'ins' | 'del') => r.units.flatMap((u) => [...(u.marker && u.marker !== '•' && u.status !== (op === 'ins' ? 'deleted' : 'inserted') ? [u.marker] : []), ...u.segments.filter((s) => s.op === 'same' || s.op === op).map((s) => s.text)]).join(' ').split(/\s+/).filter(Boolean);
    const heading = ['5142.4', ...r.title.split(' '), ...'Changes from old to new, as tracked changes: accept or reject each in Word.'.split(' ')];
    expect(accepted).toEqual([...heading, ...side('ins')]);
    expect(rejected).toEqual([...heading, ...side('del')]);
    expect(accepted.join(' ')).toContain('Vellmoor School Committee');
    expect(rejected.join(' ')).not.toContain('Vellmoor School Committee');
  });
});

describe('sample revision marks', () => {
  it('a redline of "will" against "may" shows the same marks as the sample edition', async () => {
    const dir = tempDir('sro-diff-');
    const oldPlan = plan(dir, 'old.yaml', 'choices: { employ-verb: will }');
    const newPlan = plan(dir, 'new.yaml', 'choices: { employ-verb: may }');
    const c = comparePlans(oldPlan, newPlan, ['md', 'html'], { from: 'old', to: 'new' });
    const md = pageText(c.files.find((f) => f.name === '5142.4.redline.md')!);
    const html = pageText(c.files.find((f) => f.name === '5142.4.redline.html')!);
    expect(md).toContain('the district ~~will~~ **may** employ');
    expect(html).toContain('the district <del>will</del> <ins>may</ins> employ');
    const diags = new Diagnostics();
    const sample = planBuild({ config: join(dir, 'new.yaml'), cwd: dir, edition: 'sample' }, diags)!;
    const sampleMd = pageText(sample.files.find((f) => f.name === '5142.4.sample.md')!);
    const sampleHtml = pageText(sample.files.find((f) => f.name === '5142.4.sample.html')!);
    expect(sampleMd).toContain('the district ~~will~~ **may** employ');
    expect(sampleHtml).toMatch(/the district <del>will<\/del>\s?<ins>may<\/ins> employ/);
  });
});

describe('sro-policy diff', () => {
  function repo(): string {
    const dir = tempDir('sro-diff-git-');
    cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'district.yaml'));
    cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'policies'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=clerk@example.invalid', '-c', 'user.name=Clerk', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'adopted');
    writeFileSync(join(dir, 'district.yaml'), readFileSync(join(dir, 'district.yaml'), 'utf8').replace('duty-community-liaison: true', 'duty-community-liaison: false'));
    git('commit', '-qam', 'liaison dropped');
    return dir;
  }

  it('compares two git revisions and writes one redline per changed policy plus a summary', async () => {
    const dir = repo();
    const r = await runInProcess(['diff', 'district.yaml', '--from', 'HEAD~1', '--to', 'HEAD', '--exit-code'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('5142.4 School Resource Officer: 0 words inserted, 10 deleted');
    const summary = readFileSync(join(dir, 'redline', 'redline.md'), 'utf8');
    expect(summary).toContain('| [5142.4](5142.4.redline.md) | School Resource Officer | 0 | 10 | 0 |');
    expect(summary).not.toContain('5142 ');
    const html = readFileSync(join(dir, 'redline', '5142.4.redline.html'), 'utf8');
    expect(html).toContain('<del>Operating as a liaison between the community and the District.</del>');
  });

  it('--from with the working tree, and no changes exit 0 with --exit-code', async () => {
    const dir = repo();
    const same = await runInProcess(['diff', 'district.yaml', '--from', 'HEAD', '--exit-code'], dir);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('No changes.');
  });

  it('an unknown revision is a usage error that names it and says how to list them, also with --debug', async () => {
    const dir = repo();
    for (const rev of ['no-such-rev', 'HEAD~99']) {
      for (const debug of [[], ['--debug']]) {
        const r = await runInProcess(['diff', 'district.yaml', '--from', rev, ...debug], dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`sro-policy diff: "${rev}" is not a revision of the repository at `);
        expect(r.stderr).toContain('"git log --oneline" lists its commits');
      }
    }
  });

  it('runs git in the config\'s repository, wherever it is run from', async () => {
    const dir = repo();
    const elsewhere = tempDir('sro-diff-elsewhere-');
    const r = await runInProcess(['diff', join(dir, 'district.yaml'), '--from', 'HEAD~1', '--to', 'HEAD', '--format', 'md'], elsewhere);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('5142.4 School Resource Officer: 0 words inserted, 10 deleted');
    const outside = await runInProcess(['diff', join(elsewhere, 'district.yaml'), '--from', 'HEAD'], elsewhere);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is not in a git repository');
  });

  it('--against sample shows what the district changed', async () => {
    const dir = repo();
    const r = await runInProcess(['diff', 'district.yaml', '--against', 'sample', '--format', 'md'], dir);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'redline', '5142.4.redline.md'), 'utf8');
    expect(md).toContain('the district ~~will~~ may employ');
    expect(md).toContain('~~Alternative language:~~');
  });
});
