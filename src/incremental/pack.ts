// The cache folder's files are JSON compressed with Brotli at its fastest
// setting: about a sixth of the JSON's size (mostly content hashes, which do
// not compress), for some 60 ms per 10 MB of JSON each way
// (docs/performance.md, "The size of the cache"). Brotli, not gzip: zlib has
// both, and Brotli's fastest setting was both smaller and twice as fast here.
// The same JSON always packs to the same bytes.
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

/** 10,000 policies' cache is about 20 MB of JSON; anything past this is not a cache sro-policy wrote. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
