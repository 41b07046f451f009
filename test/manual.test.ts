// Manual-level commands: init, list, explain, refs, build --check / --clean / --watch.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin, runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

function exampleCopy(): string {
  const dir = tempDir('sro-manual-');
  cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'district.yaml'));
  cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'policies'), { recursive: true });
  return dir;
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) if (!n.startsWith('.')) out[n] = readFileSync(join(dir, n), 'utf8');
  return out;
}

describe('init', () => {
  it('writes a complete config for the shipped library that builds, and with every default reproduces the sample defaults', async () => {
    const dir = tempDir('sro-init-');
    const init = await runInProcess(['init', '--out', 'district.yaml'], dir);
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(join(dir, 'district.yaml'), 'utf8');
    // Every choice point of 5142.4, with its question and values.
    for (const s of ['goals: sro-goals', 'regulations: [superintendent-regulations]', 'duty-investigating: false', 'duty-community-liaison: false', 'employ-verb: may', 'school-levels: [high, middle, elementary]', '# police-department:', 'Which schools have school resource officers']) {
      expect(text).toContain(s);
    }
    const built = await runInProcess(['build', 'district.yaml', '--out', 'from-init'], dir);
    expect(built.code, built.stderr).toBe(0);

    // The same district with no choices at all: the sample's defaults.
    writeFileSync(
      join(dir, 'defaults.yaml'),
      text.replace(/\npolicies:[\s\S]*$/, '\npolicies:\n  "5142.4": {}\n'),
    );
    const defaults = await runInProcess(['build', 'defaults.yaml', '--out', 'from-defaults'], dir);
    expect(defaults.code, defaults.stderr).toBe(0);
    expect(files(join(dir, 'from-init'))).toEqual(files(join(dir, 'from-defaults')));
  });

  it('refuses to overwrite an existing file', async () => {
    const dir = tempDir('sro-init-');
    writeFileSync(join(dir, 'district.yaml'), 'mine\n');
    const r = await runInProcess(['init'], dir);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'district.yaml'), 'utf8')).toBe('mine\n');
  });
});

