// import on the command line: samples in, clause files out, each with its round trip.
import { importSamples, type ImportedFile } from '../../api/import.js';
import { type Io } from '../options.js';
import { print, printNotes } from '../print.js';
import { reportBug } from './bug.js';
import { table } from '../library-tables.js';

export interface ImportFlags {
  out?: string;
  keepPartial?: boolean;
  library?: string;
  reporter: 'text' | 'json' | 'github';
  debug?: boolean;
}

function summary(f: ImportedFile): string {
  const found = Object.entries(f.found)
    .map(([what, n]) => (n === 1 ? what : `${n} × ${what}`))
    .join(', ');
  const where = f.written ? ` → ${f.written}` : '';
  const trip = f.clause === undefined ? 'not imported' : f.exact ? 'round trip exact' : 'round trip NOT exact';
  const dropped = f.dropped?.length ? `  dropped as page furniture: ${f.dropped.map((d) => JSON.stringify(d)).join(', ')}\n` : '';
  return `${f.source}${f.number ? ` (${f.number})` : ''}: ${trip}${where}\n  found: ${found || 'nothing'}\n${dropped}  ${f.guesses.length} guess${f.guesses.length === 1 ? '' : 'es'} to review${f.guesses.length ? ` ("# review:" comments in the clause file)` : ''}\n`;
}

/** The batch at a glance: one row per sample. */
function summaryTable(files: readonly ImportedFile[]): string {
  const rows = [['FILE', 'NUMBER', 'TITLE', 'FOUND', 'GUESSES', 'ROUND TRIP']];
  for (const f of files) {
    const found = Object.values(f.found).reduce((a, b) => a + b, 0);
    rows.push([f.source, f.number ?? '-', f.title ?? '-', String(found), String(f.guesses.length), f.clause === undefined ? 'not read' : f.exact ? 'exact' : 'NOT exact']);
  }
  return `${table(rows)}\n`;
}

export async function runImport(files: string[], flags: ImportFlags, io: Io, color: boolean): Promise<number> {
  try {
    const r = await importSamples({ files, cwd: io.cwd, ...(flags.out !== undefined ? { out: flags.out } : {}), ...(flags.keepPartial ? { keepPartial: true } : {}), ...(flags.library !== undefined ? { library: flags.library } : {}) });
    // The JSON and GitHub reporters print the diagnostics alone, as every command does.
    if (flags.reporter === 'text') {
      for (const f of r.files) io.stdout.write(summary(f));
      if (r.files.length > 1) io.stdout.write(`\n${summaryTable(r.files)}`);
      if (flags.out !== undefined && r.files.some((f) => f.written)) {
        io.stdout.write(`\nTo use the library, add it to the config:\n\nlibraries:\n  - path: ${JSON.stringify(flags.out)}\n    include: all\n`);
      }
      // Without a folder, the clause file of a single sample goes to standard output.
      if (flags.out === undefined && r.files.length === 1 && r.files[0]!.clause) io.stdout.write(`\n${r.files[0]!.clause}`);
    }
    print(r, flags.reporter, io, color);
    printNotes(r.notes, io);
    return r.exitCode;
  } catch (e) {
    return reportBug(e, io, flags.debug ?? false);
  }
}
