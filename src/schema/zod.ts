// zod, loaded on first use instead of with the commands: only a command that
// checks a file needs it.
import { createRequire } from 'node:module';
import type { z } from 'zod';

let loaded: typeof z | undefined;
export const zod = (): typeof z => (loaded ??= (createRequire(import.meta.url)('zod') as typeof import('zod')).z);

export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
