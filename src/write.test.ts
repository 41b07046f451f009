import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTemporaryFiles } from './write.js';
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
