// Which clause file is each policy of the manual: libraries in order, duplicates,
// "replaces", the manual's numbers, and page names that would collide.
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { displayPath, listPolicyFiles } from '../read/files.js';
import type { DistrictConfig, Edition, Format, Library, Policy, PolicySettings } from '../model/model.js';
import { comparePolicyNumbers, numberSlug } from '../model/number.js';
import { spanAt, type ParsedFile, type Range } from '../read/yaml.js';
import { checkPolicyNumbers } from '../read/config.js';
import { formatOf } from '../render/formats/registry.js';
import { writesPages } from '../render/render.js';

import { loadPolicy, type LoadedPolicy } from '../read/clause-file.js';

import { indexName } from '../render/pages.js';

// ---------------------------------------------------------------- libraries

export interface LibraryEntry {
  number: string;
  path: string;
  folder: string;
}

export interface Duplicate {
  entry: LibraryEntry;
  other: LibraryEntry;
  /** Twice in one library folder (rather than in two libraries without "replaces"). */
  within: boolean;
}

/**
 * Which clause file is each policy, library by library in order. A number
 * defined by two libraries is an error unless the config says the later one
 * replaces it; duplicates are returned, to be reported with their positions.
 */
export function collectLibrary(config: Pick<DistrictConfig, 'libraries' | 'replaces'>, files: readonly (readonly (LibraryEntry | undefined)[])[]) {
  const entries = new Map<string, LibraryEntry>();
  const duplicates: Duplicate[] = [];
  for (const list of files) {
    const local = new Map<string, LibraryEntry>();
    for (const entry of list) {
      if (!entry) continue;
      const same = local.get(entry.number);
      if (same) {
        duplicates.push({ entry, other: same, within: true });
        continue;
      }
      local.set(entry.number, entry);
      const earlier = entries.get(entry.number);
      if (earlier && !config.replaces.has(entry.number)) {
        duplicates.push({ entry, other: earlier, within: false });
        continue;
      }
      entries.set(entry.number, entry);
    }
  }
  return { entries, duplicates };
}

export function reportDuplicates(duplicates: readonly Duplicate[], cwd: string, span: (e: LibraryEntry) => Range, diags: Diagnostics): void {
  for (const { entry, other, within } of duplicates) {
    const init = {
      file: displayPath(entry.path, cwd),
      range: span(entry),
      related: [{ file: displayPath(other.path, cwd), range: span(other), message: 'also defined here' }],
    };
    if (within) {
      diags.error('duplicate-policy', `Policy ${entry.number} is defined twice in the library ${displayPath(entry.folder, cwd)}`, {
        ...init,
        hint: 'Keep one file per policy number.',
      });
    } else {
      diags.error('duplicate-policy', `Policy ${entry.number} is in two libraries`, {
        ...init,
        hint: `If the district's own policy ${entry.number} replaces the publisher's, add "replaces: ["${entry.number}"]" to the config; otherwise renumber it.`,
      });
    }
  }
}

export function reportUnknownReplaces(config: Pick<DistrictConfig, 'replaces'> & { file?: DistrictConfig['file'] }, has: (n: string) => boolean, diags: Diagnostics): void {
  for (const [number, pointer] of config.replaces) {
    if (!has(number) && config.file) {
      diags.warn('unknown-policy', `"replaces" names policy ${number}, which no library has`, {
        file: config.file.path,
        at: { pointer },
      });
    }
  }
}

/**
 * Read every library of the config, in order, into whole policies on this
 * thread (list, explain, refs and init work on the library itself).
 */
export function loadLibraries(
  config: Pick<DistrictConfig, 'libraries' | 'replaces'> & { file?: DistrictConfig['file'] },
  cwd: string,
  diags: Diagnostics,
): Library {
  const broken = new Set<string>();
  const byPath = new Map<string, LoadedPolicy>();
  const files = config.libraries.map((ref) =>
    listPolicyFiles(ref.folder, cwd, diags).map((path) => {
      const loaded = loadPolicy(path, cwd, diags, broken);
      if (!loaded) return undefined;
      byPath.set(path, loaded);
      return { number: loaded.policy.number, path, folder: ref.folder };
    }),
  );
  const { entries, duplicates } = collectLibrary(config, files);
  reportDuplicates(duplicates, cwd, (e) => spanAt(byPath.get(e.path)!.parsed, '/number'), diags);
  reportUnknownReplaces(config, (n) => entries.has(n), diags);
  const policies = new Map<string, Policy>();
  const origin = new Map<string, string>();
  for (const [n, e] of entries) {
    policies.set(n, byPath.get(e.path)!.policy);
    origin.set(n, e.folder);
  }
  return { folders: config.libraries.map((l) => l.folder), policies, origin, broken };
}

