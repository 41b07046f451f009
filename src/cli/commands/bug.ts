// What the command line prints for a failure no check foresaw.
import { displayPath } from '../../read/files.js';
import { fsReason } from '../../write/folder.js';
import { EXIT_USAGE, type Io } from '../options.js';

export function reportBug(e: unknown, io: Io, debug: boolean): number {
  const err = e instanceof Error ? e : new Error(String(e));
  // A file-system failure no check foresaw is still about a file: name it, in words, and exit 2.
  const { code, path } = err as NodeJS.ErrnoException;
  if (code && typeof path === 'string') {
    io.stderr.write(`sro-policy: ${displayPath(path, io.cwd)} cannot be used: ${fsReason(err)}\n`);
    if (debug) io.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
  io.stderr.write(`sro-policy: internal error: ${err.message}\n`);
  if (debug) io.stderr.write(`${err.stack ?? ''}\n`);
  else io.stderr.write('This is a bug in sro-policy, not in your files. Run again with --debug and report the output.\n');
  return EXIT_USAGE;
}
