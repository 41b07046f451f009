// The bad-input corpus: every folder under test/fixtures/errors/ is a broken
// input. `check` must report exactly the diagnostics in its expected.json
// (code, severity, file, line, column), exit with the expected code, never
// print a stack trace, and write nothing. UPDATE_GOLDEN=1 rewrites expected.json.
import { CODES } from '../src/diagnostics/codes.js';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cases, FIXTURES, UPDATE } from './golden.js';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(FIXTURES, 'errors');
const REPO = join(FIXTURES, '..', '..');

/** Files of the shipped package are shown by absolute path; make that path machine-independent. */
function stablePath(file: string | null): string | null {
  return file !== null && file.startsWith(`${REPO}/`) ? `<sro-policy>/${file.slice(REPO.length + 1)}` : file;
}

interface CaseSpec {
  /** Arguments after "sro-policy" (default: check district.yaml). "--reporter json" is appended. */
  args?: string[];
  /** Expected exit code (default 1). */
  exit?: number;
  /** Inputs that cannot be checked in, made in the temporary copy before the run. */
  setup?: 'big-file' | 'directory' | 'symlink-loop' | 'huge-policy' | 'symlink-page' | 'lock-directory' | 'huge-template';
}

interface Expected {
  severity: string;
  code: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

function prepare(name: string): { dir: string; spec: CaseSpec } {
  const src = join(ROOT, name);
  const dir = tempDir(`sro-err-${name}-`);
  for (const entry of readdirSync(src)) {
    if (entry === 'expected.json' || entry === 'case.json') continue;
    cpSync(join(src, entry), join(dir, entry), { recursive: true });
  }
  const spec: CaseSpec = existsSync(join(src, 'case.json')) ? JSON.parse(readFileSync(join(src, 'case.json'), 'utf8')) : {};
  if (spec.setup === 'big-file') {
    // 10 MB of valid-looking YAML comments: refused before it is parsed.
    writeFileSync(join(dir, 'district.yaml'), `# padding\n`.repeat(1_048_576));
  } else if (spec.setup === 'huge-policy') {
    writeFileSync(join(dir, 'policies', 'big.yaml'), `# padding\n`.repeat(300_000));
  } else if (spec.setup === 'directory') {
    cpSync(join(dir, 'district.yaml'), join(dir, 'district.yaml.bak'));
  } else if (spec.setup === 'symlink-loop') {
    symlinkSync('district.yaml', join(dir, 'district.yaml'));
  } else if (spec.setup === 'symlink-page') {
    // A page name that is a link to a file outside the output folder: never written through.
    writeFileSync(join(dir, 'victim.txt'), 'precious\n');
    mkdirSync(join(dir, 'out'));
    symlinkSync('../victim.txt', join(dir, 'out', '9001.md'));
  } else if (spec.setup === 'huge-template') {
    mkdirSync(join(dir, 'templates', 'md'), { recursive: true });
    writeFileSync(join(dir, 'templates', 'md', 'policy.hbs'), `{{!-- padding --}}\n`.repeat(160_000));
  } else if (spec.setup === 'lock-directory') {
    mkdirSync(join(dir, 'district.lock.json'));
  }
  return { dir, spec };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      let isDir: boolean;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        isDir = false;
      }
      // Folders too: a failed build must not leave an empty output folder behind.
      if (isDir) {
        out.push(`${prefix}${e}/`);
        walk(p, `${prefix}${e}/`);
      } else out.push(`${prefix}${e}`);
    }
  };
  walk(dir, '');
  return out;
}

describe('bad-input corpus', () => {
  const names = cases(ROOT);
  it('has at least 40 cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of names) {
    it(name, async () => {
      const { dir, spec } = prepare(name);
      const before = listFiles(dir);
      const args = [...(spec.args ?? ['check', 'district.yaml']), '--reporter', 'json'];
      const r = await runInProcess(args, dir);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(r.stderr).not.toMatch(/internal error/);
      let diagnostics: Expected[];
      try {
        diagnostics = (JSON.parse(r.stdout) as Expected[]).map((d) => ({
          severity: d.severity,
          code: d.code,
          file: stablePath(d.file),
          line: d.line,
          column: d.column,
        }));
      } catch {
        throw new Error(`output is not JSON:\n${r.stdout}\n${r.stderr}`);
      }
      const expectedFile = join(ROOT, name, 'expected.json');
      if (UPDATE) {
        writeFileSync(expectedFile, `${JSON.stringify(diagnostics, null, 2)}\n`);
      } else {
        expect(diagnostics).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
      }
      expect(diagnostics.length, 'a bad input must produce at least one diagnostic').toBeGreaterThan(0);
      expect(r.code).toBe(spec.exit ?? 1);
      expect(listFiles(dir), 'a failed run writes nothing').toEqual(before);
      if (spec.setup === 'symlink-page') expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('precious\n');
      // Split over worker threads (one clause file each at most), the report is the same.
      const again = prepare(name);
      const split = await runInProcess(args, again.dir, { SRO_POLICY_WORKERS: '2' });
      expect(split.stdout.replaceAll(again.dir, dir)).toBe(r.stdout);
      expect(split.code).toBe(r.code);
    });
  }
});

/** Codes no input can produce, each tested where it arises: template-missing needs a damaged installation (src/read/files.test.ts). */
const NOT_FROM_INPUT = new Set(['template-missing']);

describe('docs/diagnostics.md', () => {
  it('documents every code the corpus produces, and the corpus covers every documented code', () => {
    const doc = readFileSync(join(FIXTURES, '..', '..', 'docs', 'diagnostics.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^#{2,3} `([a-z-]+)`/gm)].map((m) => m[1]!));
    const produced = new Set<string>();
    for (const name of cases(ROOT)) {
      for (const d of JSON.parse(readFileSync(join(ROOT, name, 'expected.json'), 'utf8')) as Expected[]) produced.add(d.code);
    }
    expect([...produced].filter((c) => !documented.has(c)).sort(), 'codes produced but not documented').toEqual([]);
    expect([...documented].filter((c) => !produced.has(c) && !NOT_FROM_INPUT.has(c)).sort(), 'codes documented but not covered by a corpus case').toEqual([]);
  });

  it('documents exactly the codes of src/diagnostics/codes.ts', () => {
    const doc = readFileSync(join(FIXTURES, '..', '..', 'docs', 'diagnostics.md'), 'utf8');
    const documented = [...doc.matchAll(/^#{2,3} `([a-z-]+)`/gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(Object.keys(CODES).sort());
  });
});
