import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { needsExactParser, parseYaml, parseYamlExact, scanPolicyNumber, spanAt } from './yaml.js';
import { loadPolicy } from './clause-file.js';

const ROOT = join(import.meta.dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && !name.startsWith('.')) yamlFiles(p, out);
    } else if (name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

describe('parseYaml', () => {
  const files = [...yamlFiles(join(ROOT, 'policies')), ...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))];

  it('the fast path reads every shipped and fixture file exactly as the exact parser does', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const path of files) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
      } catch {
        continue; // the corpus has unreadable files on purpose
      }
      const file = { path, absPath: path, text };
      const exact = parseYamlExact(file, new Diagnostics());
      if (!exact) continue; // broken on purpose: only the exact parser reads it
      const fast = parseYaml(file, new Diagnostics());
      expect(fast?.data, path).toEqual(exact?.data);
      expect([...(fast?.spans ?? new Map())], path).toEqual([...(exact?.spans ?? new Map())]);
    }
  });

  it('ends a block scalar that keeps its trailing empty lines (|+) where the exact parser does', () => {
    const texts = [
      'a: |+\n  text\n\nb: 1\n',
      'a: |+\n  text\n\n\n',
      'a: |+\n  text\n',
      'a:\n  - |+\n    one\n\n  - x\n',
      'a: >2+\n   folded\n\n\nb: [1]\n',
      'a: |+1\n  indented\n\n# a comment\nb: 2\n',
      'a:\n  b: |+\n    text\n\n  c: 1\n',
    ];
    for (const text of texts) {
      const file = { path: 'case.yaml', absPath: 'case.yaml', text };
      const exact = parseYamlExact(file, new Diagnostics());
      const fast = parseYaml(file, new Diagnostics());
      expect(fast?.data, text).toEqual(exact?.data);
      expect([...(fast?.spans ?? new Map())], text).toEqual([...(exact?.spans ?? new Map())]);
    }
  });

  it('finds the same positions after letting go of its trees (a large manual releases them)', () => {
    const path = join(ROOT, 'policies', '5142.4.yaml');
    const file = { path, absPath: path, text: readFileSync(path, 'utf8') };
    const kept = parseYaml(file, new Diagnostics())!;
    const released = parseYaml(file, new Diagnostics())!;
    released.release?.();
    expect(released.data).toBeNull();
    const pointers = [...kept.spans.keys()];
    expect(pointers.length).toBeGreaterThan(100);
    for (const p of pointers) expect(spanAt(released, p), p).toEqual(spanAt(kept, p));
  });

  it('sends text it could misread to the exact parser', () => {
    const read = (text: string) => parseYaml({ path: 'x.yaml', absPath: 'x.yaml', text }, new Diagnostics())?.data;
    expect(read('policies:\n  5131.60: {}\n')).toEqual({ policies: { '5131.60': {} } });
    expect(read('policies:\n  0x10: {}\n')).toEqual({ policies: { '0x10': {} } });
    expect(read('a: &x [1]\nb: *x\n')).toEqual({ a: [1], b: [1] });
    const diags = new Diagnostics();
    expect(parseYaml({ path: 'x.yaml', absPath: 'x.yaml', text: 'a: 1\na: 2\n' }, diags)).toBeUndefined();
    expect(diags.items[0]!.code).toBe('duplicate-key');
  });
});

describe('needsExactParser', () => {
  // The regular expressions the one-pass check replaced: it must send exactly the same text to the exact parser.
  const NEEDS_EXACT = /(?:^|[[{,]|:[ \t]|-[ \t])[ \t]*[&*!][^\s,\]}]|__proto__|\bconstructor\b|\bprototype\b|^\t|\n\t/m;
  const NUMERIC_KEY = /^[ \t]*(?:-[ \t]+)?([-+.]?[0-9][^:#'"\n]*?)[ \t]*:(?:[ \t]|$)/gm;
  const byRegex = (text: string) => NEEDS_EXACT.test(text) || [...text.matchAll(NUMERIC_KEY)].some((m) => String(Number(m[1])) !== m[1]);

  it('agrees with the regular expressions it replaces', () => {
    const pieces = [' ', '\t', '\n', '\r', '\u2028', '\u00a0', '-', '- ', ':', ': ', ',', '[', ']', '{', '}', '&', '*', '!', '#', "'", '"', '0', '5', '.', '+', 'a', '_', 'constructor', 'prototype', '__proto__', '5131.60', '1e3'];
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const disagree: string[] = [];
    for (let n = 0; n < 100_000; n++) {
      let text = '';
      for (let k = 1 + Math.floor(random() * 10); k > 0; k--) text += pieces[Math.floor(random() * pieces.length)];
      if (needsExactParser(text) !== byRegex(text)) disagree.push(text);
    }
    expect(disagree).toEqual([]);
  });
});

describe('spanAt on the fast path', () => {
  it('finds each path without building every span, and agrees with the full map', () => {
    const path = join(ROOT, 'policies', '5142.4.yaml');
    const file = { path, absPath: path, text: readFileSync(path, 'utf8') };
    const exact = parseYamlExact(file, new Diagnostics())!;
    for (const [pointer, spans] of exact.spans) {
      const fast = parseYaml(file, new Diagnostics())!;
      expect(spanAt(fast, pointer, 'value'), pointer).toEqual(spans.value);
      if (spans.key) expect(spanAt(fast, pointer, 'key'), pointer).toEqual(spans.key);
    }
  });
});

describe('scanPolicyNumber', () => {
  it('reads a plain or quoted number as typed, and gives up on anything less plain', () => {
    expect(scanPolicyNumber('format: 1\nnumber: "5142.4"\ntitle: x\n')).toBe('5142.4');
    expect(scanPolicyNumber("number: '5142.4'   # the sample's number\n")).toBe('5142.4');
    expect(scanPolicyNumber('title: x\nnumber: 5131.60\n')).toBe('5131.60');
    expect(scanPolicyNumber('number: 2:90\n')).toBe('2:90');
    expect(scanPolicyNumber('number: 5132R # regulation\n')).toBe('5132R');
    for (const text of [
      'title: x\n',
      'number: "5142.4"\nnumber: "5142.5"\n',
      'number: "51\\x34"\n',
      'number: "5142.4\n',
      'number: true\n',
      'number: [5142]\n',
      'number:\n  "5142.4"\n',
      'number: &n "5142.4"\ncf: [*n]\n',
      '---\nnumber: "5142.4"\n',
      'number: "5142.4"\n---\nnumber: "9"\n',
      'number: " 5142.4"\n',
      'numbers: "5142.4"\n',
      'number: 5142 4\n',
    ]) {
      expect(scanPolicyNumber(text), text).toBeUndefined();
    }
    // Only a line at the top level counts.
    expect(scanPolicyNumber('number: "1"\nparts:\n  - number: "2"\n')).toBe('1');
  });

  it('agrees with parsing for every clause file it reads a number from', () => {
    const files = [...yamlFiles(join(ROOT, 'policies')), ...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))];
    let read = 0;
    for (const path of files) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const scanned = scanPolicyNumber(text);
      if (scanned === undefined) continue;
      const policy = loadPolicy(path, ROOT, new Diagnostics())?.policy;
      // A file that does not load has no number to agree with; its config entry is checked by parsing it.
      if (policy) {
        expect(policy.number, path).toBe(scanned);
        read++;
      }
    }
    expect(read).toBeGreaterThan(20);
  });
});
