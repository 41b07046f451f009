// The CLI starts from bundle/cli.cjs with the V8 code cache `npm run build`
// makes (bin/load-cli.js, scripts/code-cache.mjs). A cache V8 takes must be
// the one made for this exact bundle; any other is ignored or refused, and the
// CLI then compiles the bundle as usual.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cacheFile, cachedDataFor } from '../bin/load-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'bundle', 'cli.cjs');
const LOADER = pathToFileURL(join(ROOT, 'bin', 'load-cli.js')).href;

/** Loads a bundle in a fresh Node, as the bin does, and says whether V8 took its cache and the CLI is there. */
function load(bundle?: string): { cached: boolean; main: string } {
  const code = `import(${JSON.stringify(LOADER)}).then(({ loadCli }) => { const r = loadCli(${bundle ? `{ bundle: ${JSON.stringify(bundle)} }` : ''}); console.log(JSON.stringify({ cached: r.cached, main: typeof r.exports.main })); })`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { cached: boolean; main: string };
}

describe('the code cache', () => {
  it('is taken for the bundle it was made for', () => {
    expect(load()).toEqual({ cached: true, main: 'function' });
  });

  it('is ignored for any other bundle, even one of the same length', () => {
    const bytes = readFileSync(BUNDLE);
    const cache = `${BUNDLE}.cache`;
    expect(cachedDataFor(bytes, cache)).toBeInstanceOf(Buffer);
    const other = Buffer.from(bytes);
    // One character of a string changed: same length, which is all V8 itself checks.
    other[other.indexOf('show help')] = 'S'.charCodeAt(0);
    expect(cachedDataFor(other, cache)).toBeUndefined();
    expect(cachedDataFor(bytes, join(tempDir('sro-cache-'), 'missing.cache'))).toBeUndefined();
  });

  it('that V8 refuses leaves the CLI working, compiled as usual', () => {
    const dir = tempDir('sro-cache-');
    const bundle = join(dir, 'cli.cjs');
    copyFileSync(BUNDLE, bundle);
    writeFileSync(`${bundle}.cache`, cacheFile(readFileSync(bundle), Buffer.from('not V8 code cache data at all')));
    expect(load(bundle)).toEqual({ cached: false, main: 'function' });
  });
});
