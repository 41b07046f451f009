// build, check and build --check on the command line: flags and environment
// in, the library's build or check, and its result printed.
import { join, relative } from 'node:path';
import { build, check } from '../../api/build.js';
import { finish } from '../../api/report.js';
import type { LoadMemo } from '../../build/shard.js';
import { Diagnostics } from '../../diagnostics/diagnostic.js';
import { displayPath } from '../../read/files.js';
import { cacheDirFrom, EXIT_CONTENT, EXIT_OK, parseFormats, workersFrom, type BuildFlags, type Io } from '../options.js';
import { print, printNotes } from '../print.js';
import { reportBug } from './bug.js';

export type BuildMode = 'write' | 'check' | 'compare';

/** memo: clause files loaded by this process's earlier builds (build --watch), kept for the next. */
export async function runBuild(config: string, flags: BuildFlags, io: Io, color: boolean, mode: BuildMode, memo?: LoadMemo): Promise<number> {
  try {
    const diags = new Diagnostics();
    const notes: string[] = [];
    const formats = parseFormats(flags.format, diags);
    const workers = workersFrom(io.env, diags, notes);
    if (diags.hasErrors()) {
      const report = finish(diags);
      print(report, flags.reporter, io, color);
      return report.exitCode;
    }
    const options = {
      config,
      cwd: io.cwd,
      ...(formats ? { formats } : {}),
      ...(flags.edition ? { edition: flags.edition } : {}),
      draft: flags.draft ?? false,
      strict: flags.strict ?? false,
      cacheDir: cacheDirFrom(flags, io.env),
      ...(workers !== undefined ? { workers } : {}),
    };
    if (mode === 'check') {
      const r = await check(options);
      print(r, flags.reporter, io, color);
      printNotes([...notes, ...r.notes], io);
      if (r.exitCode === EXIT_OK && flags.reporter === 'text') io.stdout.write(`${r.policies} ${r.policies === 1 ? 'policy' : 'policies'} checked: no errors\n`);
      return r.exitCode;
    }
    const r = await build({
      ...options,
      ...(flags.out !== undefined ? { out: flags.out } : {}),
      force: flags.force ?? false,
      clean: flags.clean ?? false,
      atomic: flags.atomic ?? false,
      updateLock: flags.updateLock ?? false,
      mode: mode === 'compare' ? 'compare' : 'write',
      ...(memo ? { memo } : {}),
    });
    print(r, flags.reporter, io, color);
    printNotes([...notes, ...r.notes], io);
    const shownOut = relative(io.cwd, r.outDir) || '.';
    if (mode === 'compare') {
      if (r.exitCode !== EXIT_OK) return r.exitCode;
      const diffs = r.differences ?? [];
      for (const d of diffs) io.stdout.write(`${d.reason === 'differs' ? 'out of date' : d.reason}: ${join(shownOut, d.name)}\n`);
      if (diffs.length) {
        io.stderr.write(`${shownOut} is not up to date with ${config}: run "sro-policy build ${config}"${diffs.some((d) => d.reason === 'no longer built') ? ' --clean' : ''}.\n`);
        return EXIT_CONTENT;
      }
      io.stdout.write(`${shownOut} is up to date (${r.compared ?? 0} files).\n`);
      return EXIT_OK;
    }
    if (flags.reporter === 'text') {
      // One write: a manual lists thousands of files, and each write to a terminal or file is a system call.
      io.stdout.write(
        r.files.map((f) => `${f.status === 'written' ? 'wrote    ' : f.status === 'unchanged' ? 'unchanged' : 'removed  '} ${join(shownOut, f.name)} (${r.edition} edition)\n`).join(''),
      );
      if (r.lock?.status === 'written') io.stdout.write(`wrote     ${displayPath(r.lock.path, io.cwd)}\n`);
      if (r.unchanged && r.exitCode === EXIT_OK) io.stdout.write(`Nothing changed since the last build of ${shownOut}.\n`);
    }
    return r.exitCode;
  } catch (e) {
    return reportBug(e, io, flags.debug ?? false);
  }
}
