// Diagnostics are values, collected on the way and printed in one place
// (reporters.ts). The stages that find a problem say where it is as a file and
// a place in it (a JSON pointer: they hold no parse trees); the Diagnostics that
// stores it turns the place into character offsets with the locator the build
// gave it, and reporters turn offsets into 1-based line:column.
import type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning';

/** Offsets [start, end) into a file's text. */
export type Range = readonly [number, number];

/**
 * A place in a YAML file, by the JSON pointer of a value ('/policies/5142.4'),
 * resolved to a range when the diagnostic is stored (see Locate).
 */
export interface Place {
  pointer: string;
  /** The key of a mapping entry rather than its value. */
  part?: 'key' | 'value';
  /** Words inside the value to point at: their first occurrence in the value's source (the last, with `last`); the whole value when they are not there verbatim (folded text). */
  find?: string;
  last?: boolean;
  /** The value's range, when the stage that let go of the parse tree noted it (ListItem.textAt, CrossReference.at). */
  span?: Range;
}

/** Turns a place in a file (as the file is shown in diagnostics) into offsets; undefined when the file is not known. */
export type Locate = (file: string, place: Place) => Range | undefined;

export interface Related {
  file: string;
  range?: Range;
  /** Where, when the range is not known yet. */
  at?: Place;
  /** 1-based position, when already worked out (diagnostics kept from an earlier build). */
  start?: { line: number; column: number };
  message: string;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable code, documented in docs/diagnostics.md (codes.ts lists them). */
  code: DiagnosticCode;
  message: string;
  file?: string;
  /** Offsets [start, end) into the file's text. */
  range?: Range;
  /** Where, when the range is not known yet: resolved when the diagnostic is stored. */
  at?: Place;
  expected?: string;
  actual?: string;
  hint?: string;
  related?: Related[];
}

export type DiagnosticInit = Omit<Diagnostic, 'severity' | 'code' | 'message'>;

/** Collects diagnostics for one run; nothing here throws for user errors. */
export class Diagnostics {
  readonly items: Diagnostic[];
  /** Text of every file read, so reporters can turn offsets into line:column and show code frames. */
  readonly sources: Map<string, string>;

  /**
   * `locate` resolves the places of the diagnostics stored here (those added
   * without a range). With `shared`, this is a view that stores into that
   * collection (see located).
   */
  constructor(
    private readonly locate?: Locate,
    shared?: Diagnostics,
  ) {
    this.items = shared?.items ?? [];
    this.sources = shared?.sources ?? new Map();
  }

  /** This collection, storing with `locate` resolving places: for a stage that holds the parse trees the places are in. */
  located(locate: Locate): Diagnostics {
    return new Diagnostics(locate, this);
  }

  /** The diagnostic with its places resolved, when this collection can; as it is otherwise (a later collection will). */
  private placed(d: Diagnostic): Diagnostic {
    if (!this.locate || !(d.at || d.related?.some((r) => r.at))) return d;
    let out = d;
    if (d.at && d.file) {
      const range = this.locate(d.file, d.at);
      if (range) {
        const { at: _at, ...rest } = d;
        out = { ...rest, range };
      }
    }
    if (d.related?.some((r) => r.at)) {
      out = {
        ...out,
        related: d.related.map((r) => {
          const range = r.at ? this.locate!(r.file, r.at) : undefined;
          if (!range) return r;
          const { at: _at, ...rest } = r;
          return { ...rest, range };
        }),
      };
    }
    return out;
  }

  addSource(file: string, text: string): void {
    this.sources.set(file, text);
  }

  error(code: DiagnosticCode, message: string, init: DiagnosticInit = {}): void {
    this.items.push(this.placed({ severity: 'error', code, message, ...init }));
  }

  warn(code: DiagnosticCode, message: string, init: DiagnosticInit = {}): void {
    this.items.push(this.placed({ severity: 'warning', code, message, ...init }));
  }

  add(d: Diagnostic): void {
    this.items.push(this.placed(d));
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.items.push(this.placed(d));
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.items) if (d.severity === 'error') n++;
    return n;
  }

  get warningCount(): number {
    return this.items.length - this.errorCount;
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Sorted by file, then position, then code: output order never depends on check order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.file ?? '';
    const fb = b.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const sa = a.range?.[0] ?? -1;
    const sb = b.range?.[0] ?? -1;
    if (sa !== sb) return sa - sb;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

