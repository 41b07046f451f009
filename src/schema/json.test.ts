import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES } from './json.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('JSON Schemas', () => {
  for (const [name, make] of Object.entries(SCHEMA_FILES)) {
    it(`schema/${name} is generated from the zod schema (run "npm run schema" when this fails)`, () => {
      expect(readFileSync(join(ROOT, 'schema', name), 'utf8')).toBe(make());
    });
  }

  it('every shipped YAML file names its schema for the YAML language server', () => {
    const files = [
      ...readdirSync(join(ROOT, 'policies')).map((f) => join('policies', f)),
      ...readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => join('examples', f)),
    ].filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const first = readFileSync(join(ROOT, f), 'utf8').split('\n')[0];
      const kind = f.startsWith('policies') ? 'policy' : 'district';
      expect(first, f).toBe(`# yaml-language-server: $schema=../schema/${kind}.schema.json`);
    }
  });
});
