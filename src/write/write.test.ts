import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { removeTemporaryFiles, writeOutputs, type OutputFile } from './write.js';
import { safeTarget } from './folder.js';
import { tempDir } from '../../test/temp.js';

describe('removeTemporaryFiles', () => {
  it("removes this process's staging files and those of stopped builds, and nothing else", () => {
    const dir = tempDir('sro-tmp-');
    // A process id no process has (above Linux's pid_max of 4,194,304).
    const stopped = 9_999_999;
    const mine = [`.5142.4.md.${process.pid}-0123456789ab.sro-tmp`, `index.html.${process.pid}.sro-tmp`, `.a.md.${process.pid}-abcdefabcdef.sro-old`];
    const dead = [`.5142.4.md.${stopped}-0123456789ab.sro-tmp`, `5142.4.md.${stopped}.sro-old`];
    // Process 1 is always running: a build under way in another process keeps its files.
    const others = ['5142.4.md', `.5142.4.md.1-0123456789ab.sro-tmp`, 'notes.sro-tmp', `x.${process.pid}.sro-tmp.bak`, `.x.md.${process.pid}-0123.sro-tmp`];
    for (const n of [...mine, ...dead, ...others]) writeFileSync(join(dir, n), 'x');
    removeTemporaryFiles(dir);
    expect(readdirSync(dir).sort()).toEqual([...others].sort());
  });

  it('does nothing when the folder is missing', () => {
    expect(() => removeTemporaryFiles(join(tmpdir(), 'sro-no-such-folder', 'out'))).not.toThrow();
  });
});

describe('safeTarget', () => {
  it('gives the resolved path of a name inside the folder, and nothing for a name that would leave it', () => {
    const names = ['5142.4.html', 'index.md', '.sro-policy-cache.json', '...', 'a..b', '_x-1', '.', '..', '', '../x', 'a/b', 'a\\b', 'x\0', 'C:x', 'ä.md', ' space.md'];
    for (const dir of ['/srv/out', '/srv/out/', '/', '/srv/./out', 'relative/out', '/srv/out/../other']) {
      for (const name of names) {
        // The long way, which the short one must agree with.
        const target = resolve(dir, name);
        const rel = relative(dir, target);
        const expected = /[\0/\\]/.test(name) || name === '' || name === '.' || name === '..' || rel === '' || rel.startsWith('..') || rel.includes('/') ? undefined : target;
        expect(safeTarget(dir, name), JSON.stringify([dir, name])).toBe(expected);
      }
    }
  });
});

describe('writeOutputs', () => {
  const page = (name: string, text: string): OutputFile => ({ kind: 'content', name, content: text });
  const contents = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));

  it('puts every file back as it was when a rename fails halfway', () => {
    const dir = tempDir('sro-rollback-');
    expect(writeOutputs(dir, 'out', [page('a.md', 'A1'), page('b.md', 'B1'), page('c.md', 'C1')], {}, new Diagnostics())).toBeDefined();
    const before = contents(dir);
    const diags = new Diagnostics();
    let renames = 0;
    const failing = (from: string, to: string) => {
      // The third file's rename fails, as for a page open in another program on Windows.
      if (to.endsWith('c.md') && from.endsWith('.sro-tmp')) throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
      renames++;
      renameSync(from, to);
    };
    const result = writeOutputs(dir, 'out', [page('a.md', 'A2'), page('b.md', 'B2'), page('c.md', 'C2'), page('new.md', 'N')], { rename: failing }, diags);
    expect(result).toBeUndefined();
    expect(renames).toBeGreaterThan(0);
    expect(diags.items.map((d) => [d.code, d.hint])).toEqual([['output-unwritable', expect.stringContaining('Nothing was changed')]]);
    // The old pages and manifest, no new page, no temporary or backup file.
    expect(contents(dir)).toEqual(before);
  });

  it('leaves no backup behind when every rename succeeds', () => {
    const dir = tempDir('sro-rollback-');
    writeOutputs(dir, 'out', [page('a.md', 'A1')], {}, new Diagnostics());
    expect(writeOutputs(dir, 'out', [page('a.md', 'A2'), page('b.md', 'B')], {}, new Diagnostics())?.map((r) => [r.name, r.status])).toEqual([
      ['a.md', 'written'],
      ['b.md', 'written'],
    ]);
    expect(Object.keys(contents(dir))).toEqual(['.sro-policy-manifest.json', 'a.md', 'b.md']);
    expect(contents(dir)['a.md']).toBe('A2');
  });
});
