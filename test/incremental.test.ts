// Incremental builds: after a change, only what depends on it is rendered
// again, and the result equals a clean build byte for byte.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync as statOf, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageText } from './build-helpers.js';
import { describe, expect, it } from 'vitest';
import { parseCache } from '../src/incremental/cache.js';
import { cacheFolder } from '../src/incremental/cache-dir.js';
import { pack, unpack } from '../src/incremental/pack.js';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild, planBuildParallel, type BuildPlan, type BuildRequest } from '../src/build/pipeline.js';
import { formatJson, formatText } from '../src/diagnostics/reporters.js';
import { checkUnchanged } from '../src/incremental/no-change.js';
import type { InputStamp } from '../src/model/source.js';
import type { LoadMemo } from '../src/build/shard.js';
import { toolBuild, version } from '../src/read/version.js';
import { outputsIntact } from '../src/write/verify.js';
import { runInProcess } from './run-cli.js';

/** A cache file's JSON (the cache folder's files are packed: src/incremental/pack.ts). */
const readPacked = (path: string): string => unpack(readFileSync(path))!;
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

/** The build cache and record of a config's builds into `out` (see cache-dir.ts). */
function cacheOf(dir: string, out = 'out', config = 'district.yaml') {
  return cacheFolder(join(dir, config), join(dir, out), undefined, dir)!;
}

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
      incremental: { version: toolBuild(), read: (o) => parseCache(unpack(readFileSync(cacheFolder(join(dir, 'district.yaml'), o, undefined, dir)!.cache)), toolBuild(), dir), intact: outputsIntact },
    },
    diags,
  )!;
  expect(diags.errorCount).toBe(0);
  return plan.policies.filter((p) => p.document).map((p) => p.number);
}

async function expectSameAsCleanBuild(dir: string): Promise<void> {
  const incremental = await runInProcess(['build', 'district.yaml'], dir);
  expect(incremental.code, incremental.stderr).toBe(0);
  rmSync(join(dir, 'clean'), { recursive: true, force: true });
  const clean = await runInProcess(['build', 'district.yaml', '--out', 'clean'], dir);
  expect(clean.code, clean.stderr).toBe(0);
  expect(pages(join(dir, 'out'))).toEqual(pages(join(dir, 'clean')));
  // The same diagnostics as a clean build, too, and the same lock file (the clean build did not rewrite it).
  expect(incremental.stderr).toBe(clean.stderr);
  expect(clean.stdout).not.toContain('district.lock.json');
}

/** The build `build` runs (the lock file read too), on one thread or with a worker: what was rendered again, and what was not even parsed. */
async function rebuild(dir: string, workers?: number, known?: ReadonlyMap<string, InputStamp>): Promise<{ rendered: number; settled: number; report: string; files: [string, string][]; text: string }> {
  const diags = new Diagnostics();
  const req: BuildRequest = {
    config: join(dir, 'district.yaml'),
    cwd: dir,
    keepDocuments: false,
    incremental: {
      version: toolBuild(),
      read: (o) => parseCache(unpack(readFileSync(cacheFolder(join(dir, 'district.yaml'), o, undefined, dir)!.cache)), toolBuild(), dir),
      intact: outputsIntact,
      readLock: () => readFileSync(join(dir, 'district.lock.json')),
      ...(known ? { known } : {}),
    },
    ...(workers !== undefined ? { workers } : {}),
  };
  const plan = workers === undefined ? planBuild(req, diags) : await planBuildParallel(req, diags);
  expect(diags.errorCount, formatText(diags.items, diags.sources)).toBe(0);
  return {
    rendered: plan!.rendered,
    settled: plan!.settled,
    report: formatJson(diags.items, diags.sources),
    files: plan!.files.map((f) => [f.name, pageText(f)]),
    text: formatText(diags.items, diags.sources),
  };
}

