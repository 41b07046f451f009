// Empties dist/ before the build (npm run build): a module moved or removed in
// src/ would otherwise stay in dist/ and in the package.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync(join(import.meta.dirname, '..', 'dist'), { recursive: true, force: true });
