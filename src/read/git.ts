// Read a git revision of the district's repository into a temporary folder,
// so `diff --from <rev>` can build the config exactly as it was.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';

export interface Checkout {
  /** Folder holding the files of the revision. */
  root: string;
  /** The same path as `path` would have inside that revision. */
  map: (path: string) => string;
  dispose: () => void;
}

export class GitError extends Error {}

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new GitError(`git is not available: ${r.error.message}`);
  if (r.status !== 0) throw new GitError((r.stderr || r.stdout).trim().split('\n')[0] ?? `git ${args[0]} failed`);
  return r.stdout;
}

/**
 * The files of revision `rev` of the repository that holds the folder `at`
 * (the config's), in a temporary folder. `cwd` is what paths given to `map`
 * are relative to.
 */
export function checkoutRevision(at: string, rev: string, cwd: string = at): Checkout {
  if (rev.startsWith('-') || rev.trim() === '') throw new GitError(`"${rev}" is not a revision`);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], at).trim();
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message)) throw new GitError(`${at} is not in a git repository, so there are no revisions to compare with; give a second config instead of --from`);
    throw e;
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], at);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    throw new GitError(`"${rev}" is not a revision of the repository at ${top}. "git log --oneline" lists its commits; a branch, a tag or a commit id works, as does HEAD~1 while there is an earlier commit`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sro-policy-rev-'));
  const root = join(dir, 'tree');
  mkdirSync(root);
  const tar = join(dir, 'rev.tar');
  git(['archive', '--format=tar', '-o', tar, `${rev}^{commit}`], top);
  const r = spawnSync('tar', ['-xf', tar, '-C', root], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new GitError(`could not unpack ${rev}: ${r.stderr.trim()}`);
  }
  // git names the top folder with links resolved: so must the paths mapped into it.
  const real = (path: string) => {
    const abs = resolve(cwd, path);
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  };
  return {
    root,
    map: (path: string) => join(root, relative(top, real(path))),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
