#!/usr/bin/env node
// Benchmarks of whole sro-policy processes on synthetic libraries of 100, 1,000
// and 10,000 policies (bench/generate.mjs), against the performance budgets.
//
//   npm run bench                        # compiles, then runs this
//   node bench/run.mjs [--sizes 100,1000,10000] [--runs N] [--warmup N]
//                      [--no-pandoc] [--profile] [--rusage time|node]
//
// Scenarios per size: cold build (md+html) into an empty folder, no-change
// rebuild, rebuild after one policy file changed, check alone (after those
// builds, with their cache, and with none), and a build of a config that
// lists a single policy of the library; two floors, run alternately with the
// cold build and the no-change rebuild (bench/floor.mjs, a plain script that
// builds the same manual with no checks, cache or lock; bench/floor-stat.mjs,
// one that only hashes the inputs and stats the outputs), each scenario's
// ratio to them, and the sizes of the pages, the cache and the lock. Size-independent: a bare
// `node -e 0` and a cold build of the shipped example (examples/district.yaml),
// run alternately (see interleaved).
// Old output is moved aside, not deleted, and deleted at the end (see discard).
// Every run is a fresh child process; wall time is measured here around the
// child, CPU time and peak RSS by /usr/bin/time (or by bench/rusage.mjs
// preloaded into the child when /usr/bin/time is missing).
//
// Budgets are reported (PASS/MISS), never enforced: the exit code is 0 unless
// the benchmark itself could not run. Results go to bench/results.json.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';
import { formatSummary, resolveProfile, summarize } from './profile-summary.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const WORK = join(BENCH, 'work');
const BIN = join(ROOT, 'bin', 'sro-policy.js');
const EXAMPLE = join(ROOT, 'examples', 'district.yaml');

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = { sizes: [100, 1000, 10000], runs: undefined, warmup: undefined, pandoc: true, profile: false, rusage: undefined, results: join(BENCH, 'results.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    const name = a.split('=')[0];
    if (name === '--sizes') o.sizes = val().split(',').map((s) => Number(s.replace(/[_\s]/g, '')));
    else if (name === '--runs') o.runs = Number(val());
    else if (name === '--warmup') o.warmup = Number(val());
    else if (name === '--no-pandoc') o.pandoc = false;
    else if (name === '--profile') o.profile = true;
    else if (name === '--rusage') o.rusage = val();
    else if (name === '--results') o.results = val();
    else if (name === '-h' || name === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 18).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else fail(`unknown option ${a}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 1)) fail('--sizes takes whole numbers, e.g. --sizes 100,1000');
  if (o.runs !== undefined && (!Number.isInteger(o.runs) || o.runs < 1)) fail('--runs takes a whole number ≥ 1');
  if (o.warmup !== undefined && (!Number.isInteger(o.warmup) || o.warmup < 0)) fail('--warmup takes a whole number ≥ 0');
  if (o.rusage !== undefined && !['time', 'node'].includes(o.rusage)) fail('--rusage is "time" (/usr/bin/time) or "node" (bench/rusage.mjs)');
  return o;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------- measuring

/** GNU time with -f: BSD/macOS time has no -f. */
function haveGnuTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']);
  return r.status === 0;
}

// ---------------------------------------------------------------- old output

const TRASH = join(WORK, 'trash');
let trashed = 0;

/**
 * Move a folder out of the way rather than delete it; the trash is emptied once
 * the measuring is over. On ext4 without a journal (this VM), creating a file
 * scans past every inode deleted in the last 30-35 s (recently_deleted in a perf
 * profile of the kernel): deleting the 20,000 pages of the last run right before
 * a cold build made each file creation of that build 10-20 times slower, and
 * charged the bench's own clean-up to the build as 1-4 s of system time.
 */
function discard(path) {
  if (!existsSync(path)) return;
  mkdirSync(TRASH, { recursive: true });
  renameSync(path, join(TRASH, `${process.pid}-${trashed++}`));
}

function emptyTrash() {
  rmSync(TRASH, { recursive: true, force: true });
}

let RUSAGE = 'node';
const RUSAGE_FILE = join(WORK, 'rusage.tmp');
const LOGS = join(WORK, 'logs');

/**
 * Run `node <args>` once as a child process. Wall time from hrtime around the
 * child; CPU (user+sys) and peak RSS from /usr/bin/time or the preload.
 * stdout and stderr go to files under bench/work/logs (kept for inspection).
 */
async function runNode(args, label) {
  mkdirSync(LOGS, { recursive: true });
  rmSync(RUSAGE_FILE, { force: true });
  const stem = join(LOGS, label.replace(/[^\w.-]+/g, '_'));
  const out = openSync(`${stem}.stdout`, 'w');
  const err = openSync(`${stem}.stderr`, 'w');
  let cmd;
  let cmdArgs;
  const env = { ...process.env, NO_COLOR: '1' };
  if (RUSAGE === 'time') {
    cmd = '/usr/bin/time';
    cmdArgs = ['-f', '%e %U %S %M', '-o', RUSAGE_FILE, process.execPath, ...args];
  } else {
    cmd = process.execPath;
    cmdArgs = ['--import', pathToFileURL(join(BENCH, 'rusage.mjs')).href, ...args];
    env.BENCH_RUSAGE_OUT = RUSAGE_FILE;
  }
  const t0 = process.hrtime.bigint();
  const code = await new Promise((res, rej) => {
    const child = spawn(cmd, cmdArgs, { cwd: ROOT, stdio: ['ignore', out, err], env });
    child.on('error', rej);
    child.on('exit', (c, sig) => res(sig ? 128 : c));
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(out);
  closeSync(err);
  let cpuMs = NaN;
  let rssMb = NaN;
  if (existsSync(RUSAGE_FILE)) {
    const text = readFileSync(RUSAGE_FILE, 'utf8').trim();
    if (RUSAGE === 'time') {
      // "Command exited with non-zero status N" may precede the numbers.
      const [, user, sys, maxKb] = text.split('\n').at(-1).trim().split(/\s+/).map(Number);
      cpuMs = (user + sys) * 1000;
      rssMb = maxKb / 1024;
    } else {
      const u = JSON.parse(text);
      cpuMs = (u.userCPUTime + u.systemCPUTime) / 1000;
      rssMb = u.maxRSS / 1024;
    }
  }
  if (code !== 0) {
    const tail = readFileSync(`${stem}.stderr`, 'utf8').split('\n').slice(-60).join('\n');
    throw Object.assign(new Error(`"node ${args.join(' ')}" exited with ${code}\n${tail}`), { wallMs, cpuMs, rssMb });
  }
  return { wallMs, cpuMs, rssMb, stdout: `${stem}.stdout` };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function stats(samples) {
  const wall = samples.map((s) => s.wallMs);
  return {
    runs: samples.length,
    wallMs: { median: round(median(wall)), min: round(Math.min(...wall)), max: round(Math.max(...wall)) },
    cpuMs: { median: round(median(samples.map((s) => s.cpuMs))) },
    maxRssMb: round(Math.max(...samples.map((s) => s.rssMb))),
    samplesMs: wall.map(round),
  };
}
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

/** Count the "wrote"/"unchanged" lines of a build's stdout: a sanity check on what the scenario did. */
function writeCounts(stdoutFile) {
  const counts = {};
  for (const line of readFileSync(stdoutFile, 'utf8').split('\n')) {
    const w = line.split(/\s+/)[0];
    if (w) counts[w] = (counts[w] ?? 0) + 1;
  }
  return counts;
}

/**
 * One scenario: `warmup` untimed runs then `runs` timed ones. before(i) runs
 * before each (untimed), e.g. to empty the output folder.
 */
/** A crash (out of memory, say) is a result too: recorded with the runs before it, and the bench goes on. */
function failedRun(label, e, samples) {
  log(`  ${label.padEnd(24)} FAILED: ${e.message.split('\n').slice(0, 12).join('\n')}`);
  const why = /heap out of memory|Allocation failed/i.test(e.message) ? 'out of memory' : e.message.split('\n')[0];
  return {
    failed: `${why} after ${fmtMs(e.wallMs)}`,
    runs: samples.length,
    wallMs: { median: null, min: null, max: null },
    cpuMs: { median: null },
    maxRssMb: round(e.rssMb),
    samplesMs: samples.map((x) => round(x.wallMs)),
    output: {},
  };
}

async function scenario(label, args, { runs, warmup, before, after }) {
  const samples = [];
  let last;
  for (let i = 0; i < warmup + runs; i++) {
    before?.(i);
    let r;
    try {
      r = await runNode(args, `${label}`);
    } catch (e) {
      return failedRun(label, e, samples);
    }
    after?.(r, i);
    last = r;
    if (i >= warmup) samples.push(r);
  }
  const s = stats(samples);
  s.output = writeCounts(last.stdout);
  log(`  ${label.padEnd(24)} median ${fmtMs(s.wallMs.median).padStart(9)}  (min ${fmtMs(s.wallMs.min)}, max ${fmtMs(s.wallMs.max)}), cpu ${fmtMs(s.cpuMs.median)}, rss ${s.maxRssMb} MB`);
  return s;
}

/**
 * Several scenarios in turn, one run of each per round. A ratio between them
 * (the example against `node -e 0`) then compares runs made under the same
 * conditions: measured one after the other, a busy spell on a shared VM landed
 * on one side only (a baseline of 133 ms before a run and 76 ms after it).
 */
async function interleaved(list, { runs, warmup }) {
  const samples = list.map(() => []);
  const last = [];
  const failed = [];
  for (let i = 0; i < warmup + runs; i++) {
    for (const [k, s] of list.entries()) {
      if (failed[k]) continue;
      s.before?.(i);
      try {
        last[k] = await runNode(s.args, s.label);
      } catch (e) {
        failed[k] = failedRun(s.label, e, samples[k]);
        continue;
      }
      if (i >= warmup) samples[k].push(last[k]);
    }
  }
  return list.map((s, k) => {
    if (failed[k]) return failed[k];
    const st = stats(samples[k]);
    st.output = writeCounts(last[k].stdout);
    log(`  ${s.label.padEnd(24)} median ${fmtMs(st.wallMs.median).padStart(9)}  (min ${fmtMs(st.wallMs.min)}, max ${fmtMs(st.wallMs.max)}), cpu ${fmtMs(st.cpuMs.median)}, rss ${st.maxRssMb} MB`);
    return st;
  });
}

const fmtMs = (ms) => (ms === null || ms === undefined ? 'n/a' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

// ---------------------------------------------------------------- environment

function gitInfo() {
  const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'src', 'templates');
  return {
    commit: head.status === 0 ? head.stdout.trim() : null,
    uncommittedSrcFiles: dirty.status === 0 ? dirty.stdout.split('\n').filter(Boolean).length : null,
  };
}

/** Hash of dist/: the lead may recompile while this runs; then the numbers mix two versions. */
function distHash() {
  const h = createHash('sha1');
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.js')) h.update(n).update(readFileSync(p));
    }
  };
  walk(join(ROOT, 'dist'));
  return h.digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------- per size

async function benchSize(n, opts) {
  const runs = opts.runs ?? (n >= 10000 ? 3 : 5);
  const warmup = opts.warmup ?? (n >= 10000 ? 0 : 1);
  const dir = join(WORK, `lib-${n}`);
  log(`\n${n} policies: generating into ${relative(ROOT, dir)} …`);
  const t0 = Date.now();
  discard(dir); // outputs and the lock file of an earlier run too
  const g = generate(dir, n);
  log(`  ${g.numbers.length} policies, ${(g.bytes / 1024 / 1024).toFixed(1)} MB of YAML (${(g.bytes / n / 1024).toFixed(1)} KB each), explicit settings for ${g.listed} (${Date.now() - t0} ms); ${runs} runs, ${warmup} warm-up`);
  const config = relative(ROOT, g.config);
  const outCold = join(dir, 'out');
  const outRel = relative(ROOT, outCold);

  // A config with one policy of this library (libraries' default include: listed).
  const one = g.numbers[Math.floor(n / 2)];
  const oneConfig = join(dir, 'district-one.yaml');
  writeFileSync(
    oneConfig,
    [
      'district:',
      '  name: Benchford Public Schools',
      '  board: Benchford Board of Education',
      '  town: Benchford',
      '  state: Connecticut',
      'libraries:',
      '  - library',
      'output:',
      '  formats: [md, html]',
      'policies:',
      `  ${JSON.stringify(one)}:`,
      '    history:',
      '      - adopted: 2020-01-14',
      '',
    ].join('\n'),
  );
  const outOne = join(dir, 'out-one');

  const res = { policies: n, yamlBytes: g.bytes, configuredPolicies: g.listed, runs, warmup, scenarios: {} };
  const S = res.scenarios;
  // The build cache in a folder of this size's own, so that its size can be measured.
  const cacheDir = join(dir, 'cache');
  const build = ['build', config, '--out', outRel, '--format', 'md,html', '--cache-dir', relative(ROOT, cacheDir)];
  const outFloor = join(dir, 'out-floor');

  // Each against its floor, alternately (see interleaved): the cold build against a plain script that
  // does the same reading, parsing, selecting, rendering and writing with no checks, cache or lock
  // (bench/floor.mjs); the no-change rebuild against one that only hashes the inputs and stats the
  // outputs (bench/floor-stat.mjs), which any rebuild must do to know what changed.
  [S.cold, S.floor] = await interleaved(
    [
      { label: `${n} cold build`, args: [BIN, ...build], before: () => (discard(outCold), discard(cacheDir)) },
      { label: `${n} floor (plain script)`, args: [join(BENCH, 'floor.mjs'), config, relative(ROOT, outFloor)], before: () => discard(outFloor) },
    ],
    { runs, warmup },
  );
  [S.noChange, S.statFloor] = await interleaved(
    [
      { label: `${n} no-change rebuild`, args: [BIN, ...build] },
      { label: `${n} floor (hash and stat)`, args: [join(BENCH, 'floor-stat.mjs'), config, outRel] },
    ],
    { runs, warmup },
  );

  // Change the text of one policy before each run (a different text each time).
  const changed = join(g.library, `${one}.yaml`);
  const original = readFileSync(changed, 'utf8');
  const needle = 'paragraph: "The {{board-name}}';
  if (!original.includes(needle)) throw new Error(`cannot find the purpose paragraph in ${changed}`);
  let k = 0;
  S.oneChanged = await scenario(`${n} one-changed rebuild`, [BIN, ...build], {
    runs,
    warmup,
    before: () => writeFileSync(changed, original.replace(needle, `paragraph: "Revision ${++k}. The {{board-name}}`)),
  });
  writeFileSync(changed, original);

  // check reads the build cache: measured both after the builds above and with no output folder at all.
  res.bytes = { pages: folderBytes(outCold), cache: folderBytes(cacheDir), lock: statSync(join(dir, 'district.lock.json')).size };
  const check = ['check', config, '--cache-dir', relative(ROOT, cacheDir)];
  S.check = await scenario(`${n} check after a build`, [BIN, ...check], { runs, warmup });
  const aside = `${outCold}-aside`;
  const cacheAside = `${cacheDir}-aside`;
  S.checkNoCache = await scenario(`${n} check, no cache`, [BIN, ...check], {
    runs,
    warmup,
    before: () => (renameSync(outCold, aside), renameSync(cacheDir, cacheAside)),
    after: () => (renameSync(aside, outCold), renameSync(cacheAside, cacheDir)),
  });
  S.singlePolicy = await scenario(`${n} single-policy build`, [BIN, 'build', relative(ROOT, oneConfig), '--out', relative(ROOT, outOne), '--format', 'md,html'], {
    runs,
    warmup,
    before: () => discard(outOne),
  });

  // The Pandoc line converts this size's Markdown: bring the output back in step
  // with the restored policy file (an incremental build, untimed).
  if (n === 1000 && opts.pandoc) await runNode([BIN, ...build], `${n} restore build`);
  res.coldPerPolicyMs = S.cold.failed ? null : round(S.cold.wallMs.median / n, 3);
  res.ratios = ratios(S);
  res.outFolder = outCold;
  res.config = config;
  return res;
}

