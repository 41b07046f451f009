// A worker thread of a large build: it answers shard steps (shard.ts) for the
// clause files it is given, and reads the config and the templates as the
// calling thread did. Its own diagnostics about the config and templates are
// dropped: the calling thread has reported them already.
import { parentPort, workerData } from 'node:worker_threads';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import type { DistrictConfig } from '../model/model.js';
import { loadConfigFile, loadFormatTemplates, DEFAULT_TEMPLATES, templateFormats, type LoadedTemplates, type WorkerInit, type WorkerReply } from './pipeline.js';
import { Shard, type RenderedPolicy, type Step } from './shard.js';
import type { ParsedFile } from '../read/yaml.js';
import { outputsIntact } from '../write/verify.js';
import { pageStager } from '../write/write.js';

const init = workerData as WorkerInit;
const port = parentPort!;

let setup: { config: DistrictConfig; configTree: ParsedFile; templates: LoadedTemplates } | undefined;

/**
 * The config and templates, read when first needed. Loading clause files does
 * not need them, so this thread starts on its files at once; it reads them when
 * its last file is loaded, while the calling thread is still loading its own.
 */
function context(): { config: DistrictConfig; configTree: ParsedFile; templates: LoadedTemplates } {
  if (!setup) {
    const ignored = new Diagnostics();
    const loaded = loadConfigFile(init.config, init.settings.cwd, ignored);
    if (!loaded) throw new Error(`cannot read ${init.config} again`);
    const { config } = loaded;
    const templates = loadFormatTemplates([...(config.templates ? [config.templates] : []), DEFAULT_TEMPLATES], templateFormats(config, init.formats), init.settings.cwd, ignored);
    setup = { config, configTree: loaded.tree, templates };
  }
  return setup;
}

const shard = new Shard({
  ...init.settings,
  get config() {
    return context().config;
  },
  get configTree() {
    return context().configTree;
  },
  get policyTemplates() {
    return context().templates.policy;
  },
  ...(init.incremental ? { intact: outputsIntact } : {}),
  stager: pageStager,
});

let loaded = 0;

port.on('message', (step: Step) => {
  let reply: WorkerReply;
  // Lock entries are handed over, not copied.
  let transfer: ArrayBuffer[] = [];
  try {
    reply = { ok: true, reply: shard.run(step) };
    if (step.op === 'render') transfer = (reply.reply.results as RenderedPolicy[]).map((r) => r.lock.buffer as ArrayBuffer);
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  try {
    port.postMessage(reply, transfer);
  } catch (e) {
    // A reply that cannot cross (a bug): say so rather than leave the calling thread waiting.
    port.postMessage({ ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply);
  }
  if (step.op === 'load' && (loaded += step.items.length) >= (step.total ?? 0)) {
    try {
      context();
    } catch {
      // Reported by the step that needs it.
    }
  }
});
