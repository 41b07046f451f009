// Makes bundle/cli.cjs.cache, the V8 code cache bin/load-cli.js starts the CLI
// with (npm run build, after scripts/bundle.mjs). V8 caches the bytecode of the
// functions that have run, so the bundle first runs what users run most: a
// build of the shipped example, the rebuild with nothing to do, and check.
// Functions these miss are compiled when first called, as without a cache.
//
// The cache must be made by the Node that will run the CLI, with the same V8
// flags; `npm ci` runs this on the machine itself. Elsewhere V8 refuses it and
// compiles as usual. Nothing here fails the package build: without a cache the
// CLI works, only starts slower.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFile, CODE_CACHE, loadCli } from '../bin/load-cli.js';

const root = join(import.meta.dirname, '..');
const skip = (why) => console.warn(`code-cache: ${why}; bundle/cli.cjs gets no code cache (the CLI works, only starts slower)`);

let out;
try {
  const { exports: cli, script, bytes } = loadCli({ cache: false });
  out = mkdtempSync(join(tmpdir(), 'sro-policy-code-cache-'));
  // A copy of the example: a build may write the lock file beside its config,
  // and making the package must not change files in the repository.
  cpSync(join(root, 'examples'), out, { recursive: true, filter: (src) => !src.startsWith(join(root, 'examples', 'out')) });
  const sink = { write: () => true };
  const run = (...argv) => cli.main({ argv, stdout: sink, stderr: sink, cwd: out, env: { NO_COLOR: '1' } });
  const codes = [
    await run('build', 'district.yaml', '--out', 'pages'),
    await run('build', 'district.yaml', '--out', 'pages'),
    await run('check', 'district.yaml'),
  ];
  if (codes.some((c) => c !== 0)) skip(`the example build exited with ${codes.join(', ')}`);
  else writeFileSync(CODE_CACHE, cacheFile(bytes, script.createCachedData()));
} catch (e) {
  skip(e instanceof Error ? e.message : String(e));
} finally {
  if (out) rmSync(out, { recursive: true, force: true });
}
