// validate (district side): a parsed district config → a typed DistrictConfig,
// and each policy's settings checked against the clause file they refer to.
import { dirname, join, relative, resolve } from 'node:path';
import { checkTextValues } from './check-text.js';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { BuiltClause, DeviationSettings, DistrictConfig, Format, HistoryLine, LibraryRef, PolicySettings } from '../model/model.js';
import { pointerJoin, spanAt, type ParsedFile } from './yaml.js';
import { numberProblem } from '../model/number.js';
import { sourceRef } from '../model/source.js';
import { checkSchema } from './schema-check.js';
import { DistrictConfig as DistrictSchema, type DeviationInput, type PolicySettingsInput } from '../schema/district.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';
import { buildConfigClause, restoreNumbers } from './policy.js';
import { loadBytes } from './files.js';
import { docxStyles } from './docx-styles.js';
import { sha256 } from '../model/hash.js';

export interface ConfigOptions {
  /** Folder of the policies shipped with sro-policy, used when the config names none. */
  defaultLibrary: string;
}

export function validateConfig(parsed: ParsedFile, options: ConfigOptions, diags: Diagnostics): DistrictConfig | undefined {
  prepareConfig(parsed);
  const input = checkSchema(parsed, DistrictSchema, diags);
  if (!input) return undefined;
  checkTextValues(parsed, diags);
  const base = dirname(parsed.file.absPath);
  const variables = new Map<string, { value: string; pointer: string }>();
  for (const [k, v] of Object.entries(input.variables ?? {})) variables.set(k, { value: v, pointer: `/variables/${k}` });

  const policies: PolicySettings[] = [];
  for (const [number, s] of Object.entries(input.policies ?? {})) {
    policies.push(settingsOf(number, s, pointerJoin('/policies', number), parsed, diags));
  }
  const libFolder = (p: string) => (p === 'sro-policy' ? options.defaultLibrary : resolve(base, p));
  const libraries: LibraryRef[] = [];
  if (input.library !== undefined && input.libraries !== undefined) {
    diags.error('conflicting-keys', 'Use either "library" or "libraries", not both', {
      file: parsed.file.path,
      range: spanAt(parsed, '/libraries', 'key'),
      hint: 'Move the folder named by "library" into the "libraries" list.',
    });
  }
  if (input.libraries) {
    input.libraries.forEach((l, i) => {
      const ref = typeof l === 'string' ? { path: l } : l;
      libraries.push({ folder: libFolder(ref.path), includeAll: ref.include === 'all', pointer: `/libraries/${i}` });
    });
  } else {
    libraries.push({ folder: input.library === undefined ? options.defaultLibrary : libFolder(input.library), includeAll: false, pointer: '/library' });
  }
  const replaces = new Map<string, string>();
  (input.replaces ?? []).forEach((n, i) => replaces.set(n, `/replaces/${i}`));
  if (policies.length === 0 && !libraries.some((l) => l.includeAll)) {
    diags.error('empty-manual', 'The config does not name any policy for the manual', {
      file: parsed.file.path,
      range: spanAt(parsed, input.policies ? '/policies' : ''),
      hint: 'List policies under "policies:" (e.g. "5142.4": {}), or give a library "include: all".',
    });
  }
  const reference = input.output?.docx?.reference === undefined ? undefined : readReference(resolve(base, input.output.docx.reference), parsed, diags);
  return {
    district: input.district,
    libraries,
    replaces,
    ...(reference ? { docxReference: reference } : {}),
    sentencePerLine: input.output?.['sentence-per-line'] ?? false,
    index: input.output?.index ?? true,
    ...(input.templates === undefined ? {} : { templates: resolve(base, input.templates) }),
    outFolder: resolve(base, input.output?.folder ?? 'out'),
    formats: dedupe(input.output?.formats ?? ['md', 'html']) as Format[],
    edition: input.output?.edition ?? 'district',
    serialComma: input.style?.['serial-comma'] ?? false,
    variables,
    policies,
    file: sourceRef(parsed.file),
  };
}

