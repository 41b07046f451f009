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
    const files: [string, string][] = [
      ...readdirSync(join(ROOT, 'policies')).map((f): [string, string] => [join('policies', f), '../schema/policy.schema.json']),
      ...readdirSync(join(ROOT, 'examples', 'policies')).map((f): [string, string] => [join('examples', 'policies', f), '../../schema/policy.schema.json']),
      ...readdirSync(join(ROOT, 'examples')).map((f): [string, string] => [join('examples', f), '../schema/district.schema.json']),
    ].filter(([f]) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(4);
    for (const [f, schema] of files) {
      const first = readFileSync(join(ROOT, f), 'utf8').split('\n')[0];
      expect(first, f).toBe(`# yaml-language-server: $schema=${schema}`);
    }
  });
});
