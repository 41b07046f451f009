// Values shared by the command line and the commands: the process's streams
// and arguments as data, exit codes, and the options each command takes.
import type { Edition } from '../model/model.js';
import type { ReporterName } from '../diagnostics/reporters.js';

export interface Io {
  argv: string[];
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
  /** Ends `build --watch` (the bin aborts it on Ctrl-C). */
  signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_CONTENT = 1;
export const EXIT_USAGE = 2;

export interface CommonOptions {
  reporter: ReporterName;
  strict?: boolean;
  debug?: boolean;
}

export interface BuildOptions extends CommonOptions {
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
}

export interface DiffOptions extends CommonOptions {
  from?: string;
  to?: string;
  against?: 'sample';
  out: string;
  format: string;
  exitCode?: boolean;
}
