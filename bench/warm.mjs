#!/usr/bin/env node
// The build's own work on warm code: planBuild (no writes) over one of the
// bench's generated libraries, several times in one process, printing each
// time. Whole-process timings on a shared 2-core VM move by ±20% from run to
// run (start-up, JIT warm-up, the file system); this measures what a change to
// the per-policy work does, and runs under `node --cpu-prof` for a profile of
// the steady state.
//
//   npm run build && node bench/warm.mjs [--size 1000] [--runs 6]
//
// The library must exist: `npm run bench` (or `node bench/run.mjs --sizes N`)
// generates bench/work/lib-N.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const size = option('--size', 1000);
const runs = option('--runs', 6);
const cwd = join(ROOT, 'bench', 'work', `lib-${size}`);
if (!existsSync(join(cwd, 'district.yaml'))) {
  process.stderr.write(`warm: ${cwd} has no library; run "node bench/run.mjs --sizes ${size} --runs 1 --no-pandoc" first\n`);
  process.exit(2);
}
const { Diagnostics } = await import(join(ROOT, 'dist', 'diagnostics.js'));
const { planBuild } = await import(join(ROOT, 'dist', 'pipeline.js'));

const times = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const plan = planBuild({ config: 'district.yaml', cwd, keepDocuments: false }, new Diagnostics());
  times.push(performance.now() - t);
  if (!plan) throw new Error('the build failed');
  process.stdout.write(`run ${i + 1}: ${times[i].toFixed(0)} ms (${(times[i] / plan.policies.length).toFixed(2)} ms per policy)\n`);
}
const rest = times.slice(1).sort((a, b) => a - b);
if (rest.length) process.stdout.write(`after the first run: median ${rest[rest.length >> 1].toFixed(0)} ms, min ${rest[0].toFixed(0)} ms\n`);
