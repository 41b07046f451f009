// build --watch: build, then build again on every change to the config, the
// libraries or the templates, until the process is told to stop.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LIBRARY, DEFAULT_TEMPLATES, loadConfig } from '../../build/pipeline.js';
import type { LoadMemo } from '../../build/shard.js';
import { Diagnostics } from '../../diagnostics/diagnostic.js';
import { displayPath } from '../../read/files.js';
import { EXIT_OK, type BuildFlags, type Io } from '../options.js';
import { runBuild } from './build.js';

export async function watchBuild(config: string, flags: BuildFlags, io: Io, color: boolean): Promise<number> {
  // One build at a time: a change during a build queues the next one.
  let queue = Promise.resolve();
  // A rebuild parses again only the clause files that changed.
  const memo: LoadMemo = new Map();
  const build = () => {
    queue = queue.then(async () => void (await runBuild(config, flags, io, color, 'write', memo)));
  };
  build();
  await queue;
  const loaded = loadConfig(config, io.cwd, new Diagnostics());
  const paths = new Set<string>([resolve(io.cwd, config), DEFAULT_TEMPLATES]);
  if (loaded) {
    for (const l of loaded.libraries) paths.add(l.folder);
    if (loaded.templates) paths.add(loaded.templates);
  } else {
    paths.add(DEFAULT_LIBRARY);
  }
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    // Editors save in several steps; wait for them to settle before rebuilding.
    timer = setTimeout(() => {
      io.stdout.write(`change detected, rebuilding ${config}\n`);
      build();
    }, 150);
  };
  for (const p of [...paths].sort()) {
    if (!existsSync(p)) continue;
    try {
      watchers.push(watch(p, { recursive: true }, changed));
    } catch {
      watchers.push(watch(p, changed));
    }
  }
  io.stdout.write(`watching ${[...paths].filter(existsSync).map((p) => displayPath(p, io.cwd)).join(', ')} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    if (io.signal?.aborted) return done();
    io.signal?.addEventListener('abort', () => done(), { once: true });
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  await queue;
  return EXIT_OK;
}