/** The config's data as the schema sees it. */
export function prepareConfig(parsed: ParsedFile): void {
  // Variable values such as "911" or "2" are text, as are dates.
  // Variable values, hashes and policy numbers are text even when they look like numbers.
  restoreNumbers(parsed, (p) => /^\/(policies\/[^/]+\/)?variables\//.test(p) || /\/(sample-hash|remove-cf|replaces\/\d+)$/.test(p));
  dropEmptySections(parsed.data);
}

/**
 * A section whose entries are all commented out ("options:" followed by
 * comments only) reads as null; treat it as absent, as a clerk would expect.
 */
function dropEmptySections(data: unknown): void {
  if (data === null || typeof data !== 'object') return;
  if (Array.isArray(data)) {
    for (const v of data) dropEmptySections(v);
    return;
  }
  const o = data as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (o[k] === null && SECTIONS.has(k)) delete o[k];
    else dropEmptySections(o[k]);
  }
}

const SECTIONS = new Set(['variables', 'alternatives', 'options', 'choices', 'history', 'formats', 'output', 'style', 'policies', 'libraries', 'replaces']);

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function settingsOf(number: string, s: PolicySettingsInput, pointer: string, parsed: ParsedFile, diags: Diagnostics): PolicySettings {
  const out: PolicySettings = {
    number,
    pointer,
    alternatives: new Map(),
    options: new Map(),
    choices: new Map(),
    variables: new Map(),
    history: [],
    formats: s.formats ? (dedupe(s.formats) as Format[]) : undefined,
    deviations: (s.deviations ?? []).map((input, i) => deviationOf(input, `${pointer}/deviations/${i}`, parsed, diags)),
  };
  for (const [k, v] of Object.entries(s.alternatives ?? {})) {
    out.alternatives.set(k, { members: Array.isArray(v) ? v : [v], pointer: `${pointer}/alternatives/${k}`, list: Array.isArray(v) });
  }
  for (const [k, v] of Object.entries(s.options ?? {})) out.options.set(k, { include: v, pointer: `${pointer}/options/${k}` });
  for (const [k, v] of Object.entries(s.choices ?? {})) {
    out.choices.set(k, { values: Array.isArray(v) ? v : [v], pointer: `${pointer}/choices/${k}`, list: Array.isArray(v) });
  }
  for (const [k, v] of Object.entries(s.variables ?? {})) out.variables.set(k, { value: v, pointer: `${pointer}/variables/${k}` });
  (s.history ?? []).forEach((h, i) => {
    const ptr = `${pointer}/history/${i}`;
    const events = (['adopted', 'approved', 'revised', 'reviewed'] as const).filter((e) => h[e] !== undefined);
    if (events.length !== 1) {
      // Two dates: point at the second in the file, with the first as related.
      const keys = events.map((e) => ({ e, range: spanAt(parsed, `${ptr}/${e}`, 'key') })).sort((x, y) => x.range[0] - y.range[0]);
      diags.error('invalid-history', events.length === 0 ? 'A history line needs a date: adopted, approved, revised or reviewed' : `A history line has one date; this one has ${formatList(events, 'and')}`, {
        file: parsed.file.path,
        range: keys[1]?.range ?? spanAt(parsed, ptr),
        hint: 'Write each date as its own line, e.g. "- adopted: 2019-04-23" then "- revised: 2021-09".',
        ...(keys[1] ? { related: [{ file: parsed.file.path, range: keys[0]!.range, message: `the first date, ${keys[0]!.e}` }] } : {}),
      });
      return;
    }
    const event = events[0]!;
    const date = h[event]!;
    if (!isRealDate(date)) {
      diags.error('invalid-date', `${date} is not a date in the calendar`, {
        file: parsed.file.path,
        range: spanAt(parsed, `${ptr}/${event}`),
        hint: 'Check the day of the month.',
      });
      return;
    }
    const line: HistoryLine = { event, date, pointer: ptr };
    if (h.part !== undefined) line.part = h.part;
    out.history.push(line);
  });
  return out;
}

/**
 * A deviation, with the clause text it brings read as a clause file's is (its
 * placeholders, links and ids): the text of a replace or a lead-in, the block
 * or item of an insert. Applying it (assemble/deviations.ts) needs no parse tree.
 */
