// Printing what a command gives back: diagnostics through the chosen reporter,
// notes for a person on standard error.
import type { Report } from '../api/report.js';
import { formatGithub, formatJson, formatText, type ReporterName } from '../diagnostics/reporters.js';
import type { Io } from './options.js';

export function print(report: Pick<Report, 'diagnostics' | 'sources'>, reporter: ReporterName, io: Io, color: boolean): void {
  const items = [...report.diagnostics];
  const sources = report.sources as Map<string, string>;
  if (reporter === 'json') {
    io.stdout.write(formatJson(items, sources));
  } else if (reporter === 'github') {
    io.stdout.write(formatGithub(items, sources));
  } else if (items.length) {
    io.stderr.write(formatText(items, sources, { color }));
  }
}

/** Notes for a person (what was not done, a setting that was capped), each on a line of standard error. */
export function printNotes(notes: readonly string[], io: Io, prefix = ''): void {
  for (const n of notes) io.stderr.write(`${prefix}${n}\n`);
}