/** Bytes of the files directly in a folder (0 when it is missing). */
function folderBytes(dir) {
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    bytes += e.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return bytes;
}

/** Each scenario's median as a multiple of its floor, and the one-changed rebuild's of the no-change one. */
function ratios(S) {
  const of = (a, b) => (a?.wallMs?.median && b?.wallMs?.median ? round(a.wallMs.median / b.wallMs.median, 2) : null);
  return {
    coldToFloor: of(S.cold, S.floor),
    checkNoCacheToFloor: of(S.checkNoCache, S.floor),
    noChangeToStatFloor: of(S.noChange, S.statFloor),
    oneChangedToStatFloor: of(S.oneChanged, S.statFloor),
    oneChangedToNoChange: of(S.oneChanged, S.noChange),
  };
}

// ---------------------------------------------------------------- pandoc

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Pandoc converting the same Markdown files to standalone HTML, one process per file, as a CI script does. */
function pandocLine(outFolder, sroColdMs) {
  const pandoc = which('pandoc');
  if (!pandoc) return { skipped: 'pandoc is not on PATH' };
  const version = spawnSync(pandoc, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const files = readdirSync(outFolder)
    .filter((f) => f.endsWith('.md') && f !== 'index.md')
    .sort();
  const dest = join(WORK, 'pandoc-out');
  discard(dest);
  mkdirSync(dest, { recursive: true });
  // Does pandoc complain about a missing title? (Our Markdown carries one in its front matter.)
  const probe = spawnSync(pandoc, ['-s', '-f', 'markdown', '-t', 'html', '-o', join(dest, 'probe.html'), join(outFolder, files[0])], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: `pandoc failed: ${probe.stderr.trim()}` };
  const needsTitle = /title/i.test(probe.stderr);
  log(`\nPandoc reference: ${version}, ${files.length} files, one process each${needsTitle ? ' (with --metadata title=…)' : ''} …`);
  const t0 = process.hrtime.bigint();
  for (const f of files) {
    const args = ['-s', '-f', 'markdown', '-t', 'html', '-o', join(dest, f.replace(/\.md$/, '.html')), join(outFolder, f)];
    if (needsTitle) args.push('--metadata', `title=${basename(f, '.md')}`);
    const r = spawnSync(pandoc, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) return { skipped: `pandoc failed on ${f}: ${r.stderr}` };
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    version,
    files: files.length,
    metadataTitle: needsTitle,
    wallMs: round(wallMs),
    perFileMs: round(wallMs / files.length, 2),
    ratioToSroCold: sroColdMs ? round(wallMs / sroColdMs, 2) : null,
  };
}

// ---------------------------------------------------------------- profile

async function profileCold(res) {
  const profDir = join(WORK, 'prof');
  rmSync(profDir, { recursive: true, force: true });
  const out = join(WORK, 'prof-out');
  discard(out);
  log(`\nCPU profile of the cold ${res.policies}-policy build …`);
  await runNode(['--cpu-prof', '--cpu-prof-dir', relative(ROOT, profDir), BIN, 'build', res.config, '--out', relative(ROOT, out), '--format', 'md,html'], 'profile');
  const file = resolveProfile(profDir);
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')));
  return { file: relative(ROOT, file), text: formatSummary(summary, 15) };
}

// ---------------------------------------------------------------- report

function table(results) {
  const rows = [['size', 'scenario', 'runs', 'median', 'min', 'max', 'cpu (median)', 'max RSS', 'per policy']];
  const add = (size, name, s, perPolicy = '') =>
    s.failed ? rows.push([size, name, String(s.runs), 'FAILED', '', '', '', s.maxRssMb ? `${s.maxRssMb} MB` : '', '']) : rows.push([size, name, String(s.runs), fmtMs(s.wallMs.median), fmtMs(s.wallMs.min), fmtMs(s.wallMs.max), fmtMs(s.cpuMs.median), `${s.maxRssMb} MB`, perPolicy]);
  add('-', 'node -e 0 (baseline)', results.baseline);
  add('4', 'example district, cold build', results.example);
  for (const r of Object.values(results.sizes)) {
    const S = r.scenarios;
    add(String(r.policies), 'cold build (md+html)', S.cold, r.coldPerPolicyMs === null ? '' : `${r.coldPerPolicyMs.toFixed(2)} ms`);
    add(String(r.policies), 'floor: plain script', S.floor);
    add(String(r.policies), 'no-change rebuild', S.noChange);
    add(String(r.policies), 'floor: hash and stat', S.statFloor);
    add(String(r.policies), 'one-changed rebuild', S.oneChanged);
    add(String(r.policies), 'check after a build', S.check);
    add(String(r.policies), 'check, no cache', S.checkNoCache);
    add(String(r.policies), 'single-policy build', S.singlePolicy);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const right = new Set([2, 3, 4, 5, 6, 7, 8]);
  const line = (r) => '| ' + r.map((x, c) => (right.has(c) ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join(' | ') + ' |';
  return [line(rows[0]), '|' + widths.map((w, c) => (right.has(c) ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|', ...rows.slice(1).map(line)].join('\n');
}

function budgets(results) {
  const b = [];
  const size = (n) => results.sizes[n];
  const verdict = (ok) => (ok === undefined ? 'SKIP' : ok ? 'PASS' : 'MISS');
  /** A scenario's median as text, and whether it is within the limit (a failed run misses). */
  const wall = (s) => (s.failed ? `failed: ${s.failed}` : fmtMs(s.wallMs.median));
  const within = (s, ms) => !s.failed && s.wallMs.median <= ms;
  const s1k = size(1000);
  const s10k = size(10000);
  b.push({
    budget: '1,000 policies, cold build ≤ 1.0 s wall',
    measured: s1k ? wall(s1k.scenarios.cold) : 'not run',
    result: verdict(s1k && within(s1k.scenarios.cold, 1000)),
  });
  b.push({
    budget: '1,000 policies, no-change rebuild ≤ 0.3 s',
    measured: s1k ? wall(s1k.scenarios.noChange) : 'not run',
    result: verdict(s1k && within(s1k.scenarios.noChange, 300)),
  });
  const ex = results.example;
  const base = results.baseline;
  const ratio = ex.failed || base.failed ? NaN : ex.wallMs.median / base.wallMs.median;
  b.push({
    budget: 'one policy (example district) ≤ 2.5 × node -e 0',
    measured: Number.isNaN(ratio) ? `failed: ${ex.failed ?? base.failed}` : `${fmtMs(ex.wallMs.median)} = ${ratio.toFixed(1)} × ${fmtMs(base.wallMs.median)}`,
    result: verdict(!Number.isNaN(ratio) && ratio <= 2.5),
  });
  b.push({
    budget: '10,000 policies, cold build ≤ 10 s',
    measured: s10k ? wall(s10k.scenarios.cold) : 'not run',
    result: verdict(s10k && within(s10k.scenarios.cold, 10000)),
  });
  if (s10k) {
    const all = Object.values(s10k.scenarios);
    const rss = Math.max(...all.map((s) => s.maxRssMb ?? 0));
    const oom = all.some((s) => s.failed?.startsWith('out of memory'));
    b.push({ budget: '10,000 policies, peak memory < 1 GB (any scenario)', measured: `${rss} MB${oom ? ' (a run ran out of memory)' : ''}`, result: verdict(!oom && rss < 1024) });
  } else b.push({ budget: '10,000 policies, peak memory < 1 GB (any scenario)', measured: 'not run', result: 'SKIP' });
  b.push({
    budget: '10,000 policies, one policy changed ≤ 3 × the no-change rebuild',
    measured: s10k ? `${wall(s10k.scenarios.oneChanged)} = ${s10k.ratios.oneChangedToNoChange} × ${wall(s10k.scenarios.noChange)}` : 'not run',
    result: verdict(s10k && s10k.ratios.oneChangedToNoChange !== null && s10k.ratios.oneChangedToNoChange <= 3),
  });
  b.push({
    budget: '10,000 policies, build cache < 1/10 of the pages',
    measured: s10k ? `${(s10k.bytes.cache / 1024 / 1024).toFixed(1)} MB for ${(s10k.bytes.pages / 1024 / 1024).toFixed(1)} MB` : 'not run',
    result: verdict(s10k && s10k.bytes.cache * 10 < s10k.bytes.pages),
  });
  b.push({
    budget: '1,000 policies, cold build ≤ 1.5 × the plain script (bench/floor.mjs)',
    measured: s1k ? `${s1k.ratios.coldToFloor} ×` : 'not run',
    result: verdict(s1k && s1k.ratios.coldToFloor !== null && s1k.ratios.coldToFloor <= 1.5),
  });
  const per = Object.values(results.sizes)
    .map((r) => `${r.policies}: ${r.coldPerPolicyMs === null ? 'failed' : `${r.coldPerPolicyMs.toFixed(2)} ms`}`)
    .join(', ');
  const linear = s1k && s10k ? (s1k.coldPerPolicyMs === null || s10k.coldPerPolicyMs === null ? false : s10k.coldPerPolicyMs <= 2 * s1k.coldPerPolicyMs) : undefined;
  b.push({
    budget: 'linear growth: 10k per-policy ≤ 2 × 1k per-policy (cold)',
    measured: `${per}${s1k?.coldPerPolicyMs && s10k?.coldPerPolicyMs ? ` (ratio ${(s10k.coldPerPolicyMs / s1k.coldPerPolicyMs).toFixed(2)})` : ''}`,
    result: verdict(linear),
  });
  return b;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) fail('dist/cli.js is missing: run "npm run build" (or "npm run bench", which does)');
  // Left by an interrupted run: deleted now, before anything is measured.
  emptyTrash();
  RUSAGE = opts.rusage ?? (haveGnuTime() ? 'time' : 'node');
  if (RUSAGE === 'time' && !haveGnuTime()) fail('--rusage time needs GNU /usr/bin/time');
  const cpus = os.cpus();
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3),
    rusage: RUSAGE === 'time' ? '/usr/bin/time' : 'process.resourceUsage() (bench/rusage.mjs)',
    // Other work on the machine skews every number: the 1-minute load average before and after.
    loadAverage: { before: round(os.loadavg()[0], 2) },
  };
  const git = gitInfo();
  const dist0 = distHash();
  log(`sro-policy benchmarks: node ${machine.node}, ${machine.cpu} × ${machine.cores}, ${machine.memoryGb} GB; commit ${git.commit}${git.uncommittedSrcFiles ? ` + ${git.uncommittedSrcFiles} uncommitted src/templates files` : ''}; dist ${dist0}`);
  log(`sizes ${opts.sizes.join(', ')}; CPU time and RSS from ${machine.rusage}`);

  const results = { date: new Date().toISOString(), machine, git, dist: dist0, sizes: {} };
  const globalRuns = opts.runs ?? 5;
  const globalWarmup = opts.warmup ?? 1;
  log('\nbaseline and shipped example:');
  const exampleOut = join(WORK, 'example-out');
  // Short runs, and a ratio is taken of them: more runs, alternating.
  [results.baseline, results.example] = await interleaved(
    [
      { label: 'node -e 0', args: ['-e', '0'] },
      { label: 'example district cold', args: [BIN, 'build', relative(ROOT, EXAMPLE), '--out', relative(ROOT, exampleOut), '--format', 'md,html'], before: () => discard(exampleOut) },
    ],
    { runs: Math.max(globalRuns, 11), warmup: globalWarmup },
  );

  for (const n of opts.sizes) results.sizes[n] = await benchSize(n, opts);
  // Baseline again at the end: a machine that got busier shows up as a different number.
  results.baselineAfter = await scenario('node -e 0 (again)', ['-e', '0'], { runs: Math.max(globalRuns, 5), warmup: 0 });
  machine.loadAverage.after = round(os.loadavg()[0], 2);
  log(`load average (1 min): ${machine.loadAverage.before} before, ${machine.loadAverage.after} after`);

  let profile;
  const profSize = results.sizes[1000] ?? Object.values(results.sizes).at(-1);
  if (opts.profile && profSize) profile = await profileCold(profSize);

  if (opts.pandoc) {
    const s1k = results.sizes[1000];
    if (!s1k) results.pandoc = { skipped: 'size 1000 not in --sizes' };
    else if (s1k.scenarios.cold.failed) results.pandoc = { skipped: 'the 1,000-policy build failed' };
    else results.pandoc = pandocLine(s1k.outFolder, s1k.scenarios.cold.wallMs.median);
  } else results.pandoc = { skipped: '--no-pandoc' };

  results.budgets = budgets(results);
  const dist1 = distHash();
  if (dist1 !== dist0) results.warning = `dist/ changed during the run (${dist0} → ${dist1}): the numbers mix two builds`;
  for (const r of Object.values(results.sizes)) {
    delete r.outFolder;
  }
  writeFileSync(opts.results, JSON.stringify(results, null, 2) + '\n');

  const P = (s = '') => process.stdout.write(`${s}\n`);
  P();
  P(`sro-policy ${results.git.commit}${git.uncommittedSrcFiles ? '+dirty' : ''} · node ${machine.node} · ${machine.cpu} × ${machine.cores} · ${machine.rusage}`);
  P();
  P(table(results));
  P();
  const failures = [['', results.baseline], ['', results.example], ...Object.values(results.sizes).flatMap((r) => Object.entries(r.scenarios).map(([k, v]) => [`${r.policies} ${k}`, v]))].filter(([, v]) => v.failed);
  for (const [k, v] of failures) P(`FAILED ${k}: ${v.failed}`);
  P(`baseline node -e 0 at the end: ${fmtMs(results.baselineAfter.wallMs.median)} (start: ${fmtMs(results.baseline.wallMs.median)})`);
  P();
  P('Against the floors (medians; see docs/performance.md, "The floors"):');
  for (const r of Object.values(results.sizes)) {
    const x = r.ratios;
    const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    P(`  ${r.policies}: cold ${x.coldToFloor} × the plain script, check without a cache ${x.checkNoCacheToFloor} ×; no-change ${x.noChangeToStatFloor} × hash-and-stat, one changed ${x.oneChangedToStatFloor} × (${x.oneChangedToNoChange} × the no-change rebuild); cache ${mb(r.bytes.cache)} for ${mb(r.bytes.pages)} of pages (${((100 * r.bytes.cache) / r.bytes.pages).toFixed(1)}%), lock ${mb(r.bytes.lock)}`);
  }
  for (const r of Object.values(results.sizes)) {
    const S = r.scenarios;
    if (Object.values(S).some((x) => x.failed)) continue;
    P(`${r.policies}: files written per run: cold ${S.cold.output.wrote ?? 0}, no-change ${S.noChange.output.wrote ?? 0} (unchanged ${S.noChange.output.unchanged ?? 0}), one-changed ${S.oneChanged.output.wrote ?? 0}`);
  }
  P();
  if (results.pandoc.skipped) P(`Pandoc reference line skipped: ${results.pandoc.skipped}`);
  else {
    const p = results.pandoc;
    P(`Pandoc reference (${p.version}): ${p.files} Markdown files → standalone HTML, one process each, sequentially: ${fmtMs(p.wallMs)} (${p.perFileMs} ms per file)`);
    P(`  = ${p.ratioToSroCold} × sro-policy's cold 1,000-policy build (${fmtMs(results.sizes[1000].scenarios.cold.wallMs.median)}, which also writes the Markdown and the index)`);
  }
  P();
  P('Budgets (reported, not enforced):');
  const w = Math.max(...results.budgets.map((b) => b.budget.length));
  for (const b of results.budgets) P(`  ${b.result.padEnd(4)}  ${b.budget.padEnd(w)}  ${b.measured}`);
  if (results.warning) P(`\nWARNING: ${results.warning}`);
  if (profile) {
    P();
    P(`CPU profile: ${profile.file}`);
    P(profile.text);
  }
  P(`\nwrote ${relative(ROOT, opts.results)}`);
}

main()
  .catch((e) => {
    process.stderr.write(`bench: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(emptyTrash);
