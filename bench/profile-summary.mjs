#!/usr/bin/env node
// Summarize a V8 .cpuprofile (from `node --cpu-prof`): self time per function,
// aggregated over every node of the call tree with the same function name and
// script, and self time per module (yaml, zod, handlebars, markdown-it, each of
// our own dist/*.js files, fs, …).
//
//   node bench/profile-summary.mjs <file.cpuprofile | folder> [--top 15]
//
// Given a folder, it reads the newest .cpuprofile in it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The newest .cpuprofile in a folder, or the path itself when it is a file. */
export function resolveProfile(path) {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((n) => n.endsWith('.cpuprofile'))
    .map((n) => join(path, n))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

/** Short, readable name of a script URL: "dist/render.js", "yaml/dist/…", "node:fs". */
export function shortUrl(url) {
  if (!url) return '';
  let p = url;
  if (p.startsWith('file://')) p = fileURLToPath(p);
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) return p.slice(nm + '/node_modules/'.length);
  if (p.startsWith('/')) return relative(ROOT, p);
  return p;
}

/** Which module a script belongs to, for the grouped totals. */
export function moduleOf(functionName, url) {
  if (!url) {
    if (functionName === '(garbage collector)') return 'v8: garbage collector';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return `v8: ${functionName}`;
    return 'v8/native (no script)';
  }
  const short = shortUrl(url);
  const m = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(short);
  if (url.includes('/node_modules/') && m) {
    const pkg = m[1];
    const label = { yaml: 'yaml parsing', 'js-yaml': 'yaml parsing', zod: 'zod validation', handlebars: 'handlebars', 'markdown-it': 'markdown-it' }[pkg];
    return label ? `${label} (${pkg})` : `node_modules: ${pkg}`;
  }
  if (short.startsWith('dist/')) return `ours: ${short.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')}`;
  if (short.startsWith('bin/')) return `ours: ${short}`;
  if (/^node:(internal\/)?fs|^node:internal\/fs/.test(short)) return 'node: fs';
  if (short.startsWith('node:')) {
    const sub = short.replace(/^node:(internal\/)?/, '').split('/')[0];
    return `node: ${sub}`;
  }
  return short;
}

/** Self time (ms) per function+url and per module. */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id → µs
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the interval after it to
    // the sample, as Chrome DevTools does (next delta), falling back to its own.
    const dt = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const VM_STATES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);
  /** Native frames (RegExp, bindings such as readFileUtf8) count for the script that called them. */
  const caller = (id) => {
    for (let q = parent.get(id); q !== undefined; q = parent.get(q)) {
      const cf = byId.get(q).callFrame;
      if (cf.url) return cf;
    }
    return undefined;
  };
  const fns = new Map();
  const mods = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    let name = callFrame.functionName || '(anonymous)';
    let { url, lineNumber } = callFrame;
    if (!url && !VM_STATES.has(callFrame.functionName)) {
      const c = caller(id);
      name = `${callFrame.functionName || '(native)'} [native, from ${c?.functionName || '(anonymous)'}]`;
      url = c?.url ?? '';
      lineNumber = c?.lineNumber ?? -1;
    }
    const key = `${name}\u0000${url}`;
    const f = fns.get(key) ?? { name, url, file: shortUrl(url), line: lineNumber + 1, ms: 0, module: moduleOf(name, url) };
    f.ms += us / 1000;
    fns.set(key, f);
    mods.set(f.module, (mods.get(f.module) ?? 0) + us / 1000);
  }
  // Each sample charged to the nearest frame of our own code on its stack: which
  // of our functions the time (including the libraries they call) is spent under.
  const ownUnder = new Map();
  const ownOf = new Map();
  const nearestOwn = (id) => {
    if (ownOf.has(id)) return ownOf.get(id);
    const cf = byId.get(id).callFrame;
    let r;
    if (moduleOf(cf.functionName, cf.url).startsWith('ours: ')) r = `${cf.functionName || '(anonymous)'}  (${shortUrl(cf.url)}:${cf.lineNumber + 1})`;
    else {
      const p = parent.get(id);
      r = p === undefined ? '(outside our code: startup, module loading, GC)' : nearestOwn(p);
    }
    ownOf.set(id, r);
    return r;
  };
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const k = cf.functionName === '(garbage collector)' ? '(garbage collector)' : nearestOwn(id);
    ownUnder.set(k, (ownUnder.get(k) ?? 0) + us / 1000);
  }
  return {
    totalMs: total / 1000,
    ownCallers: [...ownUnder.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms),
    functions: [...fns.values()].sort((a, b) => b.ms - a.ms),
    modules: [...mods.entries()].map(([module, ms]) => ({ module, ms })).sort((a, b) => b.ms - a.ms),
  };
}

