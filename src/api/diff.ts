// diff as a library: a word-level redline of the assembled policies, between
// two configs, two git revisions of one, or the sample and district editions.
import { dirname, relative, resolve, sep } from 'node:path';
import { planBuild, type BuildPlan } from '../build/pipeline.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { applyStrict } from '../diagnostics/exit.js';
import type { Edition, Format } from '../model/model.js';
import { checkoutRevision, GitError, type Checkout } from '../read/git.js';
import { comparePlans } from '../redline/compare.js';
import type { RedlineMeta } from '../redline/render.js';
import { writeOutputs, type WriteResult } from '../write/write.js';
import { finish, type Report } from './report.js';

export interface DiffOptions {
  /** The config (the old side when `other` is given). */
  config: string;
  /** The folder relative paths are resolved from, and shown relative to in diagnostics (default: the working directory). */
  cwd?: string;
  /** A second config: the new side. */
  other?: string;
  /** Compare `config` as it was at this git revision… */
  from?: string;
  /** …with this revision (default: the working tree). */
  to?: string;
  /** Compare the sample edition with the district edition. */
  against?: 'sample';
  /** Folder for the redlines (default "redline"), relative to cwd. */
  out?: string;
  formats?: Format[];
  strict?: boolean;
  /** false: write nothing, and give the redline pages as data. */
  write?: boolean;
}

export interface DiffResult extends Report {
  outDir: string;
  /** One entry per policy that changed. */
  redlines: { number: string; title: string; inserted: number; deleted: number; moved: number }[];
  files: WriteResult[];
  /** Text for Markdown and HTML, bytes for Word. */
  pages?: { name: string; content: string | Uint8Array }[];
}

export async function diff(options: DiffOptions): Promise<DiffResult> {
  const cwd = resolve(options.cwd ?? '.');
  const { config } = options;
  const diags = new Diagnostics();
  const outDir = resolve(cwd, options.out ?? 'redline');
  const result = (extra: Partial<DiffResult> = {}, notes: string[] = []): DiffResult => ({ ...finish(diags, notes), outDir, redlines: [], files: [], ...extra });
  const modes = [options.other !== undefined, options.from !== undefined, options.against !== undefined].filter(Boolean).length;
  if (modes !== 1 || (options.to !== undefined && options.from === undefined)) {
    return { ...result({}, ['give a second config, or --from <rev> [--to <rev>], or --against sample (exactly one).']), exitCode: 2 };
  }
  const formats = (options.formats ?? ['md', 'html']).filter((f) => f !== 'json');
  const checkouts: Checkout[] = [];
  try {
    const side = (path: string, edition: Edition, at = cwd) => planBuild({ config: path, cwd: at, edition }, diags);
    let oldPlan: BuildPlan | undefined;
    let newPlan: BuildPlan | undefined;
    let meta: RedlineMeta;
    if (options.other !== undefined) {
      oldPlan = side(config, 'district');
      newPlan = side(options.other, 'district');
      meta = { from: config, to: options.other };
    } else if (options.against) {
      oldPlan = side(config, 'sample');
      newPlan = side(config, 'district');
      meta = { from: 'the sample edition', to: `the district edition (${config})` };
    } else {
      // git runs in the config's repository, wherever the command is run from.
      const repo = dirname(resolve(cwd, config));
      const from = checkoutRevision(repo, options.from!, cwd);
      checkouts.push(from);
      // Paths are shown relative to the working folder, or to the config's folder when that is outside the repository.
      const cwdIn = (c: Checkout) => (c.map(cwd).startsWith(`${c.root}${sep}`) || c.map(cwd) === c.root ? c.map(cwd) : dirname(c.map(config)));
      oldPlan = side(from.map(config), 'district', cwdIn(from));
      if (options.to !== undefined) {
        const to = checkoutRevision(repo, options.to, cwd);
        checkouts.push(to);
        newPlan = side(to.map(config), 'district', cwdIn(to));
      } else newPlan = side(config, 'district');
      meta = { from: `${config} at ${options.from}`, to: options.to !== undefined ? `${config} at ${options.to}` : `${config} in the working tree` };
    }
    applyStrict(diags.items, options.strict);
    if (!oldPlan || !newPlan || diags.hasErrors()) return result();
    const comparison = comparePlans(oldPlan, newPlan, formats, meta);
    const redlines = comparison.redlines.map((r) => ({ number: r.number, title: r.title, inserted: r.inserted, deleted: r.deleted, moved: r.moved }));
    if (redlines.length === 0) return result();
    if (options.write === false) return result({ redlines, pages: comparison.files.flatMap((f) => (f.kind === 'content' ? [{ name: f.name, content: f.content }] : [])) });
    const files = writeOutputs(outDir, relative(cwd, outDir) || '.', comparison.files, { clean: true }, diags);
    return result({ redlines, files: files ?? [] });
  } catch (e) {
    if (e instanceof GitError) return { ...result({}, [e.message]), exitCode: 2 };
    throw e;
  } finally {
    for (const c of checkouts) c.dispose();
  }
}
