// init: write a complete, commented district config.
import { appendFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_LIBRARY, loadLibraries, PACKAGE_ROOT } from '../../build/pipeline.js';
import { finish } from '../../api/report.js';
import { Diagnostics } from '../../diagnostics/diagnostic.js';
import { defaultCacheRoot } from '../../incremental/cache-dir.js';
import { displayPath } from '../../read/files.js';
import { createExclusive, writeStaged } from '../../write/staging.js';
import { initConfig } from '../init-config.js';
import { EXIT_OK, EXIT_USAGE, type Io } from '../options.js';
import { print } from '../print.js';
import { reportBug } from './bug.js';

export interface InitFlags {
  out: string;
  library: string[];
  force?: boolean;
  debug?: boolean;
}

export function runInit(flags: InitFlags, io: Io, color: boolean): number {
  const diags = new Diagnostics();
  try {
    const toStdout = flags.out === '-';
    const target = resolve(io.cwd, toStdout ? 'district.yaml' : flags.out);
    const base = dirname(target);
    const folders = flags.library.map((l) => (l === 'sro-policy' ? DEFAULT_LIBRARY : resolve(io.cwd, l)));
    const libraries = flags.library.map((l) => (l === 'sro-policy' ? l : relative(base, resolve(io.cwd, l)) || '.'));
    const library = loadLibraries({ libraries: folders.map((folder, i) => ({ folder, includeAll: false, pointer: `/libraries/${i}` })), replaces: new Map() }, io.cwd, diags);
    if (diags.hasErrors()) {
      const report = finish(diags);
      print(report, 'text', io, color);
      return report.exitCode;
    }
    const schema = relative(base, join(PACKAGE_ROOT, 'schema', 'district.schema.json'));
    const text = initConfig(library, { libraries, schemaPath: schema.startsWith('.') ? schema : `./${schema}` });
    if (toStdout) {
      io.stdout.write(text);
      return EXIT_OK;
    }
    if (!flags.force) {
      // Created exclusively: an existing file (or a link planted in its place) is never written through.
      try {
        createExclusive(target, Buffer.from(text));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ELOOP') throw e;
        io.stderr.write(`${displayPath(target, io.cwd)} already exists; choose another name with --out, or pass --force to replace it.\n`);
        return EXIT_USAGE;
      }
    } else {
      // Replaced by a rename: a link at the name is replaced, not written through.
      const { tmp } = writeStaged(target, text);
      try {
        renameSync(tmp, target);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    }
    const ignored = ignoreCache(target);
    io.stdout.write(
      `wrote ${displayPath(target, io.cwd)} (${library.policies.size} ${library.policies.size === 1 ? 'policy' : 'policies'}); fill it in, then run "sro-policy build ${displayPath(target, io.cwd)}"\n`,
    );
    if (ignored) io.stdout.write(`added ${ignored.line} to ${displayPath(ignored.file, io.cwd)} (the build cache: this machine's, not the district's)\n`);
    return EXIT_OK;
  } catch (e) {
    return reportBug(e, io, flags.debug ?? false);
  }
}

/**
 * Where the build cache of a config goes beside it (no package.json above it
 * puts it in node_modules/.cache), a .gitignore beside the config keeps it out
 * of the district's repository. Undefined when nothing needed adding.
 */
function ignoreCache(config: string): { file: string; line: string } | undefined {
  const root = defaultCacheRoot(config);
  if (dirname(root) !== dirname(config)) return undefined;
  const file = join(dirname(config), '.gitignore');
  const line = '/.sro-policy-cache/';
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // no .gitignore yet
  }
  if (text.split(/\r?\n/).some((l) => l.trim() === line || l.trim() === '.sro-policy-cache/' || l.trim() === '.sro-policy-cache')) return undefined;
  appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`);
  return { file, line };
}
