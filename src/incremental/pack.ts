// The cache folder's files are JSON compressed with Brotli at its fastest
// setting: a CI cache saves and restores them on every run, and the JSON is
// mostly content hashes and stamps repeated per policy. Brotli rather than
// gzip, both in node:zlib: at its fastest it was smaller and faster (measured
// in docs/performance.md, "The floors, and the cache folder"). The same JSON
// always packs to the same bytes.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** A cache file's text as the bytes to write. */
export function pack(text: string): Buffer {
  const bytes = Buffer.from(text);
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

/**
 * A cache file's text, undefined when there is none or it is not a packed
 * file (damaged, cut short, or not ours): the build then starts afresh. A file
 * that would unpack to more than `limit` bytes is refused the same way.
 */
export function unpack(bytes: Uint8Array | undefined, limit = MAX_UNPACKED_BYTES): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    return brotliDecompressSync(bytes, { maxOutputLength: limit }).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Far above any manual's cache (docs/performance.md): anything past this is not a cache sro-policy wrote. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
