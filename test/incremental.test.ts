// Incremental builds: after a change, only what depends on it is rendered
// again, and the result equals a clean build byte for byte.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_NAME, parseCache } from '../src/cache.js';
import { Diagnostics } from '../src/diagnostics.js';
import { planBuild } from '../src/pipeline.js';
import { version } from '../src/version.js';
import { outputsIntact } from '../src/write.js';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

function example(): string {
  const dir = tempDir('sro-incr-');
  cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'district.yaml'));
  cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'policies'), { recursive: true });
  return dir;
}

function pages(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) if (!n.startsWith('.')) out[n] = readFileSync(join(dir, n), 'utf8');
  return out;
}

/** Which policies a build would assemble and render again, given the cache in out/. */
function rerendered(dir: string): string[] {
  const diags = new Diagnostics();
  const plan = planBuild(
    {
      config: join(dir, 'district.yaml'),
      cwd: dir,
      incremental: { version: version(), read: (o) => parseCache(readFileSync(join(o, CACHE_NAME), 'utf8'), version()), intact: outputsIntact },
    },
    diags,
  )!;
  expect(diags.errorCount).toBe(0);
  return plan.policies.filter((p) => p.document).map((p) => p.number);
}

async function expectSameAsCleanBuild(dir: string): Promise<void> {
  const incremental = await runInProcess(['build', 'district.yaml'], dir);
  expect(incremental.code, incremental.stderr).toBe(0);
  const clean = await runInProcess(['build', 'district.yaml', '--out', 'clean'], dir);
  expect(clean.code, clean.stderr).toBe(0);
  expect(pages(join(dir, 'out'))).toEqual(pages(join(dir, 'clean')));
  // The same diagnostics as a clean build, too.
  expect(incremental.stderr).toBe(clean.stderr);
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('incremental build', () => {
  it('renders nothing again when nothing changed, and writes nothing', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    expect(rerendered(dir)).toEqual([]);
    const again = await runInProcess(['build', 'district.yaml'], dir);
    expect(again.stdout).not.toContain('wrote');
  });

  it('a policy changed: only that policy is rendered again', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
    expect(rerendered(dir)).toEqual(['5145.12']);
    await expectSameAsCleanBuild(dir);
  });

  it('a cross-referenced title changed: the policy, the pages citing it and those it cites (backlinks)', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5141.6.yaml'), 'title: Crisis Management', 'title: Crisis and Emergency Management');
    // 5142 and 5142.4 cite 5141.6 (link text) and are cited by it (backlinks); 5145.12 does neither.
    expect(rerendered(dir)).toEqual(['5141.6', '5142', '5142.4']);
    await expectSameAsCleanBuild(dir);
  });

  it('a shared variable changed: every policy', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'district.yaml'), 'police-department: Vellmoor Police Department', 'police-department: Vellmoor Regional Police');
    expect(rerendered(dir)).toEqual(['5141.6', '5142', '5142.4', '5145.12']);
    await expectSameAsCleanBuild(dir);
  });

  it('a template changed: every policy', async () => {
    const dir = example();
    mkdirSync(join(dir, 'tpl', 'html', 'partials'), { recursive: true });
    writeFileSync(join(dir, 'tpl', 'html', 'partials', 'footer.hbs'), '<footer><p>{{#if district}}{{district.board}}{{/if}}</p></footer>\n');
    edit(join(dir, 'district.yaml'), 'libraries:', 'templates: tpl\nlibraries:');
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'tpl', 'html', 'partials', 'footer.hbs'), '<footer><p>{{#if district}}{{district.board}}, {{district.town}}{{/if}}</p></footer>\n');
    expect(rerendered(dir)).toEqual(['5141.6', '5142', '5142.4', '5145.12']);
    await expectSameAsCleanBuild(dir);
  });

  it('a page edited or deleted on disk is rendered again', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'out', '5142.html'), 'damaged\n');
    expect(rerendered(dir)).toEqual(['5142']);
  });
});

describe('no-change rebuild', () => {
  it('answers from the last build: same report, every page unchanged, nothing read again', async () => {
    const dir = example();
    const first = await runInProcess(['build', 'district.yaml'], dir);
    expect(first.code).toBe(0);
    const again = await runInProcess(['build', 'district.yaml'], dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(first.stderr);
    expect(again.stdout).toBe(first.stdout.replace(/^wrote    /gm, 'unchanged').replace(/^unchanged district\.lock\.json\n/m, ''));
    const strict = await runInProcess(['build', 'district.yaml', '--strict'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error [missing-cross-reference]');
  });

  it('a file saved again without a change (new modification time, same content) still needs no build', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const record = join(dir, 'out', '.sro-policy-last-build.json');
    const before = readFileSync(record, 'utf8');
    const file = join(dir, 'policies', '5142.yaml');
    const later = new Date(Date.now() + 10_000);
    utimesSync(file, later, later);
    const again = await runInProcess(['build', 'district.yaml'], dir);
    expect(again.stdout).not.toContain('wrote');
    // Answered from the record (a real build would record the new modification time).
    expect(readFileSync(record, 'utf8')).toBe(before);
    // The same length of text, changed: the content hash tells.
    edit(file, 'places the safety of students first', 'places the safety of students frist');
    utimesSync(file, later, new Date(Date.now() + 20_000));
    const changed = await runInProcess(['build', 'district.yaml'], dir);
    expect(changed.stdout).toContain('wrote     out/5142.md');
  });

  it('any change to an input, or to a page on disk, makes it a real build', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5142.yaml'), 'places the safety of students first', 'puts the safety of students first');
    const changed = await runInProcess(['build', 'district.yaml'], dir);
    expect(changed.stdout).toContain('wrote     out/5142.md');
    writeFileSync(join(dir, 'newer.yaml'), '');
    rmSync(join(dir, 'out', '5142.4.html'));
    const repaired = await runInProcess(['build', 'district.yaml'], dir);
    expect(repaired.stdout).toContain('wrote     out/5142.4.html');
  });
});
