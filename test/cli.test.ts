// The same table runs in-process and through the real bin.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNNERS, type CliResult } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');

function workspace(): string {
  const dir = tempDir('sro-cli-');
  cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'district.yaml'));
  cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'policies'), { recursive: true });
  return dir;
}

function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  // The build cache records where it was built; the pages and the manifest are what users see.
  for (const name of readdirSync(dir).sort()) if (!/^\.sro-policy-(cache|last-build)\.json$/.test(name)) out[name] = readFileSync(join(dir, name), 'utf8');
  return out;
}

interface Case {
  name: string;
  argv: (dir: string) => string[];
  setup?: (dir: string) => void;
  code: number;
  check?: (r: CliResult, dir: string) => void;
}

const noStack = (r: CliResult) => {
  expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(r.stderr).not.toMatch(/node:internal|TypeError|ReferenceError/);
};

const CASES: Case[] = [
  {
    name: '--version prints the package version',
    argv: () => ['--version'],
    code: 0,
    check: (r) => expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version),
  },
  {
    name: '--help lists the commands',
    argv: () => ['--help'],
    code: 0,
    check: (r) => {
      expect(r.stdout).toContain('build');
      expect(r.stdout).toContain('check');
    },
  },
  {
    name: 'build --help lists its options',
    argv: () => ['build', '--help'],
    code: 0,
    check: (r) => {
      for (const opt of ['--out', '--format', '--edition', '--draft', '--strict']) expect(r.stdout).toContain(opt);
    },
  },
  {
    name: 'no arguments prints usage and exits 2',
    argv: () => [],
    code: 2,
    check: (r) => expect(r.stderr).toContain('Usage: sro-policy'),
  },
  {
    name: 'an unknown command exits 2 with a suggestion',
    argv: () => ['biuld', 'district.yaml'],
    code: 2,
    check: (r) => expect(r.stderr).toMatch(/build/),
  },
  {
    name: 'build writes Markdown and HTML and one line per file',
    argv: () => ['build', 'district.yaml'],
    code: 0,
    check: (r, dir) => {
      expect(r.stdout).toBe(
        [
          ...['5141.6', '5142', '5142.4', '5145.12'].flatMap((n) => [`wrote     out/${n}.md (district edition)`, `wrote     out/${n}.html (district edition)`]),
          'wrote     out/index.md (district edition)',
          'wrote     out/index.html (district edition)',
          'wrote     district.lock.json',
          '',
        ].join('\n'),
      );
      expect(readFileSync(join(dir, 'out', '5142.4.md'), 'utf8')).toContain('# School Resource Officer');
      expect(readFileSync(join(dir, 'out', '5142.4.html'), 'utf8')).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    },
  },
  {
    name: 'build --out --format --edition sample',
    argv: () => ['build', 'district.yaml', '--out', 'elsewhere', '--format', 'md', '--edition', 'sample'],
    code: 0,
    check: (r, dir) => {
      expect(readdirSync(join(dir, 'elsewhere')).sort()).toEqual(
        ['.sro-policy-manifest.json', '5141.6.sample.md', '5142.4.sample.md', '5142.sample.md', '5145.12.sample.md', 'index.sample.md'],
      );
      expect(r.stdout).toContain('(sample edition)');
    },
  },
  {
    name: 'a missing config file exits 2 and names it',
    argv: () => ['build', 'nope.yaml'],
    code: 2,
    check: (r) => {
      expect(r.stderr).toContain('nope.yaml');
      expect(r.stderr).toContain('does not exist');
      noStack(r);
    },
  },
  {
    name: 'a YAML syntax error gives file:line:col and exits 1',
    setup: (dir) => writeFileSync(join(dir, 'district.yaml'), 'district:\n  name: "Unclosed\npolicies: {}\n'),
    argv: () => ['build', 'district.yaml'],
    code: 1,
    check: (r) => {
      expect(r.stderr).toMatch(/district\.yaml:\d+:\d+: error \[yaml-syntax\]/);
      noStack(r);
    },
  },
  {
    name: 'an unknown policy number gives file:line:col, the valid numbers and exits 1',
    setup: (dir) =>
      writeFileSync(
        join(dir, 'district.yaml'),
        'district: { name: A, board: B, town: C, state: D }\npolicies:\n  "5142.5": {}\n',
      ),
    argv: () => ['build', 'district.yaml'],
    code: 1,
    check: (r) => {
      expect(r.stderr).toContain('district.yaml:3:3: error [unknown-policy] The library has no policy 5142.5');
      expect(r.stderr).toContain('Did you mean "5142.4"?');
      expect(r.stderr).toContain('Nothing was written.');
      noStack(r);
    },
  },
  {
    name: 'an unknown option value is a usage error (exit 2)',
    argv: () => ['build', 'district.yaml', '--edition', 'final'],
    code: 2,
    check: (r) => expect(r.stderr).toMatch(/district, sample/),
  },
];

for (const [mode, run] of Object.entries(RUNNERS)) {
  describe(`CLI (${mode})`, () => {
    for (const c of CASES) {
      it(c.name, async () => {
        const dir = workspace();
        c.setup?.(dir);
        const r = await run(c.argv(dir), dir);
        expect(r.code, r.stderr).toBe(c.code);
        c.check?.(r, dir);
      });
    }
  });
}

describe('build output', () => {
  let dir: string;
  beforeAll(() => {
    dir = workspace();
  });

  it('is byte-identical when built twice', async () => {
    const first = await RUNNERS['in-process'](['build', 'district.yaml', '--out', 'a'], dir);
    const second = await RUNNERS.subprocess(['build', 'district.yaml', '--out', 'b'], dir);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(snapshotDir(join(dir, 'b'))).toEqual(snapshotDir(join(dir, 'a')));
    const again = await RUNNERS['in-process'](['build', 'district.yaml', '--out', 'a'], dir);
    expect(again.stdout).toContain('unchanged a/5142.4.md');
  });

  it('a failed build leaves earlier output byte-identical', async () => {
    const ok = await RUNNERS['in-process'](['build', 'district.yaml'], dir);
    expect(ok.code).toBe(0);
    const before = snapshotDir(join(dir, 'out'));
    writeFileSync(join(dir, 'district.yaml'), readFileSync(join(dir, 'district.yaml'), 'utf8').replace('goals: shared-goals', 'goals: shared-goal'));
    const bad = await RUNNERS.subprocess(['build', 'district.yaml'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[unknown-alternative]');
    expect(snapshotDir(join(dir, 'out'))).toEqual(before);
  });

  it('never overwrites a file it did not write', async () => {
    const d = workspace();
    mkdirSync(join(d, 'out'));
    writeFileSync(join(d, 'out', '5142.4.md'), 'my own notes\n');
    const r = await RUNNERS['in-process'](['build', 'district.yaml'], d);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('[foreign-file]');
    expect(readFileSync(join(d, 'out', '5142.4.md'), 'utf8')).toBe('my own notes\n');
    expect(existsSync(join(d, 'out', '5142.4.html'))).toBe(false);
  });
});
