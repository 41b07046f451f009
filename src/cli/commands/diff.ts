// diff on the command line.
import { relative } from 'node:path';
import { diff } from '../../api/diff.js';
import { finish } from '../../api/report.js';
import { Diagnostics } from '../../diagnostics/diagnostic.js';
import { EXIT_CONTENT, EXIT_OK, parseFormats, type DiffFlags, type Io } from '../options.js';
import { print, printNotes } from '../print.js';
import { reportBug } from './bug.js';

export async function runDiff(config: string, other: string | undefined, flags: DiffFlags, io: Io, color: boolean): Promise<number> {
  try {
    const diags = new Diagnostics();
    const formats = parseFormats(flags.format, diags);
    if (diags.hasErrors()) {
      const report = finish(diags);
      print(report, flags.reporter, io, color);
      return report.exitCode;
    }
    const r = await diff({
      config,
      cwd: io.cwd,
      ...(other !== undefined ? { other } : {}),
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      ...(flags.to !== undefined ? { to: flags.to } : {}),
      ...(flags.against ? { against: flags.against } : {}),
      out: flags.out,
      ...(formats ? { formats } : {}),
      strict: flags.strict ?? false,
    });
    print(r, flags.reporter, io, color);
    printNotes(r.notes, io, 'sro-policy diff: ');
    if (r.exitCode !== EXIT_OK) return r.exitCode;
    if (r.redlines.length === 0) {
      if (flags.reporter === 'text') io.stdout.write('No changes.\n');
      return EXIT_OK;
    }
    if (flags.reporter === 'text') {
      for (const x of r.redlines) io.stdout.write(`${x.number} ${x.title}: ${x.inserted} words inserted, ${x.deleted} deleted${x.moved ? `, ${x.moved} moved` : ''}\n`);
      const shownOut = relative(io.cwd, r.outDir) || '.';
      io.stdout.write(`redlines in ${shownOut}/ (${r.files.map((f) => f.name).filter((n) => n.startsWith('redline.')).join(', ')})\n`);
    }
    return flags.exitCode ? EXIT_CONTENT : EXIT_OK;
  } catch (e) {
    return reportBug(e, io, flags.debug ?? false);
  }
}