export function manualPolicies(config: DistrictConfig, library: Library, diags: Diagnostics): { policy: Policy; settings?: PolicySettings }[] {
  return manualNumbers(config, library, diags).map(({ number, settings }) => ({ policy: library.policies.get(number)!, ...(settings ? { settings } : {}) }));
}

export function manualNumbers(
  config: DistrictConfig,
  library: { policies: ReadonlyMap<string, unknown>; origin: ReadonlyMap<string, string>; broken?: ReadonlySet<string> },
  diags: Diagnostics,
): { number: string; settings?: PolicySettings }[] {
  const listed = checkPolicyNumbers(config, library, diags);
  const byNumber = new Map(listed.map((s) => [s.number, s]));
  const numbers = new Set(byNumber.keys());
  for (const ref of config.libraries) {
    if (!ref.includeAll) continue;
    for (const [n, folder] of library.origin) if (folder === ref.folder) numbers.add(n);
  }
  return [...numbers].sort(comparePolicyNumbers).map((number) => {
    const settings = byNumber.get(number);
    return settings ? { number, settings } : { number };
  });
}

/**
 * Policy numbers that differ only in characters a file name cannot hold ("2:90"
 * and "2-90") would get the same pages. Reported here, where the config's
 * entries are known, rather than when writing finds two pages with one name.
 */
export function reportPageCollisions(
  manual: readonly { number: string; settings?: PolicySettings }[],
  config: DistrictConfig,
  configTree: ParsedFile,
  clauseFile: (n: string) => string,
  reserved: ReadonlyMap<string, string>,
  diags: Diagnostics,
): void {
  const bySlug = new Map<string, { number: string; settings?: PolicySettings }>();
  const where = (m: { number: string; settings?: PolicySettings }) =>
    m.settings ? { file: config.file.path, range: spanAt(configTree, m.settings.pointer, 'key') } : { file: clauseFile(m.number) };
  for (const m of manual) {
    const slug = numberSlug(m.number);
    // A page of the manual itself (the index, the JSON export) has that name already.
    const page = reserved.get(slug);
    if (page) {
      diags.error('output-collision', `Policy ${m.number} would be written to ${page}, where the manual's ${slug === 'index' ? 'index' : 'export'} goes`, {
        ...where(m),
        hint: slug === 'index' ? 'Give the policy another number, or set "output.index: false" if the manual needs no index page.' : 'Give the policy another number, or leave that format out of the formats.',
      });
      continue;
    }
    const first = bySlug.get(slug);
    if (!first) {
      bySlug.set(slug, m);
      continue;
    }
    // Point at the later of the two in the config, as for a duplicate.
    const [a, b] = [where(first), where(m)];
    const [earlier, later] = a.range && b.range && b.range[0] < a.range[0] ? [{ at: b, n: m.number }, { at: a, n: first.number }] : [{ at: a, n: first.number }, { at: b, n: m.number }];
    diags.error('output-collision', `Policies ${earlier.n} and ${later.n} would get the same file name, ${slug}`, {
      ...later.at,
      hint: 'Policy numbers that differ only in punctuation get the same file name; give one of them a different number.',
      related: [{ ...earlier.at, message: `policy ${earlier.n}` }],
    });
  }
}

/** Slugs of the pages the manual writes besides its policies' pages (see indexName and the JSON export), with the file name. */
export function reservedSlugs(config: DistrictConfig, edition: Edition, formats: readonly Format[]): Map<string, string> {
  const out = new Map<string, string>();
  const index = config.index ? formats.filter(writesPages).map((f) => indexName(edition, f)) : [];
  if (index.length) out.set('index', index.join(' and '));
  for (const f of formats) {
    const manual = formatOf(f).manual;
    if (manual) out.set(manual.name(edition).split('.')[0]!, manual.name(edition));
  }
  return out;
}

