// The command line's values: the process's streams and arguments as data, the
// flags each command takes, and turning flags and environment variables into
// the library's options (docs/api.md).
import { availableParallelism } from 'node:os';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { ReporterName } from '../diagnostics/reporters.js';
import type { Edition, Format } from '../model/model.js';
import { FORMAT_NAMES } from '../model/names.js';

export { EXIT_CONTENT, EXIT_OK, EXIT_USAGE } from '../diagnostics/exit.js';

export interface Io {
  argv: string[];
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
  /** Ends `build --watch` (the bin aborts it on Ctrl-C). */
  signal?: AbortSignal;
}

export interface CommonFlags {
  reporter: ReporterName;
  strict?: boolean;
  debug?: boolean;
}

export interface BuildFlags extends CommonFlags {
  out?: string;
  format?: string;
  edition?: Edition;
  draft?: boolean;
  force?: boolean;
  check?: boolean;
  clean?: boolean;
  watch?: boolean;
  updateLock?: boolean;
  atomic?: boolean;
  cacheDir?: string;
  /** false with --no-cache. */
  cache?: boolean;
}

export interface DiffFlags extends CommonFlags {
  from?: string;
  to?: string;
  against?: 'sample';
  out: string;
  format: string;
  exitCode?: boolean;
}

/** --format md,html: the formats, or a usage error naming the ones that are not. */
export function parseFormats(list: string | undefined, diags: Diagnostics): Format[] | undefined {
  if (list === undefined) return undefined;
  const formats = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = formats.filter((f) => !(FORMAT_NAMES as readonly string[]).includes(f));
  if (bad.length || formats.length === 0) {
    diags.error('usage', `Unknown format ${bad.map((b) => `"${b}"`).join(', ') || '(none)'}`, { expected: `a comma-separated list of ${FORMAT_NAMES.join(', ').replace(/, (\w+)$/, ' and $1')}` });
    return undefined;
  }
  return [...new Set(formats)] as Format[];
}

/**
 * SRO_POLICY_WORKERS sets how many worker threads a large build adds (0: none).
 * More than the machine has cores only costs memory (1,000 ran a 3,000-policy
 * build out of memory): capped, with a note. Anything but a whole number is a
 * usage error.
 */
export function workersFrom(env: Io['env'], diags: Diagnostics, notes: string[]): number | undefined {
  const raw = env.SRO_POLICY_WORKERS?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) {
    diags.error('usage', `SRO_POLICY_WORKERS is "${raw}", not a number of worker threads`, {
      expected: 'a whole number: 0 for none, at most the number of cores',
      hint: 'Unset SRO_POLICY_WORKERS to let sro-policy choose.',
    });
    return undefined;
  }
  const cores = availableParallelism();
  const n = Number(raw);
  if (n > cores) {
    notes.push(`SRO_POLICY_WORKERS=${raw} is more than this machine's ${cores} cores; using ${cores} worker ${cores === 1 ? 'thread' : 'threads'}.`);
    return cores;
  }
  return n;
}

/** The build cache's folder: --no-cache, --cache-dir, SRO_POLICY_CACHE_DIR, or the default (undefined). */
export function cacheDirFrom(flags: BuildFlags, env: Io['env']): string | false | undefined {
  if (flags.cache === false) return false;
  return flags.cacheDir ?? (env.SRO_POLICY_CACHE_DIR?.trim() || undefined);
}
