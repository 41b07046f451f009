import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../model/names.js';
import { FORMATS } from './registry.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the format registry', () => {
  it('has a module for every format name, named as it is', () => {
    expect(Object.keys(FORMATS).sort()).toEqual([...FORMAT_NAMES].sort());
    for (const [name, f] of Object.entries(FORMATS)) expect(f.name).toBe(name);
  });

  it('is what the config schema, the command line and the docs list', async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'district.schema.json'), 'utf8')) as { properties: { output: { properties: { formats: { items: { enum: string[] } } } } } };
    expect(schema.properties.output.properties.formats.items.enum).toEqual([...FORMAT_NAMES]);
    const { runInProcess } = await import('../../../test/run-cli.js');
    const help = await runInProcess(['build', '--help'], ROOT);
    expect(help.stdout).toContain(`comma-separated formats: ${FORMAT_NAMES.join(',')}`);
    const doc = readFileSync(join(ROOT, 'docs', 'district-config.md'), 'utf8');
    const line = /^- \*\*`formats`\*\*:[^]*?(?=\n- )/m.exec(doc)![0];
    for (const name of FORMAT_NAMES) expect(line, name).toContain(`\`${name}\``);
  });

  it('templated formats write text, through templates; the others say how they render', () => {
    for (const f of Object.values(FORMATS)) {
      if (f.templated) expect(f.binary).toBe(false);
      // A code format writes one file for the manual (JSON), or pages (DOCX).
      else expect(f.manual !== undefined || f.page !== undefined).toBe(true);
    }
  });
});
