// The build, stage by stage: load → parse → validate → assemble → render.
// Writing is left to the caller (the CLI), so `check` runs the same code and
// writes nothing.
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from './assemble.js';
import { checkDocument } from './check-document.js';
import { applyDeviations } from './deviations.js';
import { lockPolicy, type LockedPolicy } from './lock.js';
import { unitsOf } from './redline.js';
import { displayPath, listPolicyFiles, loadPrecompiled, loadTemplates, loadText } from './load.js';
import { manualJson } from './manual-json.js';
import type { CrossReference, DistrictConfig, Document, Edition, Format, Library, Policy, PolicySettings } from './model.js';
import { comparePolicyNumbers, numberSlug } from './number.js';
import { parseYaml, spanAt } from './parse.js';
import { emptyCache, hashText, type BuildCache } from './cache.js';
import { Diagnostics } from './diagnostics.js';
import { indexEntry, INDEX_SHAPE, render, renderIndex, VIEW_SHAPE, type IndexEntry, type RenderContext } from './render.js';
import { selectChoices } from './select.js';
import { compileTemplates, TEMPLATE_KINDS, type FormatTemplates } from './templates.js';
import { checkPolicyNumbers, checkSharedVariables, validateConfig } from './validate-config.js';
import { validatePolicy } from './validate-policy.js';
import { sha256, type OutputFile } from './write.js';

/** The installed package: shipped policies and templates live here. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_LIBRARY = join(PACKAGE_ROOT, 'policies');
export const DEFAULT_TEMPLATES = join(PACKAGE_ROOT, 'templates');
/** Written by scripts/precompile-templates.mjs when the package is built. */
export const PRECOMPILED_TEMPLATES = join(PACKAGE_ROOT, 'dist', 'templates.precompiled.json');

/**
 * Read every library of the config, in order. A number defined by two
 * libraries is an error unless the config says the later one replaces it.
 */
export function loadLibraries(
  config: Pick<DistrictConfig, 'libraries' | 'replaces'> & { source?: DistrictConfig['source'] },
  cwd: string,
  diags: Diagnostics,
): Library {
  const policies = new Map<string, Policy>();
  const origin = new Map<string, string>();
  const broken = new Set<string>();
  for (const ref of config.libraries) {
    const local = new Map<string, Policy>();
    for (const path of listPolicyFiles(ref.folder, cwd, diags)) {
      const policy = loadPolicy(path, cwd, diags, broken);
      if (!policy) continue;
      const same = local.get(policy.number);
      if (same) {
        diags.error('duplicate-policy', `Policy ${policy.number} is defined twice in the library ${displayPath(ref.folder, cwd)}`, {
          file: policy.source.file.path,
          range: spanAt(policy.source, '/number'),
          related: [{ file: same.source.file.path, range: spanAt(same.source, '/number'), message: 'also defined here' }],
          hint: 'Keep one file per policy number.',
        });
        continue;
      }
      local.set(policy.number, policy);
      const earlier = policies.get(policy.number);
      if (earlier && !config.replaces.has(policy.number)) {
        diags.error('duplicate-policy', `Policy ${policy.number} is in two libraries`, {
          file: policy.source.file.path,
          range: spanAt(policy.source, '/number'),
          related: [{ file: earlier.source.file.path, range: spanAt(earlier.source, '/number'), message: 'also defined here' }],
          hint: `If the district's own policy ${policy.number} replaces the publisher's, add "replaces: ["${policy.number}"]" to the config; otherwise renumber it.`,
        });
        continue;
      }
      policies.set(policy.number, policy);
      origin.set(policy.number, ref.folder);
    }
  }
  for (const [number, pointer] of config.replaces) {
    if (!policies.has(number) && config.source) {
      diags.warn('unknown-policy', `"replaces" names policy ${number}, which no library has`, {
        file: config.source.file.path,
        range: spanAt(config.source, pointer),
      });
    }
  }
  return { folders: config.libraries.map((l) => l.folder), policies, origin, broken };
}

