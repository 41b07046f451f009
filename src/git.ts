// Read a git revision of the district's repository into a temporary folder,
// so `diff --from <rev>` can build the config exactly as it was.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

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

export function checkoutRevision(cwd: string, rev: string): Checkout {
  if (rev.startsWith('-')) throw new GitError(`"${rev}" is not a revision`);
  const top = git(['rev-parse', '--show-toplevel'], cwd).trim();
  git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd);
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
  return {
    root,
    map: (path: string) => join(root, relative(top, resolve(cwd, path))),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
