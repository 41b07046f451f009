// Printing diagnostics and choosing the exit code: shared by every command.
import { EXIT_CONTENT, EXIT_OK, EXIT_USAGE, type Io } from './io.js';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { formatGithub, formatJson, formatText, type ReporterName } from '../diagnostics/reporters.js';

/** Failures of the machine or the command line rather than of the policy content. */
export const IO_CODES = new Set([
  'file-not-found',
  'not-a-file',
  'not-a-folder',
  'unreadable',
  'output-not-a-folder',
  'output-unwritable',
  'output-symlink',
  'output-folder-refused',
  'template-missing',
  // Refusals to overwrite or lose files: the input is fine, the output folder is not.
  'foreign-file',
  'edited-output',
  'lock-unreadable',
  'lock-missing',
]);

export function print(diags: Diagnostics, reporter: ReporterName, io: Io, color: boolean): void {
  if (reporter === 'json') {
    io.stdout.write(formatJson(diags.items, diags.sources));
  } else if (reporter === 'github') {
    io.stdout.write(formatGithub(diags.items, diags.sources));
  } else if (diags.items.length) {
    io.stderr.write(formatText(diags.items, diags.sources, { color }));
  }
}

export function exitFor(diags: Diagnostics): number {
  if (!diags.hasErrors()) return EXIT_OK;
  const errors = diags.items.filter((d) => d.severity === 'error');
  return errors.every((d) => IO_CODES.has(d.code) || d.code === 'usage') ? EXIT_USAGE : EXIT_CONTENT;
}

