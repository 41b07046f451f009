// The no-change rebuild: when nothing the last build read has changed and its
// pages are intact, report what it reported and stop. Kept apart from the
// commands so that this path loads none of the heavy modules (Handlebars,
// markdown-it, the schema validators) that a real build needs.
import { readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import jsyaml from 'js-yaml';
import { LAST_BUILD_NAME, parseLastBuild, serializeLastBuild } from './cache.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { EXIT_OK, type BuildOptions, type Io } from '../cli/io.js';
import { fingerprintInputs } from '../read/files.js';
import { exitFor, print } from '../cli/print.js';
import { toolBuild } from '../build/version.js';
import { publishedVersion } from '../write/publish.js';
import { stagingOwner } from '../write/staging.js';
import { outputsIntact, readInputText, readOwnedText, writeOwnedFile } from '../write/write.js';

/** Arguments that change what a build writes or prints. */
export function fingerprintSalt(config: string, opts: BuildOptions, io: Io): string {
  return JSON.stringify([toolBuild(), io.cwd, resolve(io.cwd, config), opts.out ?? null, opts.format ?? null, opts.edition ?? null, opts.draft ?? false]);
}

/** The lock file of a config: district.yaml → district.lock.json, beside it. */
export function lockPath(configAbs: string): string {
  return join(dirname(configAbs), `${basename(configAbs).replace(/\.ya?ml$/i, '')}.lock.json`);
}

/**
 * When nothing the last build read has changed and its pages are intact, its
 * result stands: report what it reported, and read or render nothing.
 */
export function unchangedBuild(config: string, opts: BuildOptions, io: Io, color: boolean): number | undefined {
  const abs = resolve(io.cwd, config);
  // A setting a real build refuses is refused by one (see workersFrom), whether or not anything changed.
  const workers = io.env?.SRO_POLICY_WORKERS?.trim();
  if (workers && !/^\d+$/.test(workers)) return undefined;
  let text: string | undefined;
  try {
    text = readInputText(abs);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  // Only to find the output folder: a wrong guess merely misses the cache (its
  // fingerprint covers the whole config), so the common block layout is read by eye.
  let folder = 'out';
  const block = /^output:[ \t]*(?:#.*)?\n((?:[ \t]+.*\n?|[ \t]*\n)*)/m.exec(text)?.[1];
  const line = block ? /^[ \t]+folder:[ \t]*(?:"([^"]*)"|'([^']*)'|([^#\n]*?))[ \t]*(?:#.*)?$/m.exec(block) : undefined;
  if (line) folder = line[1] ?? line[2] ?? line[3] ?? 'out';
  else if (/^output:[ \t]*\{/m.test(text)) {
    try {
      const data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as { output?: { folder?: unknown } } | null;
      if (typeof data?.output?.folder === 'string') folder = data.output.folder;
    } catch {
      return undefined;
    }
  }
  const outDir = opts.out !== undefined ? resolve(io.cwd, opts.out) : resolve(dirname(abs), folder);
  // A folder to be published atomically from now on is built for real, to become a link.
  if (opts.atomic && !publishedVersion(outDir)) return undefined;
  const last = parseLastBuild(readCacheText(outDir, LAST_BUILD_NAME), toolBuild());
  if (!last) return undefined;
  const known = new Map(Object.entries(last.inputs ?? {}));
  const inputs = fingerprintInputs(fingerprintSalt(config, opts, io), last.folders, last.files, known);
  if (inputs.fingerprint !== last.fingerprint) return undefined;
  const refreshed = { count: 0 };
  if (!outputsIntact(outDir, last.outputs, refreshed) || hasStagingFiles(outDir)) return undefined;
  // Files that had to be read to be trusted (changed just before the last look: see isRacy) get
  // the stamps they have now, so that the next rebuild need not read them again.
  if (refreshed.count || Object.entries(inputs.stamps).some(([path, s]) => known.get(path) !== s)) {
    writeOwnedFile(join(outDir, LAST_BUILD_NAME), LAST_BUILD_NAME, serializeLastBuild({ ...last, inputs: inputs.stamps }, toolBuild()), new Diagnostics());
  }
  const diags = new Diagnostics();
  diags.addAll(last.diagnostics.map((d) => ({ ...d })));
  for (const [shown, lines] of Object.entries(last.sources)) diags.addSource(shown, lines);
  if (opts.strict) for (const d of diags.items) d.severity = 'error';
  print(diags, opts.reporter, io, color);
  if (diags.hasErrors()) {
    io.stderr.write('Nothing was written.\n');
    return exitFor(diags);
  }
  if (opts.reporter === 'text') {
    const shownOut = relative(io.cwd, outDir) || '.';
    io.stdout.write(last.outputs.map((o) => `unchanged ${join(shownOut, o.name)} (${last.edition} edition)\n`).join(''));
  }
  return EXIT_OK;
}

/** The build cache's text, or nothing when there is none, it is not a plain file, or the folder cannot be read (the write stage reports that). */
export function readCacheText(outDir: string, name: string): string | undefined {
  return readOwnedText(join(outDir, name));
}

/** Staging files in the folder (a build that stopped left them): only a real build removes them. */
function hasStagingFiles(outDir: string): boolean {
  try {
    return readdirSync(outDir).some((n) => stagingOwner(n) !== undefined);
  } catch {
    return true;
  }
}
