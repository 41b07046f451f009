// Bundles the compiled CLI (npm run build, after tsc). Start-up is most of a
// small build's time, so the CLI is one CommonJS file, which bin/sro-policy.js
// loads with Node's compile cache where Node has one (22 and later): one file
// to read and compile instead of a hundred modules. The worker of large builds
// is its own ES module bundle; it starts only for manuals of thousands of
// policies, where its start-up does not count.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'bundle');
// Stale files of an earlier layout would otherwise pile up in the package.
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Names are kept: internal stack traces (--debug) stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

await build({
  ...common,
  entryPoints: ['dist/cli.js'],
  outfile: join(outdir, 'cli.cjs'),
  format: 'cjs',
  // The sources are ES modules that find the package and the worker from
  // import.meta.url; in one CommonJS file that is the bundle's own URL.
  define: { 'import.meta.url': '__sroModuleUrl' },
  banner: { js: "const __sroModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

await build({
  ...common,
  entryPoints: ['dist/shard-worker.js'],
  outfile: join(outdir, 'shard-worker.js'),
  format: 'esm',
  banner: { js: "import { createRequire as __sroCreateRequire } from 'node:module'; const require = __sroCreateRequire(import.meta.url);" },
});
