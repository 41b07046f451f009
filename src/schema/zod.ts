// zod, loaded on first use: a build whose files all pass the validators
// generated from the JSON Schemas never needs it (src/schema-check.ts).
import { createRequire } from 'node:module';
import type { z } from 'zod';

let loaded: typeof z | undefined;
export const zod = (): typeof z => (loaded ??= (createRequire(import.meta.url)('zod') as typeof import('zod')).z);

export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
