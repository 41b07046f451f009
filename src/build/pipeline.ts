// The build, stage by stage: load → parse → validate → assemble → render.
// Writing is left to the caller (the CLI), so `check` runs the same code and
// writes nothing. The work on each clause file is done by shards (shard.ts);
// what needs the whole manual (which policies are in it, duplicates, links,
// the index) is decided here, between their steps.
import { Diagnostics } from '../diagnostics/diagnostic.js';

export { loadPolicy } from '../read/clause-file.js';

import type { BuildPlan, BuildRequest } from './plan.js';
import { buildSteps, prepare } from './steps.js';
import { drive, localShard } from './drive.js';

export { DEFAULT_LIBRARY, DEFAULT_TEMPLATES, PACKAGE_ROOT, PRECOMPILED_TEMPLATES } from '../read/package.js';
export { backlinksOf } from './steps.js';
export type { BuildPlan, BuildRequest, PlannedPolicy } from './plan.js';
export { indexName, pageName } from '../render/pages.js';
export { loadLibraries, manualPolicies } from './library.js';
export { loadConfig, loadConfigFile, loadFormatTemplates, templateFormats, type LoadedTemplates } from './inputs.js';
export { planBuildParallel, type WorkerInit, type WorkerReply } from './parallel.js';

/** Everything short of writing: the whole build in memory, on this thread, with its diagnostics. */
export function planBuild(req: BuildRequest, diags: Diagnostics): BuildPlan | undefined {
  const prepared = prepare(req, diags);
  if (!prepared) return undefined;
  const shard = localShard(req, prepared);
  const plan = drive(buildSteps(req, prepared, diags), shard, diags);
  if (plan) plan.locate = shard.locate;
  return plan;
}
