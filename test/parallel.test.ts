// A large manual is split over worker threads (planBuildParallel). Whatever the
// split, the pages, the diagnostics and their positions must be exactly those
// of a build on one thread.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageText } from './build-helpers.js';
import { describe, expect, it } from 'vitest';
import { generate } from '../bench/generate.mjs';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { cacheFolder } from '../src/incremental/cache-dir.js';
import { unpack } from '../src/incremental/pack.js';
import { planBuild, planBuildParallel, type BuildRequest } from '../src/build/pipeline.js';
import { formatText } from '../src/diagnostics/reporters.js';
import { FIXTURES } from './golden.js';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

function pages(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) if (!n.startsWith('.')) out[n] = readFileSync(join(dir, n), 'utf8');
  return out;
}

async function both(req: BuildRequest) {
  const one = new Diagnostics();
  const serial = planBuild({ ...req, keepDocuments: false }, one);
  const many = new Diagnostics();
  const parallel = await planBuildParallel({ ...req, keepDocuments: false, workers: 2 }, many);
  return {
    serial: { files: serial?.files.map((f) => [f.name, pageText(f)]), report: formatText(one.items, one.sources, { color: false }) },
    parallel: { files: parallel?.files.map((f) => [f.name, pageText(f)]), report: formatText(many.items, many.sources, { color: false }) },
  };
}

describe('builds split over worker threads', () => {
  const root = join(FIXTURES, 'build');
  for (const name of readdirSync(root).sort()) {
    it(`give the same pages and diagnostics: ${name}`, async () => {
      const dir = join(root, name);
      const r = await both({ config: join(dir, 'district.yaml'), cwd: dir });
      expect(r.serial.files?.length).toBeGreaterThan(0);
      expect(r.parallel).toEqual(r.serial);
    });
  }

  it('give the same diagnostics for a broken library (duplicates, schema errors, unknown policies)', async () => {
    const dir = tempDir('sro-par-bad-');
    generate(dir, 40);
    const lib = join(dir, 'library');
    const files = readdirSync(lib).sort();
    // A duplicate number in another file, a schema error, and a reference to a missing policy.
    writeFileSync(join(lib, 'zz-copy.yaml'), readFileSync(join(lib, files[3]!), 'utf8'));
    writeFileSync(join(lib, files[7]!), readFileSync(join(lib, files[7]!), 'utf8').replace('title:', 'titel:'));
    // A cross-reference, to a policy of the manual, whose title is not the target's.
    const numbers = new Set(files.map((f) => /^number: "([^"]+)"/m.exec(readFileSync(join(lib, f), 'utf8'))?.[1]));
    const cited = readFileSync(join(lib, files[9]!), 'utf8');
    const entry = [...cited.matchAll(/\{ number: "([^"]+)", title: "/g)].find((m) => numbers.has(m[1]))!;
    writeFileSync(join(lib, files[9]!), cited.replace(entry[0], `${entry[0]}Old title of `));
    const r = await both({ config: join(dir, 'district.yaml'), cwd: dir });
    expect(r.serial.report).toContain('[duplicate-policy]');
    expect(r.serial.report).toContain('[unknown-key]');
    expect(r.serial.report).toContain('[missing-cross-reference]');
    expect(r.serial.report).toContain('[cross-reference-title]');
    expect(r.parallel).toEqual(r.serial);
    // A large manual lets go of parse trees once validated; positions found again are the same.
    const released = await both({ config: join(dir, 'district.yaml'), cwd: dir, keepPositions: 0 });
    expect(released).toEqual(r);
  });

  it('write the same output folder and print the same report through the CLI', async () => {
    const dir = tempDir('sro-par-');
    // 320 policies: each thread's part of a step goes in more than one piece.
    generate(dir, 320);
    const serial = await runInProcess(['build', 'district.yaml', '--out', 'one', '--format', 'md,html'], dir, { SRO_POLICY_WORKERS: '0' });
    const parallel = await runInProcess(['build', 'district.yaml', '--out', 'two', '--format', 'md,html'], dir, { SRO_POLICY_WORKERS: '1' });
    expect(serial.code, serial.stderr.slice(-2000)).toBe(0);
    expect(parallel.code).toBe(0);
    expect(parallel.stderr).toBe(serial.stderr);
    // The first build also wrote the lock file, which the second found up to date.
    const written = (out: string) => out.split('\n').filter((l) => !l.includes('lock.json'));
    expect(written(parallel.stdout.replaceAll(' two/', ' one/'))).toEqual(written(serial.stdout));
    const one = pages(join(dir, 'one'));
    expect(Object.keys(one).length).toBe(2 * 320 + 2);
    expect(pages(join(dir, 'two'))).toEqual(one);
    // Each page's size and modification time in the no-change record were read by the thread that wrote it.
    const record = JSON.parse(unpack(readFileSync(cacheFolder(join(dir, 'district.yaml'), join(dir, 'two'), undefined, dir)!.report))!) as { outputs: { name: string; stamp?: { size: number; mtimeMs: number; ctimeMs: number; ino: number } }[] };
    expect(record.outputs.length).toBe(2 * 320 + 2);
    for (const o of record.outputs) {
      const st = statSync(join(dir, 'two', o.name));
      expect([o.name, o.stamp?.size, o.stamp?.mtimeMs, o.stamp?.ctimeMs, o.stamp?.ino]).toEqual([o.name, st.size, st.mtimeMs, st.ctimeMs, st.ino]);
    }
  });
});
