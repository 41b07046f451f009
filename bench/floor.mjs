// The bench's floor: a plain script that reads, parses, selects, renders and
// writes the same manual as `sro-policy build`, with sro-policy's own parser,
// assembler and templates, and nothing else: no checks beyond what building a
// policy needs, no cache, no lock file, no manifest, no staging files, one
// thread. What a build costs above it is what the tool adds (docs/performance.md).
//
//   node bench/floor.mjs <district.yaml> <output folder>
//
// Prints one line of JSON: how many pages it wrote.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Diagnostics } from '../dist/diagnostics/diagnostic.js';
import { DEFAULT_TEMPLATES, loadConfig, loadFormatTemplates } from '../dist/build/pipeline.js';
import { backlinksOf } from '../dist/build/steps.js';
import { parseYaml } from '../dist/read/yaml.js';
import { validatePolicy } from '../dist/read/policy.js';
import { selectChoices } from '../dist/assemble/select.js';
import { assemble } from '../dist/assemble/assemble.js';
import { indexEntry, render, renderIndex } from '../dist/render/render.js';
import { indexName, pageName } from '../dist/render/pages.js';
import { comparePolicyNumbers } from '../dist/model/number.js';

const [configArg, outArg] = process.argv.slice(2);
if (!configArg || !outArg) {
  console.error('usage: node bench/floor.mjs <district.yaml> <output folder>');
  process.exit(2);
}
const configPath = resolve(configArg);
const cwd = dirname(configPath);
const out = resolve(outArg);
const diags = new Diagnostics();
const config = loadConfig(configPath, cwd, diags);
if (!config) throw new Error('the config does not load');
const formats = config.formats;
const templates = loadFormatTemplates([...(config.templates ? [config.templates] : []), DEFAULT_TEMPLATES], formats, cwd, diags);

// Read and parse every clause file of the libraries (the bench's include them all).
const policies = [];
for (const lib of config.libraries) {
  for (const name of readdirSync(lib.folder).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const absPath = join(lib.folder, name);
    const parsed = parseYaml({ path: absPath, absPath, text: readFileSync(absPath, 'utf8') }, diags);
    const policy = parsed && validatePolicy(parsed, diags);
    if (policy) policies.push(policy);
  }
}
policies.sort((a, b) => comparePolicyNumbers(a.number, b.number));
const titles = new Map(policies.map((p) => [p.number, p.title]));
const cf = (p) => p.parts.flatMap((part) => part.cf);
const backlinks = backlinksOf(policies.map((p) => ({ number: p.number, title: p.title, cf: cf(p) })), titles);
const settings = new Map(config.policies.map((s) => [s.number, s]));

// Select, assemble, render and write each policy.
mkdirSync(out, { recursive: true });
let pages = 0;
const entries = [];
for (const policy of policies) {
  const s = settings.get(policy.number);
  const selections = selectChoices(policy, s, config, { draft: false }, diags);
  const doc = assemble({ policy, edition: 'district', selections, config, history: s?.history ?? [], draft: false }, diags);
  entries.push(indexEntry(doc));
  for (const format of formats) {
    const context = {
      link: (n) => (titles.has(n) ? pageName(n, 'district', format) : undefined),
      referencedBy: backlinks.get(policy.number) ?? [],
      index: config.index ? indexName('district', format) : undefined,
      sentencePerLine: config.sentencePerLine,
    };
    writeFileSync(join(out, pageName(policy.number, 'district', format)), render(doc, templates.policy.get(format), context, diags));
    pages++;
  }
}
if (config.index) {
  for (const format of formats) {
    const context = { link: (n) => pageName(n, 'district', format), edition: 'district', config };
    writeFileSync(join(out, indexName('district', format)), renderIndex(entries, templates.index.get(format), context, diags));
    pages++;
  }
}
console.log(JSON.stringify({ pages }));
