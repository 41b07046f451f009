// Loads the CLI bundle (bundle/cli.cjs) with the V8 code cache that
// `npm run build` made for it (scripts/code-cache.mjs). The cache holds the
// bytecode of every function a build ran, so a run starts without parsing
// and compiling the bundle again: a third of a small build's time.
//
// V8 checks that a cache fits its version and flags, and otherwise compiles
// as usual. It checks only the length of the source, so the cache starts with
// the bundle's SHA-256 and is used only for that exact bundle.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../bundle/cli.cjs', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.cache`;
/** Bytes of the cache file before V8's data: the bundle's SHA-256. */
const HEADER = 32;

export function bundleHash(bytes) {
  return createHash('sha256').update(bytes).digest();
}

/**
 * Runs the bundle as Node would run a CommonJS module, and returns its exports,
 * the compiled script (scripts/code-cache.mjs asks it for the cache) and
 * whether V8 took the cache.
 */
export function loadCli({ bundle = BUNDLE, cache = `${bundle}.cache` } = {}) {
  const bytes = readFileSync(bundle);
  const cachedData = cache ? cachedDataFor(bytes, cache) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { exports: module.exports, script, bytes, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** V8's data from a cache file, when the file was made for this bundle. */
export function cachedDataFor(bundle, path) {
  let file;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  return file.length > HEADER && bundleHash(bundle).equals(file.subarray(0, HEADER)) ? file.subarray(HEADER) : undefined;
}

/** The cache file's content: the bundle's hash, then V8's data. */
export function cacheFile(bundle, data) {
  return Buffer.concat([bundleHash(bundle), data]);
}
