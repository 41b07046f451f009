// What the build cache keys on, in one place. A key is a hash of everything a
// result depends on: when any of it changes, the key does, and the cached
// result is not used. Widening what a key covers also means bumping
// CACHE_FORMAT (cache.ts), so that caches written under the old keys are
// dropped rather than misread (docs/architecture.md, "Change what the cache keys on").
import { hashText } from '../model/hash.js';
import type { Edition, Format } from '../model/model.js';
import type { RenderItem, SharedMaps } from '../build/shard-steps.js';

/** What every page of a build depends on: the build of sro-policy, the config, the templates and the build's options. */
export interface BuildKeyInputs {
  /** toolBuild(): sro-policy's version and a hash of its code. */
  tool: string;
  /** Content hash of the district config. */
  config: string;
  /** templatesHash(): every template the build renders with. */
  templates: string;
  edition: Edition;
  draft: boolean;
  /** The config's index and sentence-per-line settings. */
  index: boolean;
  sentencePerLine: boolean;
  /** Content hash of the Word file whose styles the Word pages use (output.docx.reference); '' for none. */
  docxReference: string;
}

export function buildKey(k: BuildKeyInputs): string {
  return hashText(k.tool, k.config, k.templates, k.edition, String(k.draft), String(k.index), String(k.sentencePerLine), k.docxReference);
}

/**
 * Everything a policy's pages depend on besides the build key
 * (shared.buildKey): its clause file, its library (and its library.yaml), its formats, and the titles
 * and formats of the pages it links to and from.
 */
export function renderKey(shared: SharedMaps, fileHash: string, item: RenderItem, formats: readonly Format[], cf: readonly (readonly [string, string])[]): string {
  const linksOut = cf.map(([number, title]) => [number, title, shared.titles.get(number) ?? null, shared.formats.get(number) ?? null]);
  return hashText(shared.buildKey, fileHash, item.libraryName, item.library?.hash ?? '', JSON.stringify(formats), JSON.stringify(linksOut), JSON.stringify(item.backlinks));
}

/**
 * Everything the index pages depend on besides the build key: the formats
 * written, and each policy's index entry with the formats its page is in
 * (which entries link where).
 */
export function indexKey(buildKey: string, formats: readonly Format[], entries: readonly { index: unknown; formats: readonly Format[] }[]): string {
  return hashText(buildKey, JSON.stringify(formats), JSON.stringify(entries.map((e) => [e.index, e.formats])));
}
