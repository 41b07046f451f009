// The incremental floor: a plain script that does only what any rebuild must
// do to know what changed: read and hash every input (the config, the lock
// file, every clause file and template) and stat every file of the output
// folder. A no-change or one-changed rebuild costs what it does above this.
//
//   node bench/floor-stat.mjs <district.yaml> <output folder>
//
// Prints one line of JSON: how many inputs it hashed and outputs it looked at.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [configArg, outArg] = process.argv.slice(2);
if (!configArg || !outArg) {
  console.error('usage: node bench/floor-stat.mjs <district.yaml> <output folder>');
  process.exit(2);
}
const configPath = resolve(configArg);
const here = dirname(configPath);
const templates = fileURLToPath(new URL('../templates', import.meta.url));
const hash = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

const seen = [];
const inputs = [configPath, configPath.replace(/\.ya?ml$/, '.lock.json')];
const walk = (dir) => {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) walk(p);
    else if (/\.(ya?ml|hbs)$/.test(name.name)) inputs.push(p);
  }
};
// The bench's configs name one library, the folder beside them.
walk(join(here, 'library'));
walk(templates);
for (const p of inputs) seen.push(hash(p));
const out = resolve(outArg);
let outputs = 0;
for (const name of readdirSync(out)) {
  statSync(join(out, name));
  outputs++;
}
console.log(JSON.stringify({ inputs: seen.length, outputs }));