describe('list, explain, refs', () => {
  it('lists the manual in number order', async () => {
    const r = await runInProcess(['list', 'district.yaml'], exampleCopy());
    expect(r.code).toBe(0);
    const numbers = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    expect(numbers).toEqual(['5141.6', '5142', '5142.4', '5145.12']);
    expect(r.stdout).toMatch(/5141\.6\s+Crisis Management\s+policy \+ regulation\s+required/);
  });

  it('explains every choice point with the config key that sets it', async () => {
    const r = await runInProcess(['explain', '5142.4'], ROOT);
    expect(r.code).toBe(0);
    for (const s of [
      'policies."5142.4".alternatives.goals: sro-goals | shared-goals',
      'policies."5142.4".options.duty-crime-prevention: true | false',
      'policies."5142.4".choices.employ-verb: will | may',
      'policies."5142.4".choices.school-levels: [high, middle, elementary]',
      'policies."5142.4".variables.police-department, or variables.police-department for every policy',
    ]) {
      expect(r.stdout).toContain(s);
    }
  });

  it('explain suggests the closest number', async () => {
    const r = await runInProcess(['explain', '5142.5'], ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Did you mean 5142.4?');
  });

  it('refs answers which policies cite a policy number or a statute', async () => {
    const dir = exampleCopy();
    const byNumber = await runInProcess(['refs', 'district.yaml', '5142.4'], dir);
    expect(byNumber.stdout).toBe(
      ['5142.4 School Resource Officer', '  cited by 5141.6 Crisis Management', '  cited by 5142 Safety', '  cited by 5145.12 Search and Seizure', ''].join('\n'),
    );
    const byStatute = await runInProcess(['refs', 'district.yaml', '10-233a'], dir);
    expect(byStatute.stdout).toContain('10-233a through 10-233f');
    expect(byStatute.stdout).toContain('cited by 5142.4 School Resource Officer');
    const none = await runInProcess(['refs', 'district.yaml', '99-999'], dir);
    expect(none.stdout).toContain('No policy in the manual cites');
  });
});

/** Take 5145.12 out of the manual: only listed policies, and 5145.12 no longer listed. */
function dropPolicy5145(dir: string): void {
  const config = readFileSync(join(dir, 'district.yaml'), 'utf8');
  const next = config.replace('    include: all\n', '    include: listed\n').replace(/ {2}"5145\.12":\n( {4}.*\n| {6}.*\n)*/, '');
  expect(next).not.toContain('5145.12');
  writeFileSync(join(dir, 'district.yaml'), next);
}

describe('build --check and --clean', () => {
  it('--check fails after a policy file changes and passes after a rebuild', async () => {
    const dir = exampleCopy();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    const fresh = await runInProcess(['build', 'district.yaml', '--check'], dir);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('out is up to date');
    const file = join(dir, 'policies', '5142.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('places the safety of students first', 'puts the safety of students first'));
    const stale = await runInProcess(['build', 'district.yaml', '--check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('out of date: out/5142.md');
    expect(stale.stdout).toContain('out of date: out/5142.html');
    expect(stale.stdout).not.toContain('5142.4');
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    expect((await runInProcess(['build', 'district.yaml', '--check'], dir)).code).toBe(0);
  });

  it('--clean removes what an earlier build wrote and never touches other files', async () => {
    const dir = exampleCopy();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'out', 'notes.txt'), 'the clerk\'s own file\n');
    writeFileSync(join(dir, 'out', 'old-policy.md'), 'not from sro-policy\n');
    dropPolicy5145(dir);
    const check = await runInProcess(['build', 'district.yaml', '--check'], dir);
    expect(check.stdout).toContain('no longer built: out/5145.12.md');
    const r = await runInProcess(['build', 'district.yaml', '--clean'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('removed   out/5145.12.md');
    expect(existsSync(join(dir, 'out', '5145.12.md'))).toBe(false);
    expect(readFileSync(join(dir, 'out', 'notes.txt'), 'utf8')).toBe('the clerk\'s own file\n');
    expect(readFileSync(join(dir, 'out', 'old-policy.md'), 'utf8')).toBe('not from sro-policy\n');
    expect((await runInProcess(['build', 'district.yaml', '--check'], dir)).code).toBe(0);
  });

  it('--clean keeps a stale file that was edited by hand', async () => {
    const dir = exampleCopy();
    expect((await runInProcess(['build', 'district.yaml'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'out', '5145.12.md'), 'edited by the clerk\n');
    dropPolicy5145(dir);
    const r = await runInProcess(['build', 'district.yaml', '--clean'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[edited-output]');
    expect(readFileSync(join(dir, 'out', '5145.12.md'), 'utf8')).toBe('edited by the clerk\n');
  });
});

describe('build --watch', () => {
  it('rebuilds when a policy changes', async () => {
    const dir = exampleCopy();
    const child = spawn(process.execPath, [BIN, 'build', 'district.yaml', '--watch'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', () => {});
    const waitFor = async (pattern: RegExp, ms = 15_000) => {
      const start = Date.now();
      while (!pattern.test(out)) {
        if (Date.now() - start > ms) throw new Error(`timed out waiting for ${pattern}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/watching /);
      const file = join(dir, 'policies', '5142.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('places the safety of students first', 'puts the safety of students first'));
      await waitFor(/change detected[\s\S]*wrote {5}out\/5142\.md/);
      expect(readFileSync(join(dir, 'out', '5142.md'), 'utf8')).toContain('puts the safety of students first');
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  });
});

describe('check --reporter', () => {
  const bad = () => {
    const dir = exampleCopy();
    writeFileSync(join(dir, 'district.yaml'), readFileSync(join(dir, 'district.yaml'), 'utf8').replace('goals: shared-goals', 'goals: shared-goal'));
    return dir;
  };

  it('github prints workflow annotations', () => {
    const r = runBin(['check', 'district.yaml', '--reporter', 'github'], bad());
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(
      '::error file=district.yaml,line=32,col=14,endLine=32,endColumn=25,title=sro-policy unknown-alternative::Alternative group "goals" has no member "shared-goal"%0Aexpected: sro-goals or shared-goals%0Afound: shared-goal%0Afix: Did you mean "shared-goals"?',
    );
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(1);
  });

  it('json prints an array of located diagnostics', () => {
    const r = runBin(['check', 'district.yaml', '--reporter', 'json'], bad());
    expect(r.code).toBe(1);
    const list = JSON.parse(r.stdout) as { code: string; file: string; line: number; column: number; expected: string; hint: string }[];
    const d = list.find((x) => x.code === 'unknown-alternative')!;
    expect(d).toMatchObject({ file: 'district.yaml', line: 32, column: 14, expected: 'sro-goals or shared-goals', hint: 'Did you mean "shared-goals"?' });
  });
});

describe('per-policy formats', () => {
  it('links only to pages written in the same format', async () => {
    const dir = exampleCopy();
    writeFileSync(join(dir, 'district.yaml'), readFileSync(join(dir, 'district.yaml'), 'utf8').replace('  "5142":\n', '  "5142":\n    formats: [html]\n'));
    const r = await runInProcess(['build', 'district.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'out', '5142.md'))).toBe(false);
    const md = readFileSync(join(dir, 'out', '5142.4.md'), 'utf8');
    expect(md).toContain('(cf. 5142 - Safety)');
    expect(md).not.toContain('(5142.md)');
    expect(readFileSync(join(dir, 'out', '5142.4.html'), 'utf8')).toContain('<a href="5142.html">5142 - Safety</a>');
    expect(readFileSync(join(dir, 'out', 'index.md'), 'utf8')).toMatch(/\| 5142 \| Safety \|/);
  });
});