/** Group totals into the families the lead asked about. */
export function families(modules) {
  const fam = new Map();
  for (const { module, ms } of modules) {
    let f;
    if (module.startsWith('ours: ')) f = 'our own src files';
    else if (module.startsWith('yaml parsing')) f = 'yaml parsing';
    else if (module.startsWith('zod')) f = 'zod validation';
    else if (module.startsWith('handlebars')) f = 'handlebars';
    else if (module.startsWith('markdown-it')) f = 'markdown-it';
    else if (module === 'node: fs') f = 'fs';
    else if (module.startsWith('node_modules: ')) f = 'other packages';
    else if (module.startsWith('v8: garbage')) f = 'garbage collector';
    else if (module.startsWith('v8: (program)')) f = 'v8 (program: compile, native)';
    else if (module.startsWith('node: ')) f = 'node internals (not fs)';
    else f = 'other';
    fam.set(f, (fam.get(f) ?? 0) + ms);
  }
  return [...fam.entries()].map(([family, ms]) => ({ family, ms })).sort((a, b) => b.ms - a.ms);
}

export function formatSummary(summary, top = 15) {
  const pct = (ms) => `${((100 * ms) / summary.totalMs).toFixed(1).padStart(5)}%`;
  const L = [];
  L.push(`total sampled: ${summary.totalMs.toFixed(0)} ms`);
  L.push('');
  L.push(`top ${top} functions by self time:`);
  L.push(`  ${'self ms'.padStart(8)} ${'share'.padStart(6)}  function  (file:line)  [module]`);
  for (const f of summary.functions.slice(0, top)) {
    L.push(`  ${f.ms.toFixed(1).padStart(8)} ${pct(f.ms)}  ${f.name}  (${f.file || 'native'}${f.file ? `:${f.line}` : ''})  [${f.module}]`);
  }
  L.push('');
  L.push('self time by family:');
  for (const { family, ms } of families(summary.modules)) L.push(`  ${ms.toFixed(1).padStart(8)} ${pct(ms)}  ${family}`);
  L.push('');
  L.push(`time charged to the nearest of our own functions on the stack (top ${top}):`);
  for (const { name, ms } of summary.ownCallers.slice(0, top)) L.push(`  ${ms.toFixed(1).padStart(8)} ${pct(ms)}  ${name}`);
  L.push('');
  L.push('self time by module (>= 0.5%):');
  for (const { module, ms } of summary.modules) if (ms >= summary.totalMs * 0.005) L.push(`  ${ms.toFixed(1).padStart(8)} ${pct(ms)}  ${module}`);
  return L.join('\n') + '\n';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--top');
  const top = i >= 0 ? Number(args.splice(i, 2)[1]) : 15;
  if (!args[0]) {
    process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile | folder> [--top 15]\n');
    process.exit(2);
  }
  const file = resolveProfile(args[0]);
  process.stdout.write(`${file}\n`);
  process.stdout.write(formatSummary(summarize(JSON.parse(readFileSync(file, 'utf8'))), top));
}