function deviationOf(input: DeviationInput, pointer: string, parsed: ParsedFile, diags: Diagnostics): DeviationSettings {
  let built: BuiltClause | undefined;
  if ((input.replace !== undefined || input['lead-in'] !== undefined) && input.text !== undefined && input.text !== '') {
    built = buildConfigClause(parsed, { item: { id: input.replace ?? input['lead-in']!, text: input.text } }, pointer, diags);
  } else if ((input['insert-before'] !== undefined || input['insert-after'] !== undefined) && (input.block !== undefined || input.item !== undefined)) {
    built = buildConfigClause(parsed, { ...(input.block ? { block: input.block } : {}), ...(input.item ? { item: input.item } : {}) }, pointer, diags);
  }
  return { input, pointer, ...(built ? { built } : {}) };
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number?];
  if (d === undefined) return m >= 1 && m <= 12;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Report config entries that name policies the library does not have. */
export function checkPolicyNumbers(
  config: DistrictConfig,
  library: { policies: ReadonlyMap<string, unknown>; broken?: ReadonlySet<string> },
  diags: Diagnostics,
): PolicySettings[] {
  const found: PolicySettings[] = [];
  const numbers = [...library.policies.keys()];
  for (const s of config.policies) {
    if (library.policies.has(s.number)) {
      found.push(s);
      continue;
    }
    if (library.broken?.has(s.number)) continue;
    const problem = numberProblem(s.number);
    if (problem) {
      diags.error('invalid-number', `Policy number ${JSON.stringify(s.number)} ${problem}`, {
        file: config.file.path,
        at: { pointer: s.pointer, part: 'key' },
        hint: 'A policy number is printed text such as "5142.4", "5132R" or "2:90".',
      });
      continue;
    }
    const guess = didYouMean(s.number, numbers);
    diags.error('unknown-policy', `The library has no policy ${s.number}`, {
      file: config.file.path,
      at: { pointer: s.pointer, part: 'key' },
      expected: numbers.length ? formatList(numbers, 'or') : 'a policy in the library folder',
      actual: s.number,
      hint: guess ? `Did you mean "${guess}"?` : `Add policies/${s.number}.yaml to the library, or remove this entry.`,
    });
  }
  return found;
}

/** Shared variables no policy of the manual declares are probably misspelt. */
export function checkSharedVariables(config: DistrictConfig, variables: readonly (readonly string[])[], diags: Diagnostics): void {
  const declared = new Set<string>(['district-name', 'board-name', 'town', 'state']);
  for (const names of variables) for (const v of names) declared.add(v);
  for (const [id, v] of config.variables) {
    if (declared.has(id)) continue;
    const guess = didYouMean(id, declared);
    diags.warn('unknown-variable', `No policy in the manual uses a variable "${id}"`, {
      file: config.file.path,
      at: { pointer: v.pointer, part: 'key' },
      expected: formatList([...declared].sort(), 'or'),
      actual: id,
      hint: guess ? `Did you mean "${guess}"?` : 'Remove it, or check the variable names in "sro-policy explain <number>".',
    });
  }
}

/** output.docx.reference: the styles part of a district's Word file; reported (at the setting) when it is not a Word file. */
function readReference(absPath: string, parsed: ParsedFile, diags: Diagnostics): DistrictConfig['docxReference'] {
  // Shown as the config is: from where the command runs.
  const shown = join(dirname(parsed.file.path), relative(dirname(parsed.file.absPath), absPath));
  const read = loadBytes(absPath, shown, diags, 'docx');
  if (!read) return undefined;
  const styles = docxStyles(read.bytes);
  if (styles === undefined) {
    diags.error('not-text', `${shown} is not a Word document with styles (output.docx.reference)`, {
      file: parsed.file.path,
      range: spanAt(parsed, '/output/docx/reference'),
      hint: 'Name a .docx file saved by Word (or LibreOffice) whose styles the Word pages should use.',
    });
    return undefined;
  }
  return { absPath, path: shown, styles, hash: sha256(read.bytes) };
}
