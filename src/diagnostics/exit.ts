// Exit codes and --strict: one place decides what a set of diagnostics means
// for the process that ran the command.
import { CODES } from './codes.js';

export const EXIT_OK = 0;
export const EXIT_CONTENT = 1;
export const EXIT_USAGE = 2;

/** Failures of the machine or the command line rather than of the policy content (exit code 2). */
export const IO_CODES: ReadonlySet<string> = new Set(Object.entries(CODES).flatMap(([code, kind]) => (kind === 'io' ? [code] : [])));

/** 0 without errors; 2 when every error is about the machine or the command line; 1 otherwise. */
export function exitCodeOf(items: readonly { severity: string; code: string }[]): 0 | 1 | 2 {
  const errors = items.filter((d) => d.severity === 'error');
  if (errors.length === 0) return EXIT_OK;
  return errors.every((d) => IO_CODES.has(d.code)) ? EXIT_USAGE : EXIT_CONTENT;
}

/** --strict: every warning counts as an error. */
export function applyStrict(items: { severity: string }[], strict: boolean | undefined): void {
  if (strict) for (const d of items) d.severity = 'error';
}
