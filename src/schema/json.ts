// JSON Schemas for editors (YAML language server) and other tools, generated
// from the zod schemas so the two can never disagree. `npm run schema`
// rewrites schema/*.json; a test fails when the checked-in files are stale.
// The package build compiles them into the validators that run first
// (scripts/gen-validators.mjs).
import type { z } from 'zod';
import { DistrictConfig } from './district.js';
import { PolicyFile } from './policy.js';
import { zod } from './zod.js';
import { LibrarySettingsFile } from './library.js';

function toJson(schema: z.ZodType, id: string): string {
  const json = zod().toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return `${JSON.stringify({ $id: id, ...json }, null, 2)}\n`;
}

export const SCHEMA_FILES = {
  'policy.schema.json': () => toJson(PolicyFile.zod(), 'https://sro-policy.invalid/schema/policy.schema.json'),
  'district.schema.json': () => toJson(DistrictConfig.zod(), 'https://sro-policy.invalid/schema/district.schema.json'),
  'library.schema.json': () => toJson(LibrarySettingsFile.zod(), 'https://sro-policy.invalid/schema/library.schema.json'),
} as const;
