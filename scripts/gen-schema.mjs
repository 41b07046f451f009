// Rewrites schema/*.json from the zod schemas (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILES } from '../dist/schema/json.js';

for (const [name, make] of Object.entries(SCHEMA_FILES)) {
  writeFileSync(join(import.meta.dirname, '..', 'schema', name), make());
  console.log(`wrote schema/${name}`);
}
