// outdated on the command line.
import { outdated } from '../../api/outdated.js';
import { displayPath } from '../../read/files.js';
import { EXIT_OK, type CommonFlags, type Io } from '../options.js';
import { print } from '../print.js';
import { reportBug } from './bug.js';

export async function runOutdated(config: string, flags: CommonFlags, io: Io, color: boolean): Promise<number> {
  try {
    const r = await outdated({ config, cwd: io.cwd });
    print(r, flags.reporter, io, color);
    if (r.exitCode === EXIT_OK && flags.reporter === 'text') io.stdout.write(`Nothing to review: the library matches ${displayPath(r.lockFile, io.cwd)}.\n`);
    return r.exitCode;
  } catch (e) {
    return reportBug(e, io, flags.debug ?? false);
  }
}
