// Diagnostics are values, collected on the way and printed in one place (report.ts).
// Positions are kept as character offsets into the file's text; they become
// 1-based line:column only when a reporter needs them (see locate.ts).

export type Severity = 'error' | 'warning';

export interface Related {
  file: string;
  range?: readonly [number, number];
  /** 1-based position, when already worked out (diagnostics kept from an earlier build). */
  start?: { line: number; column: number };
  message: string;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable code, documented in docs/diagnostics.md. */
  code: string;
  message: string;
  file?: string;
  /** Offsets [start, end) into the file's text. */
  range?: readonly [number, number];
  expected?: string;
  actual?: string;
  hint?: string;
  related?: Related[];
}

export type DiagnosticInit = Omit<Diagnostic, 'severity' | 'code' | 'message'>;

/** Collects diagnostics for one run; nothing here throws for user errors. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];
  /** Text of every file read, so reporters can turn offsets into line:column and show code frames. */
  readonly sources = new Map<string, string>();

  addSource(file: string, text: string): void {
    this.sources.set(file, text);
  }

  error(code: string, message: string, init: DiagnosticInit = {}): void {
    this.items.push({ severity: 'error', code, message, ...init });
  }

  warn(code: string, message: string, init: DiagnosticInit = {}): void {
    this.items.push({ severity: 'warning', code, message, ...init });
  }

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.items.push(d);
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

