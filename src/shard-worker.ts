// A worker thread of a large build: it reads the config and the templates as
// the calling thread did, then answers shard steps (shard.ts) for the clause
// files it is given. Its own diagnostics about the config and templates are
// dropped: the calling thread has reported them already.
import { parentPort, workerData } from 'node:worker_threads';
import { Diagnostics } from './diagnostics.js';
import { loadConfig, loadFormatTemplates, DEFAULT_TEMPLATES, templateFormats, type WorkerInit, type WorkerReply } from './pipeline.js';
import { Shard, type RenderedPolicy, type Step } from './shard.js';
import { outputsIntact } from './write.js';

const init = workerData as WorkerInit;
const port = parentPort!;
let shard: Shard | undefined;
let setupError: string | undefined;
try {
  const ignored = new Diagnostics();
  const config = loadConfig(init.config, init.settings.cwd, ignored);
  if (!config) throw new Error(`cannot read ${init.config} again`);
  const templates = loadFormatTemplates([...(config.templates ? [config.templates] : []), DEFAULT_TEMPLATES], templateFormats(config, init.formats), init.settings.cwd, ignored);
  shard = new Shard({ ...init.settings, config, policyTemplates: templates.policy, ...(init.incremental ? { intact: outputsIntact } : {}) });
} catch (e) {
  setupError = e instanceof Error ? (e.stack ?? e.message) : String(e);
}

port.on('message', (step: Step) => {
  let reply: WorkerReply;
  // Lock entries are handed over, not copied.
  let transfer: ArrayBuffer[] = [];
  try {
    if (!shard) throw new Error(setupError);
    reply = { ok: true, reply: shard.run(step) };
    if (step.op === 'render') transfer = (reply.reply.results as RenderedPolicy[]).map((r) => r.lock.buffer as ArrayBuffer);
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply, transfer);
});
