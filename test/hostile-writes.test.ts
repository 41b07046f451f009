// Writing safely, tried as an attacker and as an unlucky user would: planted
// links, FIFOs and folders at the names a build writes, edits that keep a
// file's size and modification time, leftovers of a killed build, and atomic
// publishing. Every case here failed once (issue 13).
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../bench/generate.mjs';
import { stagingOwner } from '../src/write/staging.js';
import { BIN, runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

function example(): string {
  const dir = tempDir('sro-safe-');
  mkdirSync(join(dir, 'project'));
  cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'project', 'district.yaml'));
  cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'project', 'policies'), { recursive: true });
  writeFileSync(join(dir, 'victim.txt'), 'precious\n');
  return join(dir, 'project');
}

/** Every entry under `dir` but `skip` (relative paths): files by content hash, links by target, folders by name. */
function snapshot(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (rel === skip) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[`${rel}/`] = '';
        walk(p);
      } else out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const stagingFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => stagingOwner(n) !== undefined) : []);

describe('links planted in the output folder', () => {
  it('are never written through: no byte outside the output folder changes', async () => {
    const dir = example();
    const parent = join(dir, '..');
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    // Links under the staging names of earlier versions, for this process and the next few hundred,
    // to a file outside the output folder and to the pages themselves.
    const out = join(dir, 'out');
    const pages = readdirSync(out).filter((n) => !n.startsWith('.'));
    for (let pid = process.pid - 5; pid < process.pid + 300; pid++) {
      for (const page of ['5142.md', '.sro-policy-manifest.json']) symlinkSync('../../victim.txt', join(out, `${page}.${pid}.sro-tmp`));
      symlinkSync('../../victim.txt', join(out, `5142.4.html.${pid}.sro-old`));
    }
    writeFileSync(join(dir, 'policies', '5142.yaml'), readFileSync(join(dir, 'policies', '5142.yaml'), 'utf8').replace('places the safety', 'puts the safety'));
    const before = snapshot(parent, 'project');
    const r = await runInProcess(['build', 'district.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(parent, 'project')).toEqual(before);
    expect(readFileSync(join(parent, 'victim.txt'), 'utf8')).toBe('precious\n');
    // The planted links are gone, and every page is a plain file.
    expect(stagingFiles(out)).toEqual([]);
    for (const page of pages) expect(lstatSync(join(out, page)).isFile(), page).toBe(true);
    expect(readFileSync(join(out, '5142.md'), 'utf8')).toContain('puts the safety');
  });

  it('are refused at a page, the manifest or the lock file, and the link target is untouched', async () => {
    for (const name of ['out/5142.md', 'out/.sro-policy-manifest.json', 'district.lock.json']) {
      const dir = example();
      expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
      writeFileSync(join(dir, 'policies', '5142.yaml'), readFileSync(join(dir, 'policies', '5142.yaml'), 'utf8').replace('places the safety', 'puts the safety'));
      rmSync(join(dir, name));
      symlinkSync(join(dir, '..', 'victim.txt'), join(dir, name));
      const before = snapshot(join(dir, '..'), 'project');
      const r = await runInProcess(['build', 'district.yaml', '--reporter', 'json'], dir);
      expect(r.code, name).toBe(2);
      const codes = (JSON.parse(r.stdout) as { code: string; severity: string }[]).filter((d) => d.severity === 'error');
      // (With the manifest a link, the pages are not known as sro-policy's either.)
      expect(codes, name).toContainEqual(expect.objectContaining({ code: 'output-symlink' }));
      expect(snapshot(join(dir, '..'), 'project')).toEqual(before);
      expect(lstatSync(join(dir, name)).isSymbolicLink()).toBe(true);
      expect(stagingFiles(join(dir, 'out'))).toEqual([]);
    }
  });

  it('a FIFO or a folder at a page name is refused without waiting on it', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    rmSync(join(dir, 'out', '5142.md'));
    execFileSync('mkfifo', [join(dir, 'out', '5142.md')]);
    rmSync(join(dir, 'out', '5142.html'));
    mkdirSync(join(dir, 'out', '5142.html'));
    for (const args of [['build', 'district.yaml'], ['build', 'district.yaml', '--check']]) {
      const r = await runInProcess([...args, '--reporter', 'json'], dir);
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toMatch(/internal error/);
    }
    const r = await runInProcess(['build', 'district.yaml', '--reporter', 'json'], dir);
    const messages = (JSON.parse(r.stdout) as { code: string; message: string }[]).filter((d) => d.code === 'output-unwritable').map((d) => d.message);
    expect(messages).toEqual(['out/5142.html cannot be replaced: it is a folder, not a file', 'out/5142.md cannot be replaced: it is not a regular file']);
  });
});

describe('an edit that keeps size and modification time', () => {
  const restamp = (path: string, change: (s: string) => string) => {
    const { atime, mtime } = statSync(path);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
    utimesSync(path, atime, mtime);
  };

  it('of a clause file is built, and build and build --check agree', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    // Old enough that the recorded stamp is not racy: the change time alone must tell.
    const clause = join(dir, 'policies', '5142.yaml');
    const past = new Date(Date.now() - 60_000);
    utimesSync(clause, past, past);
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const size = statSync(clause).size;
    restamp(clause, (s) => s.replace('Students', 'Studentz'));
    expect(statSync(clause).size).toBe(size);
    const check = await runInProcess(['build', 'district.yaml', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('out of date: out/5142.md');
    const build = await runInProcess(['build', 'district.yaml'], dir);
    expect(build.code).toBe(0);
    expect(build.stdout).toContain('wrote     out/5142.md');
    expect(readFileSync(join(dir, 'out', '5142.md'), 'utf8')).toContain('Studentz');
    expect((await runInProcess(['build', 'district.yaml', '--check'], dir)).code).toBe(0);
  });

  it('of a page is found, not reported as unchanged', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const page = join(dir, 'out', '5142.md');
    restamp(page, (s) => s.replace('Students', 'Studentz'));
    const build = await runInProcess(['build', 'district.yaml', '--reporter', 'json'], dir);
    expect(build.code).toBe(2);
    expect(JSON.parse(build.stdout).map((d: { code: string }) => d.code)).toContain('edited-output');
    expect((await runInProcess(['build', 'district.yaml', '--check'], dir)).code).toBe(1);
  });
});

describe('leftovers of a build that stopped', () => {
  it('are removed by the next build, even when nothing else changed', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const out = join(dir, 'out');
    // A process id no process has (above Linux's pid_max), in the names of this version and the last.
    const left = ['.5142.md.9999999-0123456789ab.sro-tmp', '.index.html.9999999-abcdef012345.sro-old', '5142.md.9999999.sro-tmp'];
    for (const n of left) writeFileSync(join(out, n), 'half a page');
    const check = await runInProcess(['build', 'district.yaml', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('leftover: out/.5142.md.9999999-0123456789ab.sro-tmp');
    const r = await runInProcess(['build', 'district.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(stagingFiles(out)).toEqual([]);
    expect((await runInProcess(['build', 'district.yaml', '--check'], dir)).code).toBe(0);
  });
});

describe('build --atomic', () => {
  it('publishes a link to a complete version, keeps the previous one and prunes older ones', async () => {
    const dir = example();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const first = await runInProcess(['build', 'district.yaml', '--atomic'], dir);
    expect(first.code, first.stderr).toBe(0);
    const out = join(dir, 'out');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    const v1 = realpathSync(out);
    // Later builds are atomic without the flag.
    for (const word of ['Pupils', 'Learners']) {
      writeFileSync(join(dir, 'policies', '5142.yaml'), readFileSync(join(dir, 'policies', '5142.yaml'), 'utf8').replace(/Students|Pupils/, word));
      const r = await runInProcess(['build', 'district.yaml'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(out, '5142.md'), 'utf8')).toContain(word);
    }
    const versions = readdirSync(join(dir, '.out.sro-versions'));
    expect(versions).toHaveLength(2);
    expect(versions).not.toContain(v1.split('/').pop());
    expect((await runInProcess(['build', 'district.yaml', '--check'], dir)).code).toBe(0);
    // Unchanged pages are shared with the previous version, not copied.
    const [a, b] = versions.map((v) => statSync(join(dir, '.out.sro-versions', v, '5142.4.html')).ino);
    expect(a).toBe(b);
  });

  it('refuses a link it did not make and a folder holding files it did not write', async () => {
    const dir = example();
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync('elsewhere', join(dir, 'out'));
    let r = await runInProcess(['build', 'district.yaml', '--atomic', '--reporter', 'json'], dir);
    expect(JSON.parse(r.stdout).map((d: { code: string }) => d.code)).toContain('output-symlink');
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
    rmSync(join(dir, 'out'));
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'out', 'notes.txt'), 'mine');
    r = await runInProcess(['build', 'district.yaml', '--atomic', '--reporter', 'json'], dir);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).map((d: { code: string }) => d.code)).toContain('foreign-file');
    expect(lstatSync(join(dir, 'out')).isDirectory()).toBe(true);
    expect(existsSync(join(dir, '.out.sro-versions')) ? readdirSync(join(dir, '.out.sro-versions')) : []).toEqual([]);
  });
});

