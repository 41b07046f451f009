// read: a library folder's library.yaml (schema/library.ts), when it has one.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { LibrarySettings } from '../model/model.js';
import { LIBRARY_SETTINGS_FILE, LibrarySettingsFile } from '../schema/library.js';
import { displayPath, listPolicyFiles, loadText } from './files.js';
import { checkSchema } from './schema-check.js';
import { parseYaml, scanPolicyNumber } from './yaml.js';
import { ownLabels } from './policy.js';

/** The settings of the library in `folder`; undefined when it has none (or they have errors, which are reported). */
export function loadLibrarySettings(folder: string, cwd: string, diags: Diagnostics): LibrarySettings | undefined {
  const path = join(folder, LIBRARY_SETTINGS_FILE);
  if (!existsSync(path)) return undefined;
  const file = loadText(path, displayPath(path, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  const input = checkSchema(parsed, LibrarySettingsFile, diags);
  if (!input) return undefined;
  const labels = input.labels ? ownLabels(input.labels) : {};
  return {
    hash: file.stamp?.hash ?? '',
    labels,
    ...(input.markers?.length ? { markers: input.markers } : {}),
    ...(input['list-punctuation'] ? { listPunctuation: input['list-punctuation'] } : {}),
    ...(input['optional-labels'] ? { optionalLabels: input['optional-labels'] } : {}),
  };
}

/** The number each clause file of a library folder states (read by eye, not parsed), with the file as shown: for import to say which it has already. */
export function libraryNumbers(folder: string, cwd: string, diags: Diagnostics): Map<string, string> {
  const numbers = new Map<string, string>();
  for (const path of listPolicyFiles(folder, cwd, diags)) {
    const file = loadText(path, displayPath(path, cwd), diags);
    const number = file ? scanPolicyNumber(file.text) : undefined;
    if (number !== undefined) numbers.set(number, file!.path);
  }
  return numbers;
}
