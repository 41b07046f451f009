// The library as another project sees it: the package packed with npm pack,
// unpacked into an empty folder's node_modules, imported by name, its types
// checked by tsc, and the example of docs/api.md run there.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, check, explain } from '../src/index.js';

const root = join(import.meta.dirname, '..');
let project: string;

/** The first ```js block under "## Example" in docs/api.md. */
function docsExample(): string {
  const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Example'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/api.md has no ```js block under "## Example"');
  return m[1]!;
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'sro-api-'));
  // Packs what npm publishes (the "files" of package.json), from the build npm ci made.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], { cwd: root, encoding: 'utf8' })) as { filename: string }[];
  const pkg = join(project, 'node_modules', 'sro-policy');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, packed[0]!.filename), '-C', pkg, '--strip-components=1']);
  // Its dependencies, as npm install would provide them (without the network).
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'sro-policy': `file:${packed[0]!.filename}` } }));
  cpSync(join(root, 'examples'), join(project, 'examples'), { recursive: true, filter: (src) => !src.includes(`${join('examples', 'out')}`) });
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('runs the example of docs/api.md, imported as sro-policy, and writes nothing', () => {
    writeFileSync(join(project, 'example.mjs'), docsExample());
    const before = readdirSync(project, { recursive: true }).length;
    const out = execFileSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/^4 policies, 1 warning\(s\)\n/);
    expect(out).toContain('5142.4.html: ');
    expect(out).toContain('index.html: ');
    expect(readdirSync(project, { recursive: true }).length).toBe(before);
  });

  it('allows only its entry point and package.json to be imported', () => {
    const run = (spec: string, options = '{}') =>
      execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(spec)}, ${options}).then(() => console.log('ok'), (e) => console.log(e.code))`], { cwd: project, encoding: 'utf8' }).trim();
    expect(run('sro-policy')).toBe('ok');
    expect(run('sro-policy/package.json', "{ with: { type: 'json' } }")).toBe('ok');
    expect(run('sro-policy/dist/build/pipeline.js')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('ships types a TypeScript project can check against', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { build, check, formatText, type BuildResult, type Diagnostic } from 'sro-policy';",
        "const result: BuildResult = await build({ config: 'examples/district.yaml', mode: 'pages', formats: ['html'] });",
        'const names: string[] = (result.pages ?? []).map((p) => p.name);',
        'const first: Diagnostic | undefined = result.diagnostics[0];',
        "const text: string = formatText((await check({ config: 'examples/district.yaml' })).diagnostics, result.sources);",
        '// @ts-expect-error: not a format',
        "await build({ config: 'x', formats: ['pdf'] });",
        'export { names, first, text };',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node', 'consumer.ts'];
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: project, encoding: 'utf8' })).not.toThrow();
  }, 60_000);
});

describe('the library from source', () => {
  const config = join(root, 'examples', 'district.yaml');

  it('gives pages as data and diagnostics as values, without writing', async () => {
    const result = await build({ config, mode: 'pages', formats: ['md'], cacheDir: false });
    expect(result.exitCode).toBe(0);
    expect(result.pages?.map((p) => p.name)).toEqual(['5141.6.md', '5142.md', '5142.4.md', '5145.12.md', 'index.md']);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['missing-cross-reference']);
  });

  it('says what is wrong, as data, for a config that does not exist', async () => {
    const result = await check({ config: 'no-such-district.yaml', cwd: root });
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([['file-not-found', 'no-such-district.yaml']]);
  });

  it('explains a policy, and suggests the nearest number for one it lacks', () => {
    expect(explain({ config, number: '5142.4' }).choices?.alternatives.length).toBeGreaterThan(0);
    const missing = explain({ config, number: '5142.44' });
    expect(missing.exitCode).toBe(1);
    expect(missing.suggestion).toBe('5142.4');
  });
});
