// The build, stage by stage: load → parse → validate → assemble → render.
// Writing is left to the caller (the CLI), so `check` runs the same code and
// writes nothing.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from './assemble.js';
import { checkDocument } from './check-document.js';
import type { Diagnostics } from './diagnostics.js';
import { displayPath, listPolicyFiles, loadTemplates, loadText } from './load.js';
import type { DistrictConfig, Document, Edition, Format, Library, Policy } from './model.js';
import { numberSlug } from './number.js';
import { parseYaml, spanAt } from './parse.js';
import { render, VIEW_SHAPE } from './render.js';
import { selectChoices } from './select.js';
import { compileTemplates, type FormatTemplates } from './templates.js';
import { checkPolicyNumbers, checkSharedVariables, validateConfig } from './validate-config.js';
import { validatePolicy } from './validate-policy.js';
import type { OutputFile } from './write.js';

/** The installed package: shipped policies and templates live here. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_LIBRARY = join(PACKAGE_ROOT, 'policies');
export const DEFAULT_TEMPLATES = join(PACKAGE_ROOT, 'templates');

export function loadLibrary(folder: string, cwd: string, diags: Diagnostics): Library {
  const policies = new Map<string, Policy>();
  for (const path of listPolicyFiles(folder, cwd, diags)) {
    const policy = loadPolicy(path, cwd, diags);
    if (!policy) continue;
    const prev = policies.get(policy.number);
    if (prev) {
      diags.error('duplicate-policy', `Policy ${policy.number} is defined twice in the library`, {
        file: policy.source.file.path,
        range: spanAt(policy.source, '/number'),
        related: [{ file: prev.source.file.path, range: spanAt(prev.source, '/number'), message: 'also defined here' }],
        hint: 'Keep one file per policy number.',
      });
      continue;
    }
    policies.set(policy.number, policy);
  }
  return { folder, policies };
}

export function loadPolicy(path: string, cwd: string, diags: Diagnostics): Policy | undefined {
  const file = loadText(path, displayPath(path, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  return validatePolicy(parsed, diags);
}

export function loadConfig(path: string, cwd: string, diags: Diagnostics): DistrictConfig | undefined {
  const abs = resolve(cwd, path);
  const file = loadText(abs, displayPath(abs, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  return validateConfig(parsed, { defaultLibrary: DEFAULT_LIBRARY }, diags);
}

export function loadFormatTemplates(folders: readonly string[], formats: readonly Format[], cwd: string, diags: Diagnostics): Map<Format, FormatTemplates> {
  const out = new Map<Format, FormatTemplates>();
  for (const format of formats) {
    const compiled = compileTemplates(format, loadTemplates(folders, format, cwd, diags), VIEW_SHAPE, diags);
    if (compiled) out.set(format, compiled);
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
}

export interface PlannedPolicy {
  number: string;
  document: Document;
  files: OutputFile[];
}

export interface BuildPlan {
  config: DistrictConfig;
  outDir: string;
  edition: Edition;
  policies: PlannedPolicy[];
  files: OutputFile[];
}

/** File name of one policy's output. The district edition is the plain name. */
export function outputName(number: string, edition: Edition, format: Format): string {
  return `${numberSlug(number)}${edition === 'district' ? '' : `.${edition}`}.${format}`;
}

/** Everything short of writing: the whole build in memory, with its diagnostics. */
export function planBuild(req: BuildRequest, diags: Diagnostics): BuildPlan | undefined {
  const config = loadConfig(req.config, req.cwd, diags);
  if (!config) return undefined;
  const library = loadLibrary(config.library, req.cwd, diags);
  const settings = checkPolicyNumbers(config, library, diags);
  const policies = settings.map((s) => library.policies.get(s.number)!);
  checkSharedVariables(config, policies, diags);
  checkCrossReferences(policies, library, diags);
  const edition = req.edition ?? config.edition;
  const formats = req.formats ?? config.formats;
  const allFormats = new Set<Format>(formats);
  if (!req.formats) for (const s of settings) for (const f of s.formats ?? []) allFormats.add(f);
  const templates = loadFormatTemplates([...(config.templates ? [config.templates] : []), DEFAULT_TEMPLATES], [...allFormats].sort(), req.cwd, diags);
  const outDir = req.out === undefined ? config.outFolder : resolve(req.cwd, req.out);
  const planned: PlannedPolicy[] = [];
  const files: OutputFile[] = [];
  settings.forEach((s, i) => {
    const policy = policies[i]!;
    const selections = edition === 'district' ? selectChoices(policy, s, config, { draft: req.draft ?? false }, diags) : undefined;
    const document = assemble({ policy, edition, selections, config, history: s.history, draft: req.draft ?? false }, diags);
    if (edition === 'district') checkDocument(document, policy, config, req.draft ?? false, diags);
    const out: OutputFile[] = [];
    for (const format of req.formats ?? s.formats ?? formats) {
      const t = templates.get(format);
      if (!t) continue;
      const text = render(document, t, diags);
      if (text !== undefined) out.push({ name: outputName(policy.number, edition, format), text });
    }
    planned.push({ number: policy.number, document, files: out });
    files.push(...out);
  });
  return { config, outDir, edition, policies: planned, files };
}

/** One warning per policy that cross-references policies the library does not have. */
export function checkCrossReferences(policies: readonly Policy[], library: Library, diags: Diagnostics): void {
  for (const policy of policies) {
    const missing = policy.parts.flatMap((p) => p.cf).filter((c) => !library.policies.has(c.number));
    if (missing.length === 0) continue;
    const first = missing[0]!;
    const numbers = missing.map((c) => c.number);
    diags.warn(
      'missing-cross-reference',
      missing.length === 1
        ? `Policy ${policy.number} cross-references policy ${first.number}, which is not in the library`
        : `Policy ${policy.number} cross-references ${missing.length} policies that are not in the library: ${numbers.join(', ')}`,
      {
        file: policy.source.file.path,
        range: spanAt(policy.source, `${first.pointer}/number`),
        hint: 'They are printed as plain text. Add the policies to the library, or record a deviation that removes the reference.',
        related: missing.slice(1).map((c) => ({ file: policy.source.file.path, range: spanAt(policy.source, `${c.pointer}/number`), message: `cf. ${c.number}` })),
      },
    );
  }
}
