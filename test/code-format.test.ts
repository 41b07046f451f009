// A format rendered in code, page by page (as DOCX will be): the build writes
// a page per policy and an index through its page and index hooks, bytes and
// all, with no change outside its module. The JSON format stands in for it here.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { planBuild } from '../src/build/pipeline.js';
import type { CodeFormat } from '../src/render/formats/format.js';
import { bytesOf } from '../src/write/write.js';

vi.mock('../src/render/formats/json.js', () => {
  const json: CodeFormat = {
    name: 'json',
    binary: true,
    wholeManual: false,
    templated: false,
    page: (doc, context) => new TextEncoder().encode(`${doc.number} ${doc.title}; cited by ${context.referencedBy.length}`),
    index: (entries, context) => new TextEncoder().encode(entries.map((e) => `${e.number} → ${context.link(e.number)}`).join('\n')),
  };
  return { json };
});

describe('a format rendered in code', () => {
  it('writes each policy page and the index through its hooks, as bytes', () => {
    const diags = new Diagnostics();
    const plan = planBuild({ config: join(import.meta.dirname, '..', 'examples', 'district.yaml'), formats: ['json'], cwd: join(import.meta.dirname, '..') }, diags)!;
    expect(diags.hasErrors()).toBe(false);
    const files = new Map(plan.files.map((f) => [f.name, f.kind === 'content' ? new TextDecoder().decode(bytesOf(f.content)) : f.kind]));
    expect([...files.keys()].sort()).toEqual(['5141.6.json', '5142.4.json', '5142.json', '5145.12.json', 'index.json']);
    expect(files.get('5142.4.json')).toBe('5142.4 School Resource Officer; cited by 3');
    expect(files.get('index.json')).toContain('5142.4 → 5142.4.json');
  });
});
