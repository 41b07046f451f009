// District values are the district's own words: markup or Handlebars in them is
// text, never code. A config that tries both must build, with the values escaped
// in every output. (The corpus in errors.test.ts covers inputs that must fail.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildInMemory, type InMemoryBuild } from './build-helpers.js';
import { runInProcess } from './run-cli.js';
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

describe('hostile settings and templates', () => {
  function fixture(extraConfig = '', template?: string): string {
    const dir = tempDir('sro-hostile-env-');
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', '9001.yaml'), CLAUSE);
    writeFileSync(join(dir, 'district.yaml'), `${CONFIG.replace('"<script>alert(1)</script>"', 'toString')}${extraConfig}`);
    if (template !== undefined) {
      mkdirSync(join(dir, 'tpl', 'md'), { recursive: true });
      writeFileSync(join(dir, 'tpl', 'md', 'policy.hbs'), template);
    }
    return dir;
  }

  it('SRO_POLICY_WORKERS beyond the cores is capped with a note; anything but a whole number is a usage error', async () => {
    const dir = fixture();
    const capped = await runInProcess(['build', 'district.yaml'], dir, { SRO_POLICY_WORKERS: '1000' });
    expect(capped.code, capped.stderr).toBe(0);
    expect(capped.stderr).toMatch(/SRO_POLICY_WORKERS=1000 is more than this machine's \d+ cores; using \d+ worker thread/);
    for (const bad of ['abc', '-1', '1.5', '2 workers']) {
      const r = await runInProcess(['build', 'district.yaml', '--reporter', 'json'], dir, { SRO_POLICY_WORKERS: bad });
      expect(r.code, bad).toBe(2);
      expect(JSON.parse(r.stdout).map((d: { code: string }) => d.code), bad).toEqual(['usage']);
    }
  });

  it('a template that reaches a prototype property at run time fails with a template error, and Handlebars prints nothing', async () => {
    // The district's name is "toString": {{lookup district district.name}} computes a key only objects have.
    const dir = fixture('templates: tpl\noutput: { formats: [md] }\n', '{{lookup district district.name}}\n');
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logged = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const r = await runInProcess(['build', 'district.yaml', '--reporter', 'json'], dir);
      expect(r.code).toBe(1);
      const errors = JSON.parse(r.stdout).filter((d: { severity: string }) => d.severity === 'error');
      expect(errors).toEqual([expect.objectContaining({ code: 'template-error', file: 'tpl/md/policy.hbs' })]);
      expect(`${r.stdout}${r.stderr}`).not.toContain('runtime option');
      expect(printed).not.toHaveBeenCalled();
      expect(logged).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      logged.mockRestore();
    }
  });
});
