// The manifest: what sro-policy wrote into a folder, by file name and content
// hash. It is how a build knows which files it may replace or (with --clean)
// remove, and which were edited by hand since.
//
// While a build puts files in place, the manifest already lists their new
// hashes and, under "replacing", the hashes of the files they replace or that
// --clean removes: a build killed half-way leaves every file's content either
// old or new, and both are known as sro-policy's, so the next build neither
// calls a page foreign nor edited by hand.
import { join } from 'node:path';
import { readTextNoFollow } from './staging.js';

export const MANIFEST_NAME = '.sro-policy-manifest.json';

export interface Manifest {
  generator: 'sro-policy';
  version: 1;
  /** File name → sha256 of the content sro-policy wrote. */
  files: Record<string, string>;
  /** Only while a build puts its files in place: file name → sha256 of what it replaces or removes. */
  replacing?: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHashes = (v: unknown): v is Record<string, string> => isRecord(v) && Object.values(v).every((h) => typeof h === 'string');

/** The folder's manifest; undefined when there is none, it is not sro-policy's, or it is not a plain file. */
export function readManifest(outDir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readTextNoFollow(join(outDir, MANIFEST_NAME)) ?? '') as unknown;
    if (isRecord(m) && m.generator === 'sro-policy' && isHashes(m.files) && (m.replacing === undefined || isHashes(m.replacing))) return m as unknown as Manifest;
  } catch {
    // No manifest, or not ours: treat every existing file as foreign.
  }
  return undefined;
}

/** The hashes a file of the folder may have and still be sro-policy's, by name. */
export function knownHashes(manifest: Manifest | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, hash] of Object.entries(manifest?.replacing ?? {})) out.set(name, [hash]);
  for (const [name, hash] of Object.entries(manifest?.files ?? {})) out.set(name, [hash, ...(out.get(name) ?? [])]);
  return out;
}

/** The manifest's text: names in order, so that the same files give the same bytes. */
export function manifestText(files: Record<string, string>, replacing?: Record<string, string>): string {
  const sorted = (r: Record<string, string>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
  const m: Manifest = { generator: 'sro-policy', version: 1, files: sorted(files), ...(replacing && Object.keys(replacing).length ? { replacing: sorted(replacing) } : {}) };
  return `${JSON.stringify(m, null, 2)}\n`;
}
