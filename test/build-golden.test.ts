// Golden builds: each folder under test/fixtures/build/ is a district config
// (district.yaml) and, when it brings its own clause files, a policies/ folder.
// The district edition (and, for cases with their own policies, the sample
// edition too) must match expected/ byte for byte.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_KINDS } from '../src/schema/policy.js';
import { buildInMemory } from './build-helpers.js';
import { cases, expectGolden, FIXTURES } from './golden.js';

const ROOT = join(FIXTURES, 'build');

describe('golden builds', () => {
  for (const name of cases(ROOT)) {
    it(name, () => {
      const dir = join(ROOT, name);
      const config = join(dir, 'district.yaml');
      const produced = { ...buildInMemory(config, dir).files };
      if (existsSync(join(dir, 'policies'))) Object.assign(produced, buildInMemory(config, dir, { edition: 'sample' }).files);
      // case.json may ask for more editions, e.g. the annotated edition of a config with deviations.
      const spec = existsSync(join(dir, 'case.json')) ? (JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { editions?: ('sample' | 'annotated')[] }) : {};
      for (const edition of spec.editions ?? []) {
        Object.assign(produced, buildInMemory(config, dir, { edition }).files);
      }
      expectGolden(dir, produced);
    });
  }
});

describe('the construct-* golden cases', () => {
  it('hold every block kind of the clause format', () => {
    // A new block kind needs a golden case that builds it (its sample and district editions).
    const texts = cases(ROOT)
      .filter((n) => n.startsWith('construct-') && existsSync(join(ROOT, n, 'policies')))
      .flatMap((n) => readdirSync(join(ROOT, n, 'policies')).map((f) => readFileSync(join(ROOT, n, 'policies', f), 'utf8')));
    const missing = BLOCK_KINDS.filter((kind) => !texts.some((t) => new RegExp(`^\\s*(?:- )?${kind}:`, 'm').test(t)));
    expect(missing).toEqual([]);
  });
});