export function loadPolicy(path: string, cwd: string, diags: Diagnostics, broken?: Set<string>): Policy | undefined {
  const file = loadText(path, displayPath(path, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  const policy = validatePolicy(parsed, diags);
  // A clause file with errors still says which policy it is: the config's entry
  // for it is then not "unknown", only blocked by those errors.
  const number = (parsed.data as { number?: unknown } | null)?.number;
  if (!policy && broken && (typeof number === 'string' || typeof number === 'number')) broken.add(parsed.raw.get('/number') ?? String(number));
  return policy;
}

export function loadConfig(path: string, cwd: string, diags: Diagnostics): DistrictConfig | undefined {
  const abs = resolve(cwd, path);
  const file = loadText(abs, displayPath(abs, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  return validateConfig(parsed, { defaultLibrary: DEFAULT_LIBRARY }, diags);
}

export interface LoadedTemplates {
  policy: Map<Format, FormatTemplates>;
  index: Map<Format, FormatTemplates>;
}

export function loadFormatTemplates(folders: readonly string[], formats: readonly Format[], cwd: string, diags: Diagnostics): LoadedTemplates {
  const out: LoadedTemplates = { policy: new Map(), index: new Map() };
  const precompiled = loadPrecompiled(PRECOMPILED_TEMPLATES);
  const seen = new Map<string, string>();
  for (const format of formats) {
    if (format === 'json') continue;
    for (const kind of TEMPLATE_KINDS) {
      const shape = kind === 'policy' ? VIEW_SHAPE : INDEX_SHAPE;
      const compiled = compileTemplates(format, loadTemplates(folders, format, kind, cwd, diags, seen), shape, diags, precompiled[`${format}/${kind}`]);
      if (compiled) out[kind].set(format, compiled);
    }
  }
  return out;
}

export interface BuildRequest {
  config: string;
  cwd: string;
  out?: string;
  formats?: Format[];
  edition?: Edition;
  draft?: boolean;
  /**
   * Incremental builds: the cache of the last build and a check that its pages
   * are still on disk as written. Policies whose inputs are unchanged are then
   * not assembled or rendered again.
   */
  /**
   * Keep each assembled document in the plan (diff, outdated, the JSON export and
   * tests read them). A plain build lets them go once rendered: a large manual
   * then holds only its pages in memory.
   */
  keepDocuments?: boolean;
  incremental?: {
    version: string;
    read: (outDir: string) => BuildCache;
    intact: (outDir: string, files: readonly { name: string; hash: string }[]) => boolean;
  };
}

export interface PlannedPolicy {
  number: string;
  /** Undefined when the pages came from the build cache. */
  document?: Document;
  files: OutputFile[];
  /** What the lock file records for this policy (library text, choice points, deviation hashes). */
  lock: LockedPolicy;
  /** Clause keys (block:, item:, lead-in:) the assembled edition shows. */
  used: Set<string>;
  index: IndexEntry;
}

export interface BuildPlan {
  config: DistrictConfig;
  library: Library;
  outDir: string;
  edition: Edition;
  policies: PlannedPolicy[];
  files: OutputFile[];
  /** The cache for the next build (incremental builds only). */
  cache?: BuildCache;
  /** Policies assembled and rendered in this build (the rest came from the cache). */
  rendered: number;
}

/** File name of one policy's output. The district edition is the plain name. */
export function outputName(number: string, edition: Edition, format: Format | 'diff.md' | 'diff.html'): string {
  return `${numberSlug(number)}${edition === 'district' ? '' : `.${edition}`}.${format}`;
}

export function indexName(edition: Edition, format: Format): string {
  return `index${edition === 'district' ? '' : `.${edition}`}.${format}`;
}

/** The manual: listed policies plus every policy of "include: all" libraries, in number order. */
export function manualPolicies(config: DistrictConfig, library: Library, diags: Diagnostics): { policy: Policy; settings?: PolicySettings }[] {
  const listed = checkPolicyNumbers(config, library, diags);
  const byNumber = new Map(listed.map((s) => [s.number, s]));
  const numbers = new Set(byNumber.keys());
  for (const ref of config.libraries) {
    if (!ref.includeAll) continue;
    for (const [n, folder] of library.origin) if (folder === ref.folder) numbers.add(n);
  }
  return [...numbers].sort(comparePolicyNumbers).map((n) => {
    const settings = byNumber.get(n);
    return settings ? { policy: library.policies.get(n)!, settings } : { policy: library.policies.get(n)! };
  });
}

/** Everything short of writing: the whole build in memory, with its diagnostics. */
export function planBuild(req: BuildRequest, diags: Diagnostics): BuildPlan | undefined {
  const config = loadConfig(req.config, req.cwd, diags);
  if (!config) return undefined;
  const library = loadLibraries(config, req.cwd, diags);
  const manual = manualPolicies(config, library, diags);
  const policies = manual.map((m) => m.policy);
  checkSharedVariables(config, policies, diags);
  const edition = req.edition ?? config.edition;
  const formats = req.formats ?? config.formats;
  const allFormats = new Set<Format>(formats);
  if (!req.formats) for (const m of manual) for (const f of m.settings?.formats ?? []) allFormats.add(f);
  const templates = loadFormatTemplates([...(config.templates ? [config.templates] : []), DEFAULT_TEMPLATES], [...allFormats].sort(), req.cwd, diags);
  const outDir = req.out === undefined ? config.outFolder : resolve(req.cwd, req.out);
  // Deviations first: a district's added or removed cross-references decide the links.
  // The sample edition is the publisher's text, so they do not apply to it; its
  // settings are still checked, so `check --edition sample` catches the same mistakes.
  const adopted = manual.map(({ policy: sample, settings }) => {
    const deviated = applyDeviations(sample, settings, config, diags);
    return { sample, settings, deviated: edition === 'sample' ? undefined : deviated };
  });
  const links = linkManual(
    adopted.map((a) => a.deviated?.policy ?? a.sample),
    diags,
  );
  const formatsOf = new Map(manual.map((m) => [m.policy.number, req.formats ?? m.settings?.formats ?? formats]));
  const writeIndex = config.index;
  const planned: PlannedPolicy[] = [];
  const files: OutputFile[] = [];
  // The JSON export needs every assembled document, so it always builds everything.
  const incremental = req.incremental && !formats.includes('json') ? { ...req.incremental, cache: req.incremental.read(outDir) } : undefined;
  const nextCache = req.incremental ? emptyCache(req.incremental.version) : undefined;
  const buildKey = incremental
    ? hashText(incremental.version, config.source.file.text, templatesHash(templates), edition, String(req.draft ?? false), String(writeIndex), String(config.sentencePerLine))
    : '';
  let rendered = 0;
  for (const { sample, settings, deviated } of adopted) {
    const policy = deviated?.policy ?? sample;
    const selections = selectChoices(policy, settings, config, { draft: req.draft ?? false }, diags);
    const libraryName = library.origin.get(sample.number) === DEFAULT_LIBRARY ? 'sro-policy' : relative(dirname(config.source.file.absPath), library.origin.get(sample.number) ?? '') || '.';
    const myFormats = formatsOf.get(policy.number)!;
    let key = '';
    if (incremental) {
      // Everything this policy's pages depend on besides the config and templates:
      // its clause file, and the titles and formats of the pages it links to and from.
      const linksOut = policy.parts.flatMap((p) => p.cf).map((c) => [c.number, c.title, links.titles.get(c.number) ?? null, formatsOf.get(c.number) ?? null]);
      key = hashText(buildKey, sample.source.file.text, libraryName, JSON.stringify(myFormats), JSON.stringify(linksOut), JSON.stringify(links.backlinks.get(policy.number) ?? []));
      const cached = incremental.cache.policies[policy.number];
      if (cached && cached.key === key && incremental.intact(outDir, cached.files)) {
        diags.addAll(cached.diagnostics);
        const out = cached.files.map((f) => ({ name: f.name, text: '', cachedHash: f.hash }));
        planned.push({ number: policy.number, files: out, lock: cached.lock, used: new Set(cached.used), index: cached.index });
        files.push(...out);
        nextCache!.policies[policy.number] = cached;
        continue;
      }
    }
    rendered++;
    const local = new Diagnostics();
    const document = assemble(
      {
        policy,
        edition,
        ...(edition === 'sample' ? {} : { selections }),
        config,
        history: settings?.history ?? [],
        draft: req.draft ?? false,
        ...(deviated ? { notes: deviated.notes, general: deviated.general } : {}),
      },
      local,
    );
    if (edition !== 'sample') checkDocument(document, policy, config, settings, req.draft ?? false, local);
    const out: OutputFile[] = [];
    for (const format of myFormats) {
      const t = templates.policy.get(format);
      if (!t) continue;
      const context: RenderContext = {
        // A link only to pages that exist: the target must be in the manual and written in this format.
        link: (n) => (links.titles.has(n) && formatsOf.get(n)?.includes(format) ? outputName(n, edition, format) : undefined),
        referencedBy: links.backlinks.get(policy.number) ?? [],
        index: writeIndex ? indexName(edition, format) : undefined,
        sentencePerLine: config.sentencePerLine,
      };
      const text = render(document, t, context, local);
      if (text !== undefined) out.push({ name: outputName(policy.number, edition, format), text });
    }
    diags.addAll(local.items);
    const lock = lockPolicy(sample, libraryName, deviated?.applied ?? []);
    const used = new Set(unitsOf(document).map((u) => u.key).filter((k) => /^(block|item|lead-in):/.test(k)));
    const index = indexEntry(document);
    const keep = req.keepDocuments !== false || formats.includes('json');
    planned.push({ number: policy.number, ...(keep ? { document } : {}), files: out, lock, used, index });
    files.push(...out);
    if (nextCache && !local.hasErrors()) {
      nextCache.policies[policy.number] = { key, files: out.map((f) => ({ name: f.name, hash: sha256(f.text) })), diagnostics: local.items, index, lock, used: [...used] };
    }
  }
  if (writeIndex) {
    for (const format of formats) {
      const t = templates.index.get(format);
      if (!t) continue;
      const text = renderIndex(planned.map((p) => p.index), t, { link: (n) => (formatsOf.get(n)?.includes(format) ? outputName(n, edition, format) : null), edition, config }, diags);
      if (text !== undefined) files.push({ name: indexName(edition, format), text });
    }
  }
  if (formats.includes('json')) {
    files.push({ name: `manual${edition === 'district' ? '' : `.${edition}`}.json`, text: manualJson(planned, config, edition) });
  }
  return { config, library, outDir, edition, policies: planned, files, ...(nextCache ? { cache: nextCache } : {}), rendered };
}

/** Content of every template a build uses: a change in any of them rebuilds every page. */
function templatesHash(templates: LoadedTemplates): string {
  const parts: string[] = [];
  for (const kind of TEMPLATE_KINDS) {
    for (const [format, t] of [...templates[kind]].sort(([a], [b]) => (a < b ? -1 : 1))) {
      parts.push(kind, format, t.main.text);
      for (const [name, p] of [...t.partials].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(name, p.text);
    }
  }
  return hashText(...parts);
}

export interface ManualLinks {
  titles: Map<string, string>;
  /** Policy number → the policies of the manual that cite it, in number order. */
  backlinks: Map<string, { number: string; title: string }[]>;
}

/**
 * Resolve cross-references inside the manual: targets present become links,
 * targets missing are reported once per citing policy, titles that differ
 * from the target's own title are reported. Linear in the number of references.
 */
export function linkManual(policies: readonly Policy[], diags: Diagnostics): ManualLinks {
  const titles = new Map(policies.map((p) => [p.number, p.title]));
  const backlinks = new Map<string, { number: string; title: string }[]>();
  for (const policy of policies) {
    const missing: CrossReference[] = [];
    const cited = new Set<string>();
    for (const part of policy.parts) {
      for (const c of part.cf) {
        const title = titles.get(c.number);
        if (title === undefined) {
          missing.push(c);
          continue;
        }
        if (title !== c.title) {
          diags.warn('cross-reference-title', `Policy ${policy.number} cites ${c.number} as "${c.title}", but its title is "${title}"`, {
            file: policy.source.file.path,
            range: spanAt(policy.source, `${c.pointer}/title`),
            expected: title,
            actual: c.title,
            hint: 'One of the two titles is out of date; correct the cross-reference (a recorded deviation for a publisher\'s policy) or the policy title.',
          });
        }
        if (cited.has(c.number) || c.number === policy.number) continue;
        cited.add(c.number);
        let list = backlinks.get(c.number);
        if (!list) backlinks.set(c.number, (list = []));
        list.push({ number: policy.number, title: policy.title });
      }
    }
    if (missing.length) reportMissing(policy, missing, diags);
  }
  for (const list of backlinks.values()) list.sort((a, b) => comparePolicyNumbers(a.number, b.number));
  return { titles, backlinks };
}

function reportMissing(policy: Policy, missing: CrossReference[], diags: Diagnostics): void {
  const first = missing[0]!;
  const numbers = missing.map((c) => c.number);
  diags.warn(
    'missing-cross-reference',
    missing.length === 1
      ? `Policy ${policy.number} cross-references policy ${first.number}, which is not in the manual`
      : `Policy ${policy.number} cross-references ${missing.length} policies that are not in the manual: ${numbers.join(', ')}`,
    {
      file: policy.source.file.path,
      range: spanAt(policy.source, `${first.pointer}/number`),
      hint: 'They are printed as plain text, without a link. Add the policies to the manual, or record a deviation that removes the reference.',
      related: missing.slice(1).map((c) => ({ file: policy.source.file.path, range: spanAt(policy.source, `${c.pointer}/number`), message: `cf. ${c.number}` })),
    },
  );
}
