import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import type { Edition, Format } from '../src/model/model.js';
import { planBuild } from '../src/build/pipeline.js';
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
  for (const f of plan.files) files[f.name] = f.text;
  return { files, diags };
}