/** Start a build in a child process, and kill it (SIGKILL) after `ms`. */
function killedBuild(dir: string, args: string[], ms: number): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'build', 'district.yaml', ...args], { cwd: dir, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

describe('a build killed at a random point', () => {
  for (const mode of [[], ['--atomic']]) {
    it(`leaves, after the next build, no staging files and a folder build --check accepts${mode.length ? ' (atomic)' : ''}`, async () => {
      const dir = tempDir('sro-kill-');
      generate(dir, 100, { seed: 7 });
      const base = await runInProcess(['build', 'district.yaml', ...mode], dir);
      expect(base.code, base.stderr).toBe(0);
      // Each kill after a change, so that the killed build has pages to write.
      const pick = (n: number) => Math.floor(Math.random() * n);
      for (let round = 0; round < 3; round++) {
        const lib = join(dir, 'library');
        const file = join(lib, readdirSync(lib)[pick(100)]!);
        writeFileSync(file, `${readFileSync(file, 'utf8')}# round ${round}\n`);
        writeFileSync(join(dir, 'district.yaml'), `${readFileSync(join(dir, 'district.yaml'), 'utf8')}# round ${round}\n`);
        await killedBuild(dir, mode, 100 + pick(600));
        const again = await runInProcess(['build', 'district.yaml'], dir);
        expect(again.code, again.stderr).toBe(0);
        expect(stagingFiles(join(dir, 'out')), `round ${round}`).toEqual([]);
        if (mode.length) for (const v of readdirSync(join(dir, '.out.sro-versions'))) expect(stagingFiles(join(dir, '.out.sro-versions', v))).toEqual([]);
        const check = await runInProcess(['build', 'district.yaml', '--check'], dir);
        expect(check.code, check.stdout).toBe(0);
      }
    }, 60_000);
  }
});
