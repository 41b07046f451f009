// Driving the build's steps through a shard: each step's answers and diagnostics go back to the steps.
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { Shard, type Step, type StepReply } from './shard.js';

import type { BuildPlan, BuildRequest } from './plan.js';
import type { Prepared } from './steps.js';
import { pageStager } from '../write/write.js';

/** A shard's diagnostics join the build's; the results go back to the steps. */
export function merge(reply: StepReply, diags: Diagnostics): unknown[] {
  diags.addAll(reply.diagnostics);
  for (const [file, text] of reply.sources) if (!diags.sources.has(file)) diags.addSource(file, text);
  return reply.results;
}

export function localShard(req: BuildRequest, p: Prepared): Shard {
  return new Shard({
    ...p.settings,
    config: p.config,
    configTree: p.configTree,
    stager: pageStager,
    policyTemplates: p.templates.policy,
    ...(req.incremental ? { intact: req.incremental.intact } : {}),
    ...(req.memo ? { memo: req.memo } : {}),
  });
}

export function drive(steps: Generator<Step, BuildPlan | undefined, unknown>, shard: Shard, diags: Diagnostics, first = steps.next()): BuildPlan | undefined {
  for (let next = first; ; ) {
    if (next.done) return next.value;
    next = steps.next(merge(shard.run(next.value), diags));
  }
}
