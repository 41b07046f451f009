import { describe, expect, it } from 'vitest';
import { emptyCache, parseCache, parseLastInputs, parseLastReport, serializeCache, serializeLastBuild, type BuildCache, type CachedPolicy } from './cache.js';

const VERSION = '1.2.3+4.5';
const BASE = '/d';

// The files as JSON, edited freely to see what reading them back makes of it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const diagnostic = {
  severity: 'warning' as const,
  code: 'missing-cross-reference' as const,
  message: 'Policy 1 cross-references policy 2, which is not in the manual',
  file: 'library/1.yaml',
  range: [10, 13] as const,
  hint: 'Add the policy.',
  related: [{ file: 'library/1.yaml', range: [20, 23] as const, message: 'cf. 3' }],
};

function entry(): CachedPolicy {
  return {
    key: 'k',
    files: [{ name: '1.md', hash: 'h', stamp: { size: 10, mtimeMs: 1.5, ctimeMs: 1.5, ino: 7, at: 2000 } }],
    diagnostics: [diagnostic],
    index: { number: '1', title: 'One', series: { number: '1000', title: 'Community' }, kind: 'policy', history: [{ event: 'adopted', label: 'Adopted', date: 'May 1, 2020', iso: '2020-05-01' }] },
    used: ['block:purpose'],
    settled: { path: '/lib/1.yaml', shown: 'library/1.yaml', hash: 'h1', variables: ['board-name'], title: 'One', cf: [['2', 'Two']], loaded: [], adopted: [], linked: [diagnostic], lock: 'h2' },
  };
}

function cache(): BuildCache {
  return { ...emptyCache(VERSION), buildKey: 'b', policies: { '1': entry(), '2': entry() }, library: { '/lib/9.yaml': { shown: 'library/9.yaml', hash: 'h9', number: '9', variables: [] } } };
}

/** The cache as read back after one change to the text of policy 2's entry. */
function readBack(change: (c: Loose) => void): BuildCache {
  const c = JSON.parse(serializeCache(cache(), BASE)) as Loose;
  change(c);
  return parseCache(JSON.stringify(c), VERSION, BASE);
}

describe('build cache as read back', () => {
  it('is what was written', () => {
    expect(parseCache(serializeCache(cache(), BASE), VERSION, BASE)).toEqual(cache());
  });

  it('leaves out an entry that is not as sro-policy writes it, and keeps the rest', () => {
    const edits: ((c: Loose) => void)[] = [
      (c) => (c.policies['2'].files = 'x'),
      (c) => (c.policies['2'].files[0].stamp.size = '10'),
      (c) => delete c.policies['2'].files[0].stamp.ctimeMs,
      (c) => (c.policies['2'].diagnostics[0].severity = 'fatal'),
      (c) => (c.policies['2'].diagnostics[0].range = [1]),
      (c) => (c.policies['2'].diagnostics[0].related[0].message = 5),
      (c) => delete c.policies['2'].index.title,
      (c) => (c.policies['2'].index.history[0] = null),
      (c) => (c.policies['2'].used = [1]),
      (c) => (c.policies['2'].settled.cf = [['3']]),
      (c) => (c.policies['2'].settled.linked = {}),
      (c) => delete c.policies['2'].settled.lock,
      (c) => (c.policies['2'] = []),
    ];
    for (const edit of edits) {
      const back = readBack(edit);
      expect(Object.keys(back.policies), edit.toString()).toEqual(['1']);
      expect(back.policies['1']).toEqual(entry());
    }
    expect(Object.keys(readBack((c) => (c.library['../lib/9.yaml'].variables = 'x')).library ?? {})).toEqual([]);
  });

  it('holds paths relative to the config\'s folder, so that it fits another checkout of the project', () => {
    const text = serializeCache(cache(), BASE);
    expect(text).not.toContain('"/lib/');
    expect(JSON.parse(text).library).toHaveProperty(['../lib/9.yaml']);
    expect(parseCache(text, VERSION, '/elsewhere/d').library).toHaveProperty(['/elsewhere/lib/9.yaml']);
  });

  it('starts afresh for another version, a cache that is no object, or unreadable text', () => {
    expect(parseCache(serializeCache(cache(), BASE), '1.2.3+4.6', BASE)).toEqual(emptyCache('1.2.3+4.6'));
    expect(readBack((c) => (c.buildKey = 7))).toEqual(emptyCache(VERSION));
    expect(readBack((c) => (c.policies = []))).toEqual(emptyCache(VERSION));
    expect(parseCache('[1]', VERSION, BASE)).toEqual(emptyCache(VERSION));
    expect(parseCache('{"version":', VERSION, BASE)).toEqual(emptyCache(VERSION));
  });
});

describe('last-build record as read back', () => {
  const build = {
    fingerprint: 'f',
    inputs: { '/d/district.yaml': { hash: 'h', size: 1, mtimeMs: 2, ctimeMs: 2, ino: 9, at: 3000 } },
    folders: ['/d/library'],
    files: ['/d/district.yaml'],
    outputs: [{ name: '1.md', hash: 'h', stamp: { size: 4, mtimeMs: 1, ctimeMs: 1, ino: 3, at: 4000 } }, { name: '2.md', hash: 'h2' }],
    edition: 'district',
    diagnostics: [{ ...diagnostic, start: { line: 3, column: 5 } }],
    sources: { 'library/1.yaml': '\n\nline three\n' },
  };

  it('is what was written, in two parts tied by the fingerprint, and is refused when anything in it is not as written', () => {
    const format = JSON.parse(serializeCache(emptyCache(VERSION), BASE)).version.split('/').pop();
    const both = () => serializeLastBuild(build, VERSION, BASE);
    const { outputs, edition, diagnostics, sources, ...read } = build;
    expect(parseLastInputs(both().inputs, VERSION, BASE)).toEqual(read);
    expect(parseLastReport(both().report, VERSION, 'f')).toEqual({ fingerprint: 'f', outputs, edition, diagnostics, sources });
    expect(JSON.parse(both().inputs).version).toBe(`${VERSION}/${format}`);
    // Paths are relative to the config's folder in the file.
    expect(JSON.parse(both().inputs).files).toEqual(['district.yaml']);
    expect(parseLastReport(both().report, VERSION, 'another build')).toBeUndefined();
    expect(parseLastInputs(both().inputs, '1.2.3+4.6', BASE)).toBeUndefined();
    const edited = (part: 'inputs' | 'report', change: (b: Loose) => void) => {
      const b = JSON.parse(both()[part]) as Loose;
      change(b);
      return part === 'inputs' ? parseLastInputs(JSON.stringify(b), VERSION, BASE) : parseLastReport(JSON.stringify(b), VERSION, 'f');
    };
    expect(edited('report', (b) => (b.diagnostics[0].start = { line: 'x' }))).toBeUndefined();
    expect(edited('report', (b) => (b.sources['library/1.yaml'] = 1))).toBeUndefined();
    expect(edited('report', (b) => (b.outputs[0].stamp.mtimeMs = null))).toBeUndefined();
    expect(edited('inputs', (b) => delete b.inputs['district.yaml'].ino)).toBeUndefined();
    expect(edited('inputs', (b) => delete b.inputs['district.yaml'].hash)).toBeUndefined();
    expect(edited('inputs', () => undefined)).toBeDefined();
    expect(edited('report', () => undefined)).toBeDefined();
  });
});
