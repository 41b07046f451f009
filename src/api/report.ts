// What every command of the library gives back: its diagnostics as values,
// the text of the files they point into (for code frames), the exit code the
// command line would use, and notes for a person (what was not done, and why).
import type { Diagnostic, Diagnostics } from '../diagnostics/diagnostic.js';
import { exitCodeOf } from '../diagnostics/exit.js';

export interface Report {
  /** 0: no errors; 1: errors in the content (config, clause files, templates); 2: the command could not run (files, options). */
  exitCode: 0 | 1 | 2;
  diagnostics: readonly Diagnostic[];
  /** Text of the files the diagnostics point into, by the path they show. */
  sources: ReadonlyMap<string, string>;
  /** Sentences for a person: "Nothing was written.", a setting that was capped. */
  notes: string[];
}

export function finish(diags: Diagnostics, notes: string[] = []): Report {
  return { exitCode: exitCodeOf(diags.items), diagnostics: diags.items, sources: diags.sources, notes };
}
