// The shape of src/ (docs/architecture.md): stage folders, no import circles,
// a core that does not reach the file system's stages, no god files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
/** Entry points: the only files at the root of src/. */
const ENTRY_POINTS = ['cli.ts', 'index.ts', 'shard-worker.ts'];
/** Stages that are pure: they take values and give values. */
const CORE = ['model', 'assemble', 'render'];
/** Stages the core must not import: they read, write, or drive the build. */
const OUTER = ['read', 'build', 'incremental', 'write', 'cli', 'lock', 'redline', 'api'];
/** The only stages that touch the file system or the process (the entry points hand the process to cli/). */
const IO_STAGES = ['read', 'write', 'cli'];
const MAX_LINES = 450;

function sourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(relative(SRC, p));
  }
  return out;
}

/** Every module a file imports (types included), as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts');
    out.push(target);
  }
  return out;
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
const stage = (f: string) => (f.includes('/') ? f.split('/')[0]! : '');

describe('src/', () => {
  it('holds stage folders and only the entry points at its root', () => {
    expect(files.filter((f) => !f.includes('/')).sort()).toEqual([...ENTRY_POINTS].sort());
  });

  it('has no import circles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      path.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...path.slice(path.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t);
      }
      path.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps the core (model, assemble, render) away from the stages that read, write and drive the build', () => {
    const bad: string[] = [];
    for (const [f, targets] of graph) {
      if (!CORE.includes(stage(f))) continue;
      for (const t of targets) if (OUTER.includes(stage(t))) bad.push(`${f} → ${t}`);
    }
    expect(bad).toEqual([]);
  });

  it('lets only read, write and cli touch the file system or the process', () => {
    const bad: string[] = [];
    for (const f of files) {
      if (IO_STAGES.includes(stage(f)) || ENTRY_POINTS.includes(f)) continue;
      const text = readFileSync(join(SRC, f), 'utf8');
      for (const m of text.matchAll(/^import (?!type )[^;]*?from 'node:(fs|fs\/promises|child_process|process)'/gm)) bad.push(`${f}: imports node:${m[1]}`);
      for (const m of text.matchAll(/\bprocess\.(\w+)/g)) bad.push(`${f}: process.${m[1]}`);
    }
    expect(bad).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = files.filter((f) => !f.includes('.generated.')).map((f) => [f, readFileSync(join(SRC, f), 'utf8').split('\n').length] as const);
    expect(long.filter(([, n]) => n > MAX_LINES).map(([f, n]) => `${f}: ${n}`)).toEqual([]);
  });
});
