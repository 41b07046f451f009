// The import bench: 1,000 sample texts in the publisher's style of the seed
// (each with its own number and title), imported into a new library folder
// through the real bin, in one run; then the folder's round-trip report is
// checked. Prints one line of JSON: samples, seconds, samples per second.
//
//   node bench/import.mjs [--count N] [--work <folder>]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const count = Number(arg('--count', '1000'));
const root = join(import.meta.dirname, '..');
const work = arg('--work', join(root, 'bench', 'work', `import-${count}`));
const seed = readFileSync(join(root, 'test', 'fixtures', 'seed', '5142.4.txt'), 'utf8');

rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'samples'), { recursive: true });
for (let i = 0; i < count; i++) {
  const number = `${5000 + Math.floor(i / 10)}.${(i % 10) + 1}`;
  const text = seed.replace(/^5142\.4$/m, number).replace(/^School Resource Officer$/m, `School Resource Officer ${i + 1}`);
  writeFileSync(join(work, 'samples', `${String(i).padStart(5, '0')}.txt`), text);
}
const start = process.hrtime.bigint();
let code = 0;
try {
  execFileSync(process.execPath, [join(root, 'bin', 'sro-policy.js'), 'import', 'samples', '-o', 'library'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
} catch (e) {
  code = e.status ?? 1;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const written = readdirSync(join(work, 'library')).length;
console.log(JSON.stringify({ samples: count, written, exit: code, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(count / seconds) }));
