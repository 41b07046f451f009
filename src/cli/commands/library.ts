// list, explain and refs on the command line.
import { explain, loadManual } from '../../api/library.js';
import { EXIT_OK, type Io } from '../options.js';
import { print, printNotes } from '../print.js';
import { explainReport, listReport, refsReport } from '../library-tables.js';
import { reportBug } from './bug.js';

export function runList(config: string | undefined, io: Io, color: boolean, debug: boolean): number {
  try {
    const r = loadManual({ ...(config !== undefined ? { config } : {}), cwd: io.cwd });
    if (r.exitCode !== EXIT_OK) {
      print(r, 'text', io, color);
      return r.exitCode;
    }
    io.stdout.write(listReport(r.policies));
    return EXIT_OK;
  } catch (e) {
    return reportBug(e, io, debug);
  }
}

export function runExplain(number: string, config: string | undefined, io: Io, color: boolean, debug: boolean): number {
  try {
    const r = explain({ number, ...(config !== undefined ? { config } : {}), cwd: io.cwd });
    print(r, 'text', io, color);
    printNotes(r.notes, io);
    if (r.exitCode !== EXIT_OK || !r.policy) return r.exitCode;
    io.stdout.write(explainReport(r.policy, r.policy.file.path));
    return EXIT_OK;
  } catch (e) {
    return reportBug(e, io, debug);
  }
}

export function runRefs(config: string, reference: string | undefined, io: Io, color: boolean, debug: boolean): number {
  try {
    const r = loadManual({ config, cwd: io.cwd });
    if (r.exitCode !== EXIT_OK || !r.library) {
      print(r, 'text', io, color);
      return r.exitCode;
    }
    io.stdout.write(refsReport(r.policies, reference, r.library));
    return EXIT_OK;
  } catch (e) {
    return reportBug(e, io, debug);
  }
}