/** The stamps a build's no-change check hands it (every input as it is now, content hashes included). */
function checkedStamps(dir: string): ReadonlyMap<string, InputStamp> {
  const check = checkUnchanged({ config: 'district.yaml', cwd: dir });
  if (check.unchanged) throw new Error('expected a change');
  return check.inputs!;
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

  it('a policy changed: the other clause files are not parsed again, on one thread or with a worker', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
    const one = await rebuild(dir);
    expect([one.rendered, one.settled]).toEqual([1, 3]);
    const two = await rebuild(dir, 1);
    expect([two.rendered, two.settled]).toEqual([1, 3]);
    expect(two.report).toBe(one.report);
    expect(two.files).toEqual(one.files);
    // What the settled policies reported (their warnings) is what parsing them reports.
    const fresh = new Diagnostics();
    planBuild({ config: join(dir, 'district.yaml'), cwd: dir, keepDocuments: false }, fresh);
    expect(one.report).toBe(formatJson(fresh.items, fresh.sources));
    await expectSameAsCleanBuild(dir);
    // The lock file still holds the library's old text of 5145.12 (lock-outdated), so that policy's clause file is parsed.
    expect(await rebuild(dir)).toMatchObject({ rendered: 0, settled: 3 });
    expect((await runInProcess(['build', 'district.yaml', '--update-lock'], dir)).code).toBe(0);
    expect(await rebuild(dir)).toMatchObject({ rendered: 0, settled: 4 });
    // A worker with several settled policies hands each lock entry back on its own buffer.
    expect(await rebuild(dir, 1)).toMatchObject({ rendered: 0, settled: 4 });
  });

  it('a settled clause file its stamp proves unchanged is not even read, and its warnings print as a fresh build prints them', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
    const known = checkedStamps(dir);
    const read = await rebuild(dir);
    // 5142's file replaced after the check: a build that took it by its stamp never sees the new text.
    const file = join(dir, 'policies', '5142.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, 'title: [broken\n');
    for (const workers of [undefined, 1]) {
      const unread = await rebuild(dir, workers, known);
      expect([unread.rendered, unread.settled]).toEqual([1, 3]);
      expect(unread.files).toEqual(read.files);
      // The same warnings, code frames included (5142.4, of the package's library, has one: taken by its
      // stamp too, its lines come from the cache).
      expect(unread.text).toBe(read.text);
      expect(unread.text).toMatch(/5142\.4\.yaml:143:15: warning \[missing-cross-reference\][^]*> 143 \| {3}- \{ number: "5114"/);
    }
    // Without the check's stamps the file is read, and its new text reported.
    const diags = new Diagnostics();
    planBuild({ config: join(dir, 'district.yaml'), cwd: dir, keepDocuments: false }, diags);
    expect(diags.errorCount).toBeGreaterThan(0);
    writeFileSync(file, text);
  });

  it('a settled file known by its stamp that a later step needs after all is read then; one changed meanwhile is reported, never fatal', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    // 5142 cites 5141.6: its page changes though its file did not, so its file is read and parsed after all.
    edit(join(dir, 'policies', '5141.6.yaml'), 'title: Crisis Management', 'title: Crisis and Emergency Management');
    const known = checkedStamps(dir);
    expect(await rebuild(dir, undefined, known)).toMatchObject({ rendered: 3, settled: 1 });
    await expectSameAsCleanBuild(dir);
    edit(join(dir, 'policies', '5141.6.yaml'), 'title: Crisis and Emergency Management', 'title: Crisis Management');
    const again = checkedStamps(dir);
    // 5142 broken after the check: read when its page is rendered, and what is wrong with it reported.
    writeFileSync(join(dir, 'policies', '5142.yaml'), 'title: [broken\n');
    const diags = new Diagnostics();
    planBuild(
      {
        config: join(dir, 'district.yaml'),
        cwd: dir,
        keepDocuments: false,
        incremental: {
          version: toolBuild(),
          read: (o) => parseCache(unpack(readFileSync(cacheFolder(join(dir, 'district.yaml'), o, undefined, dir)!.cache)), toolBuild(), dir),
          intact: outputsIntact,
          readLock: () => readFileSync(join(dir, 'district.lock.json')),
          known: again,
        },
      },
      diags,
    );
    expect(diags.items.filter((d) => d.severity === 'error').map((d) => [d.code, d.file])).toEqual([['yaml-syntax', 'policies/5142.yaml']]);
  });

  it('an edited or damaged cache entry is built afresh, never trusted or fatal', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const path = cacheOf(dir).cache;
    const c = JSON.parse(readPacked(path)) as { policies: Record<string, { settled: { cf: unknown }; diagnostics: unknown[] }> };
    c.policies['5142']!.settled.cf = 5;
    c.policies['5142.4']!.diagnostics = [{ severity: 'warning', code: 'x', message: 'injected', range: 'x' }];
    writeFileSync(path, pack(JSON.stringify(c)));
    edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
    expect(await rebuild(dir)).toMatchObject({ rendered: 3, settled: 1 });
    await expectSameAsCleanBuild(dir);
  });

  it('a cache file that is not packed, cut short or not ours at all is built afresh, never fatal; the unpacked files of 0.1 go', async () => {
    for (const damage of [(b: Buffer) => b.subarray(0, b.length >> 1), () => Buffer.from('{"version":"0.1.0"}'), () => Buffer.from([0x1b, 0xff, 0xff, 0xff, 0xff, 0x0f])]) {
      const dir = example();
      expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
      const folder = cacheOf(dir);
      for (const path of [folder.cache, folder.record, folder.report]) writeFileSync(path, damage(readFileSync(path)));
      for (const old of ['cache.json', 'last-build.json']) writeFileSync(join(folder.dir, old), '{}');
      edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
      expect(await rebuild(dir)).toMatchObject({ rendered: 4, settled: 0 });
      await expectSameAsCleanBuild(dir);
      expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
      expect(readdirSync(folder.dir).sort()).toEqual(['cache.json.br', 'last-build.json.br', 'last-report.json.br']);
    }
  });

  it('check reads the cache as build does (writing nothing) and reports what a check without it reports', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5142.yaml'), 'places the safety of students first', 'puts the safety of students first');
    const cache = readFileSync(cacheOf(dir).cache, 'utf8');
    const withCache = await runInProcess(['check', 'district.yaml'], dir);
    expect(readFileSync(cacheOf(dir).cache, 'utf8')).toBe(cache);
    const without = await runInProcess(['check', 'district.yaml', '--no-cache'], dir);
    expect([withCache.code, withCache.stdout, withCache.stderr]).toEqual([without.code, without.stdout, without.stderr]);
    expect(withCache.stderr).toContain('[missing-cross-reference]');
  });

  it('build --check reads the cache, compares the pages it vouches for by their hash, and finds what a build would change', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const cache = readFileSync(cacheOf(dir).cache, 'utf8');
    const compare = async () => {
      const withCache = await runInProcess(['build', 'district.yaml', '--check'], dir);
      const without = await runInProcess(['build', 'district.yaml', '--check', '--no-cache'], dir);
      expect([withCache.code, withCache.stdout, withCache.stderr]).toEqual([without.code, without.stdout, without.stderr]);
      return withCache;
    };
    expect((await compare()).code).toBe(0);
    // A page edited by hand, with its modification time put back: found by its content.
    const page = join(dir, 'out', '5145.12.md');
    const { mtime, atime } = statOf(page);
    writeFileSync(page, readFileSync(page, 'utf8').replace('Board', 'Bored'));
    utimesSync(page, atime, mtime);
    const edited = await compare();
    expect(edited.code).toBe(1);
    expect(edited.stdout + edited.stderr).toContain('5145.12.md');
    // A clause changed: its pages differ, the others are taken from the cache.
    edit(join(dir, 'policies', '5142.yaml'), 'places the safety of students first', 'puts the safety of students first');
    const changed = await compare();
    expect(changed.stdout + changed.stderr).toMatch(/5142\.md[\s\S]*5145\.12\.md|5145\.12\.md[\s\S]*5142\.md/);
    expect(readFileSync(cacheOf(dir).cache, 'utf8')).toBe(cache);
  });

  it('clause files outside the manual: left unparsed when they plainly state an unlisted number, else taken from the cache', async () => {
    const dir = example();
    mkdirSync(join(dir, 'extra'));
    const text = readFileSync(join(dir, 'policies', '5145.12.yaml'), 'utf8');
    // States its number plainly: a build does not parse it.
    const plain = join(dir, 'extra', '9001.yaml');
    writeFileSync(plain, text.replace(/^number: .*$/m, 'number: "9001"'));
    // States it less plainly (a quoted key): parsed, and taken from the cache by later builds.
    const unclear = join(dir, 'extra', '9002.yaml');
    writeFileSync(unclear, text.replace(/^number: .*$/m, '"number": "9002"'));
    edit(join(dir, 'district.yaml'), '  - path: policies\n', '  - extra\n  - path: policies\n');
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5142.yaml'), 'places the safety of students first', 'puts the safety of students first');
    // Three policies of the manual and 9002, on one thread or with a worker.
    const one = await rebuild(dir);
    expect(one).toMatchObject({ rendered: 1, settled: 4 });
    const two = await rebuild(dir, 2);
    expect(two).toMatchObject({ rendered: 1, settled: 4 });
    expect([two.report, two.files]).toEqual([one.report, one.files]);
    await expectSameAsCleanBuild(dir);
    // 9002 changed: parsed. (5142 is parsed too: the lock still holds its old text, lock-outdated.)
    edit(unclear, 'remain school property', 'remain the property of the school');
    expect(await rebuild(dir)).toMatchObject({ rendered: 0, settled: 3 });

    // Broken outside the manual: not the build's business; check reports it.
    edit(plain, 'title:', 'titel:');
    const built = await runInProcess(['build', 'district.yaml'], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).not.toContain('extra/9001.yaml');
    const checked = await runInProcess(['check', 'district.yaml'], dir);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('extra/9001.yaml');

    // A number the config lists that no file states: every file is parsed to be sure, and the error suggests the nearest.
    edit(join(dir, 'district.yaml'), 'policies:\n', 'policies:\n  "9011":\n    formats: [md]\n');
    const unknown = await runInProcess(['build', 'district.yaml'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/\[unknown-policy\] The library has no policy 9011[\s\S]*9001/);
    // A duplicate among files left out is found from their text and reported as before.
    writeFileSync(join(dir, 'extra', '9003.yaml'), text.replace(/^number: .*$/m, 'number: "9002"'));
    edit(join(dir, 'district.yaml'), '  "9011":\n    formats: [md]\n', '');
    const twice = await runInProcess(['build', 'district.yaml'], dir);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('[duplicate-policy] Policy 9002 is defined twice');
  });

  it('a settled policy is parsed after all when its pages must change, or when the lock file does not hold its entry as recorded', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    // 5142 and 5142.4 link to 5141.6 and it links back: their pages change though their files did not.
    edit(join(dir, 'policies', '5141.6.yaml'), 'title: Crisis Management', 'title: Crisis and Emergency Management');
    expect(await rebuild(dir)).toMatchObject({ rendered: 3, settled: 1 });
    await expectSameAsCleanBuild(dir);
    // The lock entry of 5145.12 edited by hand: it is worked out from its clause file, which is parsed.
    edit(join(dir, 'district.lock.json'), '"5145.12": {\n      "library": "policies"', '"5145.12": {\n      "library":  "policies"');
    expect(await rebuild(dir)).toMatchObject({ rendered: 0, settled: 3 });
    // The config changed: nothing is settled.
    edit(join(dir, 'district.yaml'), 'police-department: Vellmoor Police Department', 'police-department: Vellmoor Regional Police');
    expect(await rebuild(dir)).toMatchObject({ settled: 0 });
  });

  it('a cross-referenced title changed: the policy, the pages citing it and those it cites (backlinks)', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'policies', '5141.6.yaml'), 'title: Crisis Management', 'title: Crisis and Emergency Management');
    // 5142 and 5142.4 cite 5141.6 (link text) and are cited by it (backlinks); 5145.12 does neither.
    expect(rerendered(dir)).toEqual(['5141.6', '5142', '5142.4']);
    await expectSameAsCleanBuild(dir);
  });

  it('the index pages are taken from the cache while what they show is unchanged, and rendered again when it changes or a page was edited', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const indexKinds = () => {
      const diags = new Diagnostics();
      const plan = planBuild(
        {
          config: join(dir, 'district.yaml'),
          cwd: dir,
          keepDocuments: false,
          incremental: { version: toolBuild(), read: (o) => parseCache(unpack(readFileSync(cacheFolder(join(dir, 'district.yaml'), o, undefined, dir)!.cache)), toolBuild(), dir), intact: outputsIntact },
        },
        diags,
      )!;
      return plan.files.filter((f) => f.name.startsWith('index.')).map((f) => `${f.name} ${f.kind}`);
    };
    expect(indexKinds()).toEqual(['index.md cached', 'index.html cached']);
    // A policy's text changed, not its title: the index shows the same.
    edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
    expect(indexKinds()).toEqual(['index.md cached', 'index.html cached']);
    await expectSameAsCleanBuild(dir);
    edit(join(dir, 'policies', '5141.6.yaml'), 'title: Crisis Management', 'title: Crisis and Emergency Management');
    expect(indexKinds()).toEqual(['index.md content', 'index.html content']);
    await expectSameAsCleanBuild(dir);
    writeFileSync(join(dir, 'out', 'index.md'), 'edited\n');
    expect(indexKinds()).toEqual(['index.md content', 'index.html content']);
  });

  it('a shared variable changed: every policy', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    edit(join(dir, 'district.yaml'), 'police-department: Vellmoor Police Department', 'police-department: Vellmoor Regional Police');
    expect(rerendered(dir)).toEqual(['5141.6', '5142', '5142.4', '5145.12']);
    await expectSameAsCleanBuild(dir);
  });

  it("a library's library.yaml added or changed: that library's policies, and they print its settings", async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'policies', 'library.yaml'), 'labels: { cf: "cf", cf-separator: " " }\n');
    const own = readdirSync(join(dir, 'policies')).filter((n) => n !== 'library.yaml').length;
    expect(rerendered(dir)).toHaveLength(own);
    await expectSameAsCleanBuild(dir);
    writeFileSync(join(dir, 'policies', 'library.yaml'), 'labels: { cf: "cf", cf-separator: " – " }\n');
    expect(rerendered(dir)).toHaveLength(own);
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

  it('a rebuilt sro-policy renders everything again, though its version number is the same', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    // The caches are keyed by the tool's version and by its code's content.
    expect(toolBuild()).toMatch(new RegExp(`^${version().replaceAll('.', '\\.')}\\+[0-9a-f]{12}$`));
    for (const name of [cacheOf(dir).cache, cacheOf(dir).record, cacheOf(dir).report]) {
      const recorded = (JSON.parse(readPacked(name)) as { version: string }).version;
      expect(recorded.slice(0, recorded.lastIndexOf('/')), name).toBe(toolBuild());
    }
    expect(rerendered(dir)).toEqual([]);
    const rebuilt = parseCache(readPacked(cacheOf(dir).cache), `${version()}+1.2`, dir);
    expect(rebuilt.policies).toEqual({});
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
    expect(again.stdout).toBe(`${first.stdout.replace(/^wrote {4}/gm, 'unchanged').replace(/^unchanged district\.lock\.json\n/m, '')}Nothing changed since the last build of out.\n`);
    const strict = await runInProcess(['build', 'district.yaml', '--strict'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error [missing-cross-reference]');
  });

  it('a file saved again without a change (new modification time, same content) still needs no build', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const { record, report } = cacheOf(dir);
    const before = readPacked(record);
    const pagesBefore = readPacked(report);
    const file = join(dir, 'policies', '5142.yaml');
    const later = new Date(Date.now() + 10_000);
    utimesSync(file, later, later);
    const again = await runInProcess(['build', 'district.yaml'], dir);
    expect(again.stdout).not.toContain('wrote');
    // Answered from the record, whose stamp of the file is brought up to date (the file had to be read to be trusted).
    const after = JSON.parse(readPacked(record));
    expect(after.fingerprint).toBe(JSON.parse(before).fingerprint);
    const pages = (r: { outputs: { name: string; stamp: { at: number } }[] }) => r.outputs.map(({ stamp: { at: _at, ...stamp }, ...o }) => ({ ...o, stamp }));
    expect(pages(JSON.parse(readPacked(report)))).toEqual(pages(JSON.parse(pagesBefore)));
    expect(Math.round(after.inputs['policies/5142.yaml'].mtimeMs)).toBe(later.getTime());
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

describe('build --watch: clause files kept between builds', () => {
  /** A build as a watching process runs it (with the memo), and the same build from scratch: pages and report must agree. */
  function buildBoth(dir: string, memo: LoadMemo): { plan: BuildPlan | undefined; errors: number } {
    const run = (m?: LoadMemo) => {
      const diags = new Diagnostics();
      const plan = planBuild({ config: join(dir, 'district.yaml'), cwd: dir, keepDocuments: false, ...(m ? { memo: m } : {}) }, diags);
      return { plan, errors: diags.errorCount, report: formatJson(diags.items, diags.sources) };
    };
    const watched = run(memo);
    const fresh = run();
    expect(watched.report).toBe(fresh.report);
    expect(watched.plan?.files.map((f) => [f.name, pageText(f)])).toEqual(fresh.plan?.files.map((f) => [f.name, pageText(f)]));
    // The stamps of the same files, but for when each build looked at them.
    const stamps = (plan: BuildPlan | undefined) => new Map([...(plan?.inputs ?? [])].map(([path, { at: _at, ...s }]) => [path, s]));
    expect(stamps(watched.plan)).toEqual(stamps(fresh.plan));
    return watched;
  }
  const policyOf = (memo: LoadMemo, dir: string, name: string) => memo.get(join(dir, 'policies', name))?.loaded?.policy;

  it('parses again only the files whose text changed, and builds what a fresh build builds', () => {
    const dir = example();
    const memo: LoadMemo = new Map();
    buildBoth(dir, memo);
    const [a, b] = [policyOf(memo, dir, '5142.yaml'), policyOf(memo, dir, '5145.12.yaml')];
    expect(a).toBeDefined();

    edit(join(dir, 'policies', '5145.12.yaml'), 'remain school property', 'remain the property of the school');
    buildBoth(dir, memo);
    expect(policyOf(memo, dir, '5142.yaml')).toBe(a);
    expect(policyOf(memo, dir, '5145.12.yaml')).not.toBe(b);

    // Saved again unchanged: kept, and the build records the new modification time.
    const file = join(dir, 'policies', '5142.yaml');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    buildBoth(dir, memo);
    expect(policyOf(memo, dir, '5142.yaml')).toBe(a);
  });

  it('leaves out clause files the manual does not list, as a plain build does', () => {
    const dir = example();
    mkdirSync(join(dir, 'extra'));
    const outside = join(dir, 'extra', '9001.yaml');
    writeFileSync(outside, readFileSync(join(dir, 'policies', '5145.12.yaml'), 'utf8').replace(/^number: .*$/m, 'number: "9001"').replace('title:', 'titel:'));
    edit(join(dir, 'district.yaml'), '  - path: policies\n', '  - extra\n  - path: policies\n');
    const memo: LoadMemo = new Map();
    expect(buildBoth(dir, memo).errors).toBe(0);
    expect(memo.has(outside)).toBe(false);
    // Listed now: parsed, and its error reported, by both.
    edit(join(dir, 'district.yaml'), 'policies:\n', 'policies:\n  "9001":\n    formats: [md]\n');
    expect(buildBoth(dir, memo).errors).toBeGreaterThan(0);
  });

  it('reports a file broken while watching, and forgets files that are gone', () => {
    const dir = example();
    const memo: LoadMemo = new Map();
    buildBoth(dir, memo);
    const file = join(dir, 'policies', '5145.12.yaml');
    const text = readFileSync(file, 'utf8');
    edit(file, 'title:', 'titel:');
    expect(buildBoth(dir, memo).errors).toBeGreaterThan(0);
    // Unchanged and still broken: the same errors again, from the memo.
    expect(buildBoth(dir, memo).errors).toBeGreaterThan(0);
    writeFileSync(file, text);
    expect(buildBoth(dir, memo).errors).toBe(0);

    rmSync(join(dir, 'policies', '5141.6.yaml'));
    buildBoth(dir, memo);
    expect(memo.has(join(dir, 'policies', '5141.6.yaml'))).toBe(false);
  });
});
