// A file sro-policy makes that must not exist yet (an imported clause file):
// created exclusively, in a folder made for it, never through a link and never
// over a file already there.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { createExclusive } from './staging.js';

/** True when written; otherwise the reason is reported. */
export function writeNewFile(target: string, text: string, shown: string, diags: Diagnostics): boolean {
  try {
    mkdirSync(dirname(target), { recursive: true });
    createExclusive(target, Buffer.from(text, 'utf8'));
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') {
      diags.error('import-exists', `${shown} already exists; it was not overwritten`, {
        file: shown,
        hint: 'Import into an empty folder (-o), or move the existing file away first.',
      });
    } else {
      diags.error('output-unwritable', `${shown} could not be written: ${(e as Error).message}`, { file: shown, hint: 'Check that the folder is writable.' });
    }
    return false;
  }
}
