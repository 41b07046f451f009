import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { exitCodeOf } from '../diagnostics/exit.js';
import { loadTemplates } from './files.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('loadTemplates', () => {
  it('reports template-missing (exit class io) when no folder has the main template, as in a damaged installation', () => {
    dir = mkdtempSync(join(tmpdir(), 'sro-templates-'));
    const diags = new Diagnostics();
    const loaded = loadTemplates([dir], 'md', 'policy', dir, diags);
    expect(loaded.main).toBeUndefined();
    expect(diags.items.map((d) => [d.severity, d.code])).toEqual([['error', 'template-missing']]);
    expect(exitCodeOf(diags.items)).toBe(2);
    expect(diags.items[0]!.message).toMatch(/^No md\/policy.hbs template in /);
  });
});
