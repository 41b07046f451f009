// The no-change rebuild: when nothing the last build read has changed and its
// pages are intact, its result stands: it reports what it reported, and reads
// or renders nothing. Kept apart from the build so that this path loads none
// of the heavy modules (Handlebars, markdown-it, the schema validators) that a
// real build needs.
import { dirname, resolve } from 'node:path';
import jsyaml from 'js-yaml';
import { toolBuild } from '../read/version.js';
import { Diagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { InputStamp } from '../model/source.js';
import { publishedVersion } from '../write/publish.js';
import { hasStagingFiles } from '../write/staging.js';
import { outputsIntact } from '../write/verify.js';
import { sparseText } from '../diagnostics/reporters.js';
import { readInputText, readOwnedBytes, writeOwnedFile } from '../write/owned-file.js';
import { pack, unpack } from './pack.js';
import { parseLastInputs, parseLastReport, serializeLastInputs, serializeLastReport } from './cache.js';
import { cacheFolder } from './cache-dir.js';
import { fingerprintInputs } from './fingerprint.js';
import { fingerprintSalt } from './record.js';

export interface NoChangeRequest {
  config: string;
  cwd: string;
  out?: string;
  formats?: readonly string[];
  edition?: string;
  draft?: boolean;
  /** The build will be atomic: a plain output folder is built for real, to become a link. */
  atomic?: boolean;
  /** The cache folder setting (see cache-dir.ts): undefined for the default, false for none. */
  cacheDir?: string | false;
}

/** What the last build reported and wrote, standing for this build. */
export interface NoChange {
  outDir: string;
  edition: string;
  outputs: { name: string }[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/**
 * The no-change check's answer: the last build's result when it stands, else
 * (when the check got as far as looking at the inputs) the stamps it found,
 * content hashes included, so that the build need not read again the files
 * they prove unchanged.
 */
export type NoChangeCheck = { unchanged: NoChange } | { unchanged?: undefined; inputs?: ReadonlyMap<string, InputStamp> };

export function checkUnchanged(req: NoChangeRequest): NoChangeCheck {
  let inputs: ReadonlyMap<string, InputStamp> | undefined;
  const unchanged = unchangedBuild(req, (stamps) => (inputs = new Map(Object.entries(stamps))));
  return unchanged ? { unchanged } : inputs ? { inputs } : {};
}

function unchangedBuild(req: NoChangeRequest, looked: (stamps: Record<string, InputStamp>) => void): NoChange | undefined {
  if (req.cacheDir === false) return undefined;
  const abs = resolve(req.cwd, req.config);
  let text: string | undefined;
  try {
    text = readInputText(abs);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  const outDir = req.out !== undefined ? resolve(req.cwd, req.out) : resolve(dirname(abs), outputFolderOf(text) ?? 'out');
  if (req.atomic && !publishedVersion(outDir)) return undefined;
  const folder = cacheFolder(abs, outDir, req.cacheDir, req.cwd)!;
  // What the last build read comes first: after a change, that is all a rebuild reads of the record.
  const read = parseLastInputs(unpack(readOwnedBytes(folder.record)), toolBuild(), folder.base);
  if (!read) return undefined;
  const known = new Map(Object.entries(read.inputs ?? {}));
  const salt = fingerprintSalt({ ...req, configAbs: abs, outDir });
  const inputs = fingerprintInputs(salt, read.folders, read.files, known);
  looked(inputs.stamps);
  if (inputs.fingerprint !== read.fingerprint) return undefined;
  const last = parseLastReport(unpack(readOwnedBytes(folder.report)), toolBuild(), read.fingerprint);
  if (!last) return undefined;
  const refreshed = { count: 0 };
  if (!outputsIntact(outDir, last.outputs, refreshed) || hasStagingFiles(outDir)) return undefined;
  // Files that had to be read to be trusted (changed just before the last look: see isRacy) get
  // the stamps they have now, so that the next rebuild need not read them again.
  if (refreshed.count) writeOwnedFile(folder.report, folder.report, pack(serializeLastReport(last, toolBuild())), new Diagnostics());
  if (Object.entries(inputs.stamps).some(([path, s]) => known.get(path) !== s)) {
    writeOwnedFile(folder.record, folder.record, pack(serializeLastInputs({ ...read, inputs: inputs.stamps }, toolBuild(), folder.base)), new Diagnostics());
  }
  return {
    outDir,
    edition: last.edition,
    outputs: last.outputs.map((o) => ({ name: o.name })),
    diagnostics: last.diagnostics.map((d) => ({ ...d })),
    sources: new Map(Object.entries(last.sources).map(([file, kept]) => [file, sparseText(kept)])),
  };
}

/**
 * The config's output folder, read by eye for the common layouts: only to
 * find the last build's record. A wrong guess merely misses it (its
 * fingerprint covers the whole config).
 */
function outputFolderOf(text: string): string | undefined {
  const block = /^output:[ \t]*(?:#.*)?\n((?:[ \t]+.*\n?|[ \t]*\n)*)/m.exec(text)?.[1];
  const line = block ? /^[ \t]+folder:[ \t]*(?:"([^"]*)"|'([^']*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(block) : undefined;
  if (line) return line[1] ?? line[2] ?? line[3];
  if (!/^output:[ \t]*\{/m.test(text)) return undefined;
  try {
    const data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as { output?: { folder?: unknown } } | null;
    return typeof data?.output?.folder === 'string' ? data.output.folder : undefined;
  } catch {
    return undefined;
  }
}
