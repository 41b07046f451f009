// What a build reads besides clause files: the config and the templates.
import { resolve } from 'node:path';
import { DEFAULT_LIBRARY, PRECOMPILED_TEMPLATES } from '../read/package.js';
import { hashText } from '../model/hash.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { displayPath, loadPrecompiled, loadTemplates, loadText, type InputStamp, type SourceFile } from '../read/files.js';
import type { DistrictConfig, Format } from '../model/model.js';
import { parseYaml, type ParsedFile } from '../read/yaml.js';
import { INDEX_SHAPE, VIEW_SHAPE } from '../render/render.js';
import { compileTemplates, sourcesHash, TEMPLATE_KINDS, type FormatTemplates } from '../render/templates.js';
import { validateConfig } from '../read/config.js';
import { formatOf } from '../render/formats/registry.js';

export function loadConfig(path: string, cwd: string, diags: Diagnostics): DistrictConfig | undefined {
  return loadConfigFile(path, cwd, diags)?.config;
}

/** The config, and the parse tree its places are resolved in. */
export function loadConfigFile(path: string, cwd: string, diags: Diagnostics): { config: DistrictConfig; tree: ParsedFile } | undefined {
  const abs = resolve(cwd, path);
  const file = loadText(abs, displayPath(abs, cwd), diags);
  if (!file) return undefined;
  const parsed = parseYaml(file, diags);
  if (!parsed) return undefined;
  const config = validateConfig(parsed, { defaultLibrary: DEFAULT_LIBRARY }, diags);
  return config && { config, tree: parsed };
}

export interface LoadedTemplates {
  policy: Map<Format, FormatTemplates>;
  index: Map<Format, FormatTemplates>;
  /** Each template file as read, by absolute path: the build record's stamps. */
  inputs: Map<string, InputStamp>;
}

export function loadFormatTemplates(folders: readonly string[], formats: readonly Format[], cwd: string, diags: Diagnostics): LoadedTemplates {
  const out: LoadedTemplates = { policy: new Map(), index: new Map(), inputs: new Map() };
  const precompiled = loadPrecompiled(PRECOMPILED_TEMPLATES);
  const seen = new Map<string, SourceFile | null>();
  for (const format of formats) {
    if (!formatOf(format).templated) continue;
    for (const kind of TEMPLATE_KINDS) {
      const shape = kind === 'policy' ? VIEW_SHAPE : INDEX_SHAPE;
      const compiled = compileTemplates(format, loadTemplates(folders, format, kind, cwd, diags, seen), shape, diags, precompiled[`${format}/${kind}`]);
      if (compiled) out[kind].set(format, compiled);
    }
  }
  for (const [path, file] of seen) if (file?.stamp) out.inputs.set(path, file.stamp);
  return out;
}

export function templateFormats(config: DistrictConfig, requested: readonly Format[] | undefined): Format[] {
  const all = new Set<Format>(requested ?? config.formats);
  if (!requested) for (const s of config.policies) for (const f of s.formats ?? []) all.add(f);
  return [...all].sort();
}

/** Ask the shards for one step; the answers come back in the order of the items. */

export function templatesHash(templates: LoadedTemplates): string {
  const parts: string[] = [];
  for (const kind of TEMPLATE_KINDS) {
    for (const [format, t] of [...templates[kind]].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(kind, format, sourcesHash(t));
  }
  return hashText(...parts);
}

