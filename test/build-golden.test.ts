// Golden builds: each folder under test/fixtures/build/ is a district config
// (district.yaml) and, when it brings its own clause files, a policies/ folder.
// The district edition (and, for cases with their own policies, the sample
// edition too) must match expected/ byte for byte.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
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
