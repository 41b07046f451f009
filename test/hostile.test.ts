// District values are the district's own words: markup or Handlebars in them is
// text, never code. A config that tries both must build, with the values escaped
// in every output. (The corpus in errors.test.ts covers inputs that must fail.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInMemory, type InMemoryBuild } from './build-helpers.js';
import { tempDir } from './temp.js';

const CLAUSE = `number: "9001"
title: Bicycle Racks
series: { number: "9000", title: Fixture Series }
kind: policy
variables:
  rack-keeper:
    prompt: Who looks after the bicycle racks?
body:
  - id: purpose
    paragraph: "The racks are looked after by {{rack-keeper}}."
`;

const CONFIG = `district:
  name: "<script>alert(1)</script>"
  board: Alderbrook Board of Education
  town: Alderbrook
  state: Connecticut
library: policies
policies:
  "9001":
    variables:
      rack-keeper: "{{title}} {{#each x}}"
`;

describe('hostile district values', () => {
  let build: InMemoryBuild;
  let html: string;
  let md: string;

  beforeAll(() => {
    const dir = tempDir('sro-hostile-');
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', '9001.yaml'), CLAUSE);
    writeFileSync(join(dir, 'district.yaml'), CONFIG);
    build = buildInMemory('district.yaml', dir, { formats: ['md', 'html'] });
    html = build.files['9001.html']!;
    md = build.files['9001.md']!;
  });

  it('builds without errors', () => {
    expect(build.diags.hasErrors()).toBe(false);
    expect(html).toBeDefined();
    expect(md).toBeDefined();
  });

  it('escapes HTML in the district name in every HTML file', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const [name, text] of Object.entries(build.files)) {
      if (name.endsWith('.html')) expect(text, name).not.toContain('<script>alert');
    }
  });

  it('prints a Handlebars expression in a value as text, not as the policy title', () => {
    expect(html).toContain('looked after by {{title}} {{#each x}}.');
    expect(html).not.toContain('looked after by Bicycle Racks');
    expect(md).toContain('looked after by \\{\\{title\\}\\} \\{\\{\\#each x\\}\\}.');
    expect(md).not.toContain('looked after by Bicycle Racks');
  });

  it('escapes HTML in the district name in the Markdown text', () => {
    const body = md.replace(/^---\n[\s\S]*?\n---\n/, '');
    expect(body).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(body).not.toContain('<script>');
  });
});
