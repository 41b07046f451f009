import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTemporaryFiles, safeTarget } from './write.js';
import { tempDir } from '../test/temp.js';

describe('removeTemporaryFiles', () => {
  it("removes this process's temporary files and nothing else", () => {
    const dir = tempDir('sro-tmp-');
    const mine = [`5142.4.md.${process.pid}.sro-tmp`, `index.html.${process.pid}.sro-tmp`];
    const others = ['5142.4.md', `5142.4.md.${process.pid + 1}.sro-tmp`, 'notes.sro-tmp', `x.${process.pid}.sro-tmp.bak`];
    for (const n of [...mine, ...others]) writeFileSync(join(dir, n), 'x');
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
