// The output folder holds only the manual: pages and one deterministic
// manifest. The build cache lives elsewhere (src/incremental/cache-dir.ts).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolder } from '../src/incremental/cache-dir.js';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

function example(): string {
  const dir = tempDir('sro-outfolder-');
  cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'district.yaml'));
  cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'policies'), { recursive: true });
  return dir;
}

/** Every file of a folder, dot-files included, by name. */
const everything = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));

describe('the output folder', () => {
  it('holds the same bytes, dot-files included, for two builds into two folders, and no cache', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml', '--out', 'one'], dir)).code).toBe(0);
    expect((await runInProcess(['build', 'district.yaml', '--out', 'two'], dir)).code).toBe(0);
    const one = everything(join(dir, 'one'));
    expect(one).toEqual(everything(join(dir, 'two')));
    expect(Object.keys(one).filter((n) => n.startsWith('.'))).toEqual(['.sro-policy-manifest.json']);
    // The cache went beside the config (no package.json above it), one folder per output folder.
    expect(existsSync(cacheFolder(join(dir, 'district.yaml'), join(dir, 'one'), undefined, dir)!.record)).toBe(true);
    expect(readdirSync(join(dir, '.sro-policy-cache'))).toHaveLength(2);
  });

  it('a second build says nothing changed, from the cache outside the output folder', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const again = await runInProcess(['build', 'district.yaml'], dir);
    expect(again.stdout).toMatch(/^unchanged out\/5142\.4\.md \(district edition\)$/m);
    expect(again.stdout).not.toMatch(/^wrote/m);
  });

  it('keeps the cache in node_modules/.cache/sro-policy of the nearest package, in --cache-dir, or nowhere with --no-cache', async () => {
    const dir = example();
    writeFileSync(join(dir, 'package.json'), '{"name":"district-policies","private":true}\n');
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'sro-policy'))).toHaveLength(1);
    expect((await runInProcess(['build', 'district.yaml', '--out', 'b', '--cache-dir', 'cache'], dir)).code).toBe(0);
    expect(readdirSync(join(dir, 'cache'))).toHaveLength(1);
    expect((await runInProcess(['build', 'district.yaml', '--out', 'c'], dir, { SRO_POLICY_CACHE_DIR: 'env-cache' })).code).toBe(0);
    expect(readdirSync(join(dir, 'env-cache'))).toHaveLength(1);
    const none = await runInProcess(['build', 'district.yaml', '--out', 'd', '--no-cache'], dir);
    expect(none.code).toBe(0);
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'sro-policy'))).toHaveLength(1);
    // Without a cache nothing is settled, so the second build writes nothing new but reads everything.
    expect((await runInProcess(['build', 'district.yaml', '--out', 'd', '--no-cache'], dir)).stdout).toMatch(/^unchanged out|^unchanged d\//m);
  });

  it('loses the cache files of earlier versions, once, with a note', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    for (const name of ['.sro-policy-cache.json', '.sro-policy-last-build.json']) writeFileSync(join(dir, 'out', name), '{}');
    const r = await runInProcess(['build', 'district.yaml', '--force'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Removed the build cache from out (.sro-policy-cache.json, .sro-policy-last-build.json)');
    expect(readdirSync(join(dir, 'out')).filter((n) => n.startsWith('.'))).toEqual(['.sro-policy-manifest.json']);
    const again = await runInProcess(['build', 'district.yaml', '--force'], dir);
    expect(again.stderr).not.toContain('Removed the build cache');
  });

  it('init keeps the cache beside the config out of git', async () => {
    const dir = tempDir('sro-init-ignore-');
    mkdirSync(join(dir, 'district'));
    const r = await runInProcess(['init', '--out', 'district/district.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'district', '.gitignore'), 'utf8')).toBe('/.sro-policy-cache/\n');
    expect(r.stdout).toContain('added /.sro-policy-cache/ to district/.gitignore');
    // Not twice, and not where node_modules/.cache holds it.
    await runInProcess(['init', '--out', 'district/other.yaml'], dir);
    expect(readFileSync(join(dir, 'district', '.gitignore'), 'utf8')).toBe('/.sro-policy-cache/\n');
    writeFileSync(join(dir, 'package.json'), '{}');
    mkdirSync(join(dir, 'two'));
    await runInProcess(['init', '--out', 'two/district.yaml'], dir);
    expect(existsSync(join(dir, 'two', '.gitignore'))).toBe(false);
  });
});
