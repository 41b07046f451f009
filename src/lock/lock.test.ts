import { describe, expect, it } from 'vitest';
import type { AppliedDeviation } from '../assemble/deviations.js';
import { assembleLock, lockEntries, lockEntryBytes, lockEntryOf, lockMatches, lockPolicy, lockPolicyBytes, serializeLock, type LockedPolicy } from './lock.js';

const entry = (title: string): LockedPolicy => ({
  library: 'library',
  edition: '2024',
  clauses: { 'block:purpose': { hash: 'a86e8937', text: `The "${title}" — purpose.` } },
  alternatives: { goals: ['short', 'long'] },
  options: ['a'],
  choices: {},
  deviations: [],
  cf: { '5114': 'Suspension/Expulsion', '5131.2': 'Bullying' },
  legal: {},
});

/** The lock file as it was written before entries came as text: keys sorted, then JSON.stringify. */
function reference(policies: Record<string, LockedPolicy>): string {
  const sorted: Record<string, LockedPolicy> = {};
  for (const k of Object.keys(policies).sort()) sorted[k] = policies[k]!;
  return `${JSON.stringify({ generator: 'sro-policy', version: 1, policies: sorted }, null, 2)}\n`;
}

describe('lock file text', () => {
  it('is byte for byte what JSON.stringify gives, whatever the policy numbers', () => {
    // Whole numbers are array indexes to JavaScript: objects list them first, by value.
    const numbers = ['5142.4', '10', '9', '0', '0123', '4294967294', '4294967295', '5114', '1000.1', 'E-1', '"odd"', 'a\\b', '9999999999'];
    const policies = Object.fromEntries(numbers.map((n) => [n, entry(n)]));
    const text = serializeLock({ generator: 'sro-policy', version: 1, policies });
    expect(text).toBe(reference(policies));
    expect(assembleLock(numbers.map((n) => [n, lockEntryBytes(entry(n))])).toString('utf8')).toBe(text);
  });

  it('recognises an unchanged lock file from the entries, and any difference', () => {
    const entries = ['5142.4', '5114', '1000.1'].map((n) => [n, lockEntryBytes(entry(n))] as const);
    const file = Buffer.from(reference(Object.fromEntries(['5142.4', '5114', '1000.1'].map((n) => [n, entry(n)]))));
    // Read a few bytes at a time, so that pieces straddle the reads.
    const matches = (bytes: Buffer, list: typeof entries) =>
      lockMatches(bytes.length, (into, position) => bytes.copy(into, 0, position, Math.min(position + 7, bytes.length)), list);
    expect(matches(file, entries)).toBe(true);
    expect(matches(Buffer.concat([file, Buffer.from('\n')]), entries)).toBe(false);
    expect(matches(file.subarray(0, -1), entries)).toBe(false);
    const changed = Buffer.from(file);
    const at = file.indexOf('purpose.') + 1;
    changed[at] = changed[at]! ^ 1;
    expect(matches(changed, entries)).toBe(false);
    expect(matches(file, entries.slice(1))).toBe(false);
    expect(lockMatches(file.length, (into, position) => file.copy(into, 0, position), entries)).toBe(true);
    expect(lockEntryOf(entries[0]![1])).toEqual(entry('5142.4'));
  });

  it('gives back each entry of a lock file as the bytes it was written from', () => {
    const numbers = ['5142.4', '10', '0123', '"odd"', 'a\\b', 'E-1'];
    const entries = numbers.map((n) => [n, lockEntryBytes(entry(n))] as const);
    const file = assembleLock(entries);
    const found = lockEntries(file);
    expect([...found.keys()].sort()).toEqual([...numbers].sort());
    for (const [n, bytes] of entries) expect(Buffer.from(found.get(n)!).equals(Buffer.from(bytes)), n).toBe(true);
    expect(lockEntries(assembleLock([])).size).toBe(0);
    // Laid out otherwise: nothing is taken from it (the entries are worked out again).
    expect(lockEntries(Buffer.from(file.toString('utf8').replaceAll('\n', '\r\n'))).size).toBe(0);
    expect(lockEntries(file.subarray(0, -1)).size).toBe(0);
  });

  it('writes an empty manual as an empty mapping', () => {
    expect(serializeLock({ generator: 'sro-policy', version: 1, policies: {} })).toBe(reference({}));
  });
});

describe('lock entries from a policy', () => {
  it('are byte for byte the generic entry, for every clause file in the repository', async () => {
    const { readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { loadPolicy } = await import('../read/clause-file.js');
    const { Diagnostics } = await import('../diagnostics/diagnostic.js');
    const root = join(import.meta.dirname, '..', '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'work' && !e.name.startsWith('.')) walk(join(dir, e.name));
        else if (e.isFile() && e.name.endsWith('.yaml')) files.push(join(dir, e.name));
      }
    };
    for (const dir of ['policies', 'examples', 'test']) walk(join(root, dir));
    const deviation = { number: 1, action: 'replace', target: 'purpose', sampleHash: 'a86e8937' } as unknown as AppliedDeviation;
    let policies = 0;
    for (const file of files) {
      const policy = loadPolicy(file, root, new Diagnostics())?.policy;
      if (!policy) continue;
      policies++;
      for (const deviations of [[], [deviation]]) {
        expect(Buffer.from(lockPolicyBytes(policy, 'library', deviations)).toString('utf8'), file).toBe(Buffer.from(lockEntryBytes(lockPolicy(policy, 'library', deviations))).toString('utf8'));
      }
    }
    expect(policies).toBeGreaterThan(50);
  });
});
