// Recorded deviations: each action, and the mistakes a clerk can make with them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageText } from './build-helpers.js';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild } from '../src/build/pipeline.js';
import { tempDir } from './temp.js';

function build(deviations: string, extra = '') {
  const dir = tempDir('sro-dev-');
  writeFileSync(
    join(dir, 'district.yaml'),
    [
      'district: { name: Vellmoor Public Schools, board: Vellmoor Board of Education, town: Vellmoor, state: Connecticut }',
      'policies:',
      '  "5142.4":',
      extra,
      '    deviations:',
      deviations.replace(/^/gm, '      '),
      '',
    ].join('\n'),
  );
  const diags = new Diagnostics();
  const plan = planBuild({ config: join(dir, 'district.yaml'), cwd: dir }, diags);
  const page = plan?.files.find((f) => f.name === '5142.4.md');
  const md = page ? pageText(page) : '';
  return { diags, md, codes: diags.items.map((d) => d.code) };
}

describe('deviations', () => {
  it('remove-legal and add-legal change the legal references', () => {
    const r = build('- remove-legal: packer-v-thomaston\n  reason: Superseded.\n- add-legal: { id: local-order, text: "Vellmoor Police General Order 12.", after: cgs-10-220 }\n  reason: Local order.');
    expect(r.diags.errorCount).toBe(0);
    expect(r.md).not.toContain('Kyle P. Packer');
    expect(r.md).toMatch(/10-220 Duties of boards of education\.\n- Vellmoor Police General Order 12\.\n- 10-233a/);
  });

  it('remove-cf removes the reference and its missing-reference warning', () => {
    const r = build('- remove-cf: "5114"\n  reason: Not adopted by the board.');
    expect(r.md).not.toContain('5114');
    const missing = r.diags.items.find((d) => d.code === 'missing-cross-reference')!;
    expect(missing.message).toContain('18 policies');
    expect(missing.message).not.toContain('5114');
  });

  it('replace, omit, move, restyle and lead-in', () => {
    const r = build(
      [
        '- replace: duty-observation',
        '  text: "The observation and reporting of any unlawful act on school grounds;"',
        '  reason: Grounds only.',
        '- omit: duty-theft-prevention',
        '  reason: The district has a separate property policy.',
        '- restyle: duties',
        '  style: "a)"',
        '  reason: House style.',
        '- lead-in: duties',
        '  text: "The officer\'s duties are:"',
        '  reason: Plainer.',
        '- move: memorandum-of-understanding',
        '  before: purpose',
        '  reason: The agreement comes first.',
      ].join('\n'),
    );
    expect(r.diags.errorCount).toBe(0);
    expect(r.md).toContain("The officer's duties are:");
    expect(r.md).toContain('- a) The observation and reporting of any unlawful act on school grounds;');
    expect(r.md).toContain('- b) The control of access to premises being protected;');
    expect(r.md).not.toContain('theft');
    expect(r.md.indexOf('Memorandum of Understanding')).toBeLessThan(r.md.indexOf('In order to make schools'));
  });

  it('a misspelt target gets a did-you-mean at its line', () => {
    const r = build('- omit: duty-obsrvation\n  reason: x');
    const d = r.diags.items.find((x) => x.code === 'unknown-target')!;
    expect(d.hint).toContain('Did you mean "duty-observation"?');
  });

  it('a rename that matches nothing is an error that names the phrase', () => {
    const r = build('- rename: Memorandum of Agreement\n  to: Agreement\n  reason: x');
    const d = r.diags.items.find((x) => x.code === 'rename-unmatched')!;
    expect(d.message).toContain('"Memorandum of Agreement" does not occur in the text of policy 5142.4');
  });

  it('two actions in one deviation are refused', () => {
    const r = build('- omit: duty-observation\n  remove-cf: "5114"\n  reason: x');
    expect(r.codes).toContain('invalid-deviation');
  });

  it('a recorded sample hash that no longer matches is reported, a missing one is suggested', () => {
    const stale = build('- omit: duty-observation\n  reason: x\n  sample-hash: 00000000');
    expect(stale.codes).toContain('deviation-stale');
    const unhashed = build('- omit: duty-observation\n  reason: x');
    expect(unhashed.diags.items.find((d) => d.code === 'deviation-unhashed')!.hint).toMatch(/sample-hash: [0-9a-f]{8}/);
  });
});
