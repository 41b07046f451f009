// Precompile the shipped templates after TypeScript compiles (npm run build /
// prepare): a build that uses the defaults then loads only the Handlebars
// runtime. Each set is parsed and checked here exactly as at run time, so a
// broken shipped template fails the package build.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../dist/diagnostics/diagnostic.js';
import { loadTemplates } from '../dist/read/files.js';
import { INDEX_SHAPE, VIEW_SHAPE } from '../dist/render/render.js';
import { formatText } from '../dist/diagnostics/reporters.js';
import { compileTemplates, loadHandlebars, sourcesHash, TEMPLATE_FORMATS, TEMPLATE_KINDS, templateOptions } from '../dist/render/templates.js';

const root = join(import.meta.dirname, '..');
const folder = join(root, 'templates');
const diags = new Diagnostics();
const out = {};
for (const format of TEMPLATE_FORMATS) {
  for (const kind of TEMPLATE_KINDS) {
    const sources = loadTemplates([folder], format, kind, root, diags);
    if (!compileTemplates(format, sources, kind === 'policy' ? VIEW_SHAPE : INDEX_SHAPE, diags)) continue;
    const hb = loadHandlebars();
    const options = templateOptions(format);
    out[`${format}/${kind}`] = {
      hash: sourcesHash(sources),
      main: hb.precompile(sources.main.text, options),
      partials: Object.fromEntries([...sources.partials].map(([name, t]) => [name, hb.precompile(t.text, options)])),
    };
  }
}
if (diags.hasErrors()) {
  process.stderr.write(formatText(diags.items, diags.sources, { color: false }));
  process.exit(1);
}
writeFileSync(join(root, 'dist', 'templates.precompiled.json'), `${JSON.stringify(out)}\n`);
