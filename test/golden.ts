// Golden-file helpers: a case folder holds its inputs and, under expected/, the
// output it must produce. UPDATE_GOLDEN=1 rewrites expected/ from the current
// output; review the change in the diff before committing it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const UPDATE = process.env.UPDATE_GOLDEN === '1';
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Compare a set of produced files with a case's expected/ folder (exactly the same names and bytes). */
export function expectGolden(caseDir: string, produced: Record<string, string>, sub = 'expected'): void {
  const dir = join(caseDir, sub);
  if (UPDATE) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(produced)) writeFileSync(join(dir, name), text);
    return;
  }
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run the tests with UPDATE_GOLDEN=1 to create it, then review it`);
  const expectedNames = readdirSync(dir).sort();
  expect(Object.keys(produced).sort()).toEqual(expectedNames);
  for (const name of expectedNames) {
    expect(produced[name], `${join(dir, name)} differs (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(join(dir, name), 'utf8'));
  }
}

/** Case folders under a fixtures folder, in name order. */
export function cases(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
