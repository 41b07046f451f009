// A clause file from disk to a validated Policy, with its parse tree beside it
// (the model holds none: see trees.ts).
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { endsContinued } from '../model/lists.js';
import type { Policy } from '../model/model.js';
import type { SourceFile } from '../model/source.js';
import { displayPath, loadText } from './files.js';
import { validatePolicy } from './policy.js';
import { parseYaml, spanAt, type ParsedFile } from './yaml.js';
import { walkParts } from '../model/walk.js';

/** A policy as read, and the parse tree its places are resolved in. */
export interface LoadedPolicy {
  policy: Policy;
  parsed: ParsedFile;
}

export function loadPolicy(path: string, cwd: string, diags: Diagnostics, broken?: Set<string>): LoadedPolicy | undefined {
  const file = loadText(path, displayPath(path, cwd), diags);
  return file ? parseAndValidate(file, diags, broken) : undefined;
}

export function parseAndValidate(file: SourceFile, diags: Diagnostics, broken?: Set<string>): LoadedPolicy | undefined {
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  const policy = validatePolicy(parsed, diags);
  // A clause file with errors still says which policy it is: the config's entry
  // for it is then not "unknown", only blocked by those errors.
  const number = (parsed.data as { number?: unknown } | null)?.number;
  if (!policy && broken && (typeof number === 'string' || typeof number === 'number')) broken.add(parsed.raw.get('/number') ?? String(number));
  return policy ? { policy, parsed } : undefined;
}

/**
 * Lets go of a policy's parse trees once it is validated (about 60 kB a file),
 * first noting on the model where each cross-reference's number and title are,
 * and the text of each list item that ends as a middle item does: a missing or
 * retitled target is the most common warning, and finding it again would mean
 * parsing the file again.
 */
export function releasePositions({ policy, parsed }: LoadedPolicy): void {
  walkParts(policy.parts, {
    item: (it) => {
      if (endsContinued(it.text)) it.textAt = spanAt(parsed, `${it.pointer}/text`);
    },
  });
  for (const part of policy.parts) {
    for (const c of part.cf) c.at = { number: spanAt(parsed, `${c.pointer}/number`), title: spanAt(parsed, `${c.pointer}/title`) };
  }
  parsed.release?.();
}
