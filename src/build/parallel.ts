// planBuild over worker threads: the clause files are shared out between this
// thread's shard and workers' shards, which answer the same steps.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { WORKER_SCRIPT } from '../read/package.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, Format } from '../model/model.js';
import type { ShardSettings, Step, StepReply } from './shard.js';

import type { BuildPlan, BuildRequest } from './plan.js';
import { drive, localShard, merge } from './drive.js';
import { buildSteps, prepare } from './steps.js';

/**
 * Below this many clause files per thread, a worker costs more than it saves:
 * a fresh V8 isolate loads the bundle and warms up and optimises all of its
 * code again, beside this thread's own compiler and garbage collector
 * (measurements: docs/performance.md, "One thread or two").
 */
const MIN_FILES_PER_THREAD = 750;

/** What a worker needs to set itself up like the calling thread's shard. */
export interface WorkerInit {
  settings: ShardSettings;
  config: string;
  formats?: Format[];
  incremental: boolean;
}

export type WorkerReply = { ok: true; reply: StepReply } | { ok: false; message: string };

/**
 * planBuild with the clause files split between this thread and worker
 * threads (a large manual on several cores). The same steps run on the same
 * code; the output is the same, and so are the diagnostics.
 */
export async function planBuildParallel(req: BuildRequest, diags: Diagnostics): Promise<BuildPlan | undefined> {
  const prepared = prepare(req, diags);
  if (!prepared) return undefined;
  const steps = buildSteps(req, prepared, diags);
  const first = steps.next();
  if (first.done) return first.value;
  const files = first.value.items.length;
  // A memo of a library too large to keep in memory is let go; such a library is built like any other.
  const memo = req.memo && files <= MEMO_MAX_FILES ? req.memo : undefined;
  if (req.memo && !memo) req.memo.clear();
  const local = localShard({ ...req, memo }, prepared);
  // Asked for workers: as many as asked (one file each at least). Otherwise as many as the cores allow and the manual repays.
  const threads = prepared.settings.keepDocuments || memo
    ? 1
    : req.workers !== undefined
      ? Math.min(req.workers + 1, files)
      : Math.min(availableParallelism(), Math.floor(filesToParse(first.value, prepared.config) / MIN_FILES_PER_THREAD));
  const located = (plan: BuildPlan | undefined) => (plan ? Object.assign(plan, { locate: local.locate }) : plan);
  if (threads < 2) return located(drive(steps, local, diags, first as IteratorResult<Step, BuildPlan | undefined>));

  const init: WorkerInit = { settings: prepared.settings, config: req.config, ...(req.formats ? { formats: req.formats } : {}), incremental: req.incremental !== undefined };
  // Loaded only here: most builds (below 1,500 clause files) never start a worker.
  // (require, not import(): the CLI bundle runs as a script, without an ES module loader.)
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const workers = Array.from({ length: threads - 1 }, () => new ShardWorker(Worker, init));
  try {
    // Which thread holds each clause file: shard 0 is this thread.
    const owner = new Map<string, number>();
    for (let next: IteratorResult<Step, BuildPlan | undefined> = first; ; ) {
      if (next.done) return located(next.value);
      const step = next.value;
      const groups: number[][] = Array.from({ length: threads }, () => []);
      step.items.forEach((item, i) => {
        let o = owner.get(item.path);
        if (o === undefined) owner.set(item.path, (o = Math.floor((i * threads) / step.items.length)));
        groups[o]!.push(i);
      });
      // Each shard's part goes in pieces: a worker's answers then cross over and
      // are let go of piece by piece, instead of all of a large manual at once.
      const pieces = groups.map((g) => {
        const out: Step[] = [];
        for (let k = 0; k < g.length; k += STEP_PIECE) {
          const items = g.slice(k, k + STEP_PIECE).map((i) => step.items[i]!);
          const piece = { ...step, items, ...(step.op === 'load' ? { total: g.length } : {}) } as Step;
          // The manual's titles and formats go with a shard's first piece only: sent
          // with every piece, they made the render step grow with the square of the manual.
          if (piece.op === 'render' && k > 0) delete piece.shared;
          out.push(piece);
        }
        return out;
      });
      const pending = workers.map((w, t) => Promise.all(pieces[t + 1]!.map((piece) => w.run(piece))));
      // A failed worker is reported once this thread has done its part; until then its rejection is not unhandled.
      for (const p of pending) p.catch(() => undefined);
      // This thread does its share while the workers do theirs, and takes in their answers between pieces.
      const mine: StepReply[] = [];
      for (const piece of pieces[0]!) {
        mine.push(local.run(piece));
        await new Promise((done) => setImmediate(done));
      }
      const replies = [mine, ...(await Promise.all(pending))];
      const results: unknown[] = new Array(step.items.length);
      replies.forEach((parts, t) => {
        let j = 0;
        for (const reply of parts) for (const r of merge(reply, diags)) results[groups[t]![j++]!] = r;
      });
      next = steps.next(results);
    }
  } finally {
    for (const w of workers) w.close();
  }
}

/**
 * About how many clause files the build will parse: a settled file is read and
 * hashed only, and of the files in libraries whose policies must be listed, at
 * most as many as the config lists. A worker repays its start only for parsing
 * (docs/performance.md, "One thread or two").
 */
function filesToParse(step: Step, config: DistrictConfig): number {
  if (step.op !== 'load') return step.items.length;
  let certain = 0;
  let optional = 0;
  for (const i of step.items) {
    if (i.settled) continue;
    if (i.optional) optional++;
    else certain++;
  }
  return certain + Math.min(optional, config.policies.length);
}

/**
 * Clause files build --watch keeps between builds at most (see LoadMemo):
 * about 35 kB each, so 175 MB at most. A larger library is read again on each
 * rebuild, on all cores, as by a plain build.
 */
const MEMO_MAX_FILES = 5000;

/** Items per message to or from a worker. */
const STEP_PIECE = 128;

/** One worker thread holding a shard, answering its steps in order. */
class ShardWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (r: StepReply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(Thread: typeof Worker, init: WorkerInit) {
    this.worker = new Thread(WORKER_SCRIPT, { workerData: init });
    this.worker.on('message', (m: WorkerReply) => {
      const w = this.waiting.shift();
      if (m.ok) w?.resolve(m.reply);
      else w?.reject(new Error(`in a worker thread: ${m.message}`));
    });
    const fail = (thrown: unknown) => {
      // What a worker throws crosses over as a copy, which may no longer be an Error.
      const e = thrown instanceof Error ? thrown : new Error(`in a worker thread: ${(thrown as { stack?: string; message?: string } | null)?.stack ?? (thrown as { message?: string } | null)?.message ?? String(thrown)}`);
      this.failure = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
  }

  run(step: Step): Promise<StepReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(step);
    });
  }

  close(): void {
    // Nothing left to wait for: the process may exit without it.
    this.worker.removeAllListeners('exit');
    this.worker.unref();
    void this.worker.terminate();
  }
}

/** Content of every template a build uses: a change in any of them rebuilds every page. */
