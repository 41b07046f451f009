// The lock file and `outdated`: after the library changes, the district learns
// exactly what needs review.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

function setup(): string {
  const dir = tempDir('sro-outdated-');
  cpSync(join(ROOT, 'policies'), join(dir, 'library'), { recursive: true });
  writeFileSync(
    join(dir, 'district.yaml'),
    [
      'district: { name: Vellmoor Public Schools, board: Vellmoor Board of Education, town: Vellmoor, state: Connecticut }',
      'library: library',
      'policies:',
      '  "5142.4":',
      '    options:',
      '      duty-investigating: true',
      '      duty-crime-prevention: true',
      '    deviations:',
      '      - replace: duty-access-control',
      '        text: "The control of access to school buildings;"',
      '        reason: Vellmoor officers guard buildings, not grounds.',
      '',
    ].join('\n'),
  );
  return dir;
}

function editLibrary(dir: string): void {
  const file = join(dir, 'library', '5142.4.yaml');
  let text = readFileSync(file, 'utf8');
  // One clause reworded.
  text = text.replace('The observation and reporting of any unlawful act;', 'The observation and prompt reporting of any unlawful act;');
  // The sample text a deviation was written against changed.
  text = text.replace('The control of access to premises being protected;', 'The control of access to school premises;');
  // One option removed.
  text = text.replace(/ {6}- id: duty-investigating\n {8}optional: excluded\n {8}text: "Investigating and documenting specific incidents;"\n/, '');
  // One option added.
  text = text.replace(
    '      - id: duty-community-liaison\n',
    '      - id: duty-mental-health\n        optional: excluded\n        text: "Referral of students to school mental health staff;"\n      - id: duty-community-liaison\n',
  );
  writeFileSync(file, text);
}

describe('lock file and outdated', () => {
  it('build writes a lock file beside the config, and outdated finds nothing before the library changes', async () => {
    const dir = setup();
    const build = await runInProcess(['build', 'district.yaml'], dir);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain('wrote     district.lock.json');
    const lock = JSON.parse(readFileSync(join(dir, 'district.lock.json'), 'utf8'));
    expect(lock.policies['5142.4'].clauses['item:duty-observation']).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{8}$/), text: 'The observation and reporting of any unlawful act;' });
    expect(lock.policies['5142.4'].options).toContain('duty-investigating');
    const r = await runInProcess(['outdated', 'district.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing to review');
  });

  it('reports a reworded clause (with a redline), a removed option, an added option and a stale deviation', async () => {
    const dir = setup();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    editLibrary(dir);
    const r = await runInProcess(['outdated', 'district.yaml', '--reporter', 'json'], dir);
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as { code: string; message: string; file: string; line: number }[]).map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`);
    expect(found).toEqual([
      'outdated-removed district.yaml:6 Policy 5142.4: optional "duty-investigating" was removed from the sample',
      'unknown-option district.yaml:6 Policy 5142.4 has no optional block or item "duty-investigating"',
      'outdated-deviation district.yaml:9 Policy 5142.4: deviation 1 (replace duty-access-control) was written against sample text that has changed; it may no longer apply',
      expect.stringMatching(/^outdated-clause library\/5142\.4\.yaml:\d+ Policy 5142\.4: the sample text of "duty-observation" changed: The observation and \*\*prompt\*\* reporting of any unlawful act;$/),
      expect.stringMatching(/^outdated-new-choice library\/5142\.4\.yaml:\d+ Policy 5142\.4: new optional language "duty-mental-health" needs a decision \("Referral of students to school mental health staff;"\)$/),
    ]);
  });

  it('github reporter annotates the findings; build keeps the old lock until --update-lock', async () => {
    const dir = setup();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'district.lock.json'), 'utf8');
    editLibrary(dir);
    const gh = await runInProcess(['outdated', 'district.yaml', '--reporter', 'github'], dir);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::warning file=library\/5142\.4\.yaml,line=\d+,col=\d+,.*title=sro-policy outdated-clause::/m);
    // The district removes the option the library dropped; the build now warns that the lock is behind.
    writeFileSync(join(dir, 'district.yaml'), readFileSync(join(dir, 'district.yaml'), 'utf8').replace('      duty-investigating: true\n', ''));
    const build = await runInProcess(['build', 'district.yaml'], dir);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toContain('[lock-outdated]');
    expect(readFileSync(join(dir, 'district.lock.json'), 'utf8')).toBe(before);
    // Laid out otherwise (not entry by entry as sro-policy writes it): read whole, with the same outcome.
    writeFileSync(join(dir, 'district.lock.json'), JSON.stringify(JSON.parse(before), null, 4));
    const relaid = await runInProcess(['build', 'district.yaml'], dir);
    expect(relaid.code, relaid.stderr).toBe(0);
    expect(relaid.stderr).toBe(build.stderr);
    expect(readFileSync(join(dir, 'district.lock.json'), 'utf8')).toBe(before);
    const accept = await runInProcess(['build', 'district.yaml', '--update-lock'], dir);
    expect(accept.code).toBe(0);
    expect(readFileSync(join(dir, 'district.lock.json'), 'utf8')).not.toBe(before);
    const after = await runInProcess(['outdated', 'district.yaml'], dir);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });

  it('outdated without a lock file says how to make one', async () => {
    const dir = setup();
    const r = await runInProcess(['outdated', 'district.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[lock-missing] district.lock.json does not exist');
    expect(r.stderr).toContain('Run "sro-policy build district.yaml" first');
    expect(existsSync(join(dir, 'district.lock.json'))).toBe(false);
  });
});
