// A file format: the validator generated from its JSON Schema, and the zod
// schema that explains what the validator refuses (read/schema-check.ts).
import type { z } from 'zod';

export interface FileSchema<T> {
  /** The validator generated from the JSON Schema (scripts/gen-validators.mjs): fast, but it only says yes or no. */
  accepts: (data: unknown) => boolean;
  /** The zod schema that JSON Schema was generated from: built, and zod loaded, only to explain a rejection. */
  zod: () => z.ZodType<T>;
}
