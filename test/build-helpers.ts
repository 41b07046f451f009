import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import type { Edition, Format } from '../src/model/model.js';
import { planBuild } from '../src/build/pipeline.js';
import type { OutputFile } from '../src/write/write.js';
import { formatText } from '../src/diagnostics/reporters.js';

export interface InMemoryBuild {
  files: Record<string, string>;
  diags: Diagnostics;
}

/** Run the whole pipeline short of writing; fail loudly with the diagnostics text when it errors. */
export function buildInMemory(config: string, cwd: string, opts: { edition?: Edition; formats?: Format[]; draft?: boolean } = {}): InMemoryBuild {
  const diags = new Diagnostics();
  const plan = planBuild({ config, cwd, ...opts }, diags);
  if (!plan || diags.hasErrors()) {
    throw new Error(`build of ${config} failed:\n${formatText(diags.items, diags.sources, { color: false })}`);
  }
  const files: Record<string, string> = {};
  for (const f of plan.files) files[f.name] = pageText(f);
  return { files, diags };
}

/** A page's text, or what stands for it: the hash the cache vouched for, or "" when it was not kept. */
export function pageText(f: OutputFile): string {
  return f.kind === 'content' ? String(f.content) : f.kind === 'dropped' ? '' : f.hash;
}
