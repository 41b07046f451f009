// The validators generated from the JSON Schemas decide alone whenever they
// accept a file, so they must never accept what zod rejects. Checked on every
// YAML file of the repository and on seeded random mutations of the valid ones.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { parseYaml } from './yaml.js';
import type { FileSchema } from './schema-check.js';
import { DistrictConfig } from '../schema/district.js';
import { PolicyFile } from '../schema/policy.js';
import { prepareConfig } from './config.js';
import { restoreNumbers } from './policy.js';
import { tempDir } from '../../test/temp.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Sample {
  path: string;
  schema: FileSchema<unknown>;
  data: unknown;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

/** Every YAML file that parses, as validatePolicy or validateConfig hands it to the schema. */
function samples(): Sample[] {
  const out: Sample[] = [];
  for (const path of ['policies', 'examples', join('test', 'fixtures')].flatMap((d) => yamlFiles(join(ROOT, d)))) {
    const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    const parsed = parseYaml({ path, absPath: path, text }, new Diagnostics());
    if (!parsed) continue;
    const isConfig = basename(path) === 'district.yaml';
    if (isConfig) prepareConfig(parsed);
    else restoreNumbers(parsed);
    out.push({ path, schema: isConfig ? DistrictConfig : PolicyFile, data: parsed.data });
  }
  return out;
}

const zodAccepts = (schema: FileSchema<unknown>, data: unknown) => schema.zod().safeParse(data).success;

describe('the generated validators', () => {
  const all = samples();
  const valid = all.filter((s) => zodAccepts(s.schema, s.data));

  it('agree with zod on every shipped and fixture file', () => {
    expect(valid.length).toBeGreaterThan(100);
    expect(all.length - valid.length).toBeGreaterThan(10);
    for (const s of all) expect(s.schema.accepts(s.data), s.path).toBe(zodAccepts(s.schema, s.data));
  });

  it('accept data that zod returns unchanged: no defaults, transforms or dropped keys', () => {
    for (const s of valid) expect(s.schema.zod().parse(s.data), s.path).toStrictEqual(s.data);
  });

  it('accept no mutation of a valid file that zod rejects (or would change)', () => {
    const random = mulberry32(20_240_917);
    const CASES = 5000;
    let accepted = 0;
    let stricter = 0;
    const wrong: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const base = valid[Math.floor(random() * valid.length)]!;
      const data = structuredClone(base.data);
      const root = { data };
      const steps: string[] = [];
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) steps.push(mutate(root, valid, random));
      const fast = base.schema.accepts(root.data);
      const slow = base.schema.zod().safeParse(root.data);
      if (fast && !(slow.success && isDeepStrictEqual(slow.data, root.data))) wrong.push(`case ${i}, ${base.path}: ${steps.join('; ')}`);
      if (!fast && slow.success) stricter++;
      if (slow.success) accepted++;
    }
    // Rejecting more than zod only sends the file down the slow path, where zod decides.
    console.info(`${CASES} mutations: zod accepted ${accepted}; the generated validator rejected ${stricter} of those`);
    expect(wrong).toEqual([]);
    expect(accepted).toBeGreaterThan(CASES * 0.05);
    expect(accepted).toBeLessThan(CASES * 0.8);
  });
});

describe('zod', () => {
  // NODE_DEBUG=module lists every require(), and zod is loaded by one (src/schema/zod.ts).
  const build = (folder: string) => {
    const dir = tempDir('sro-zod-');
    cpSync(join(ROOT, folder), dir, { recursive: true });
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'sro-policy.js'), 'build', 'district.yaml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_DEBUG: 'module' },
    });
    return { code: r.status, loadsZod: /REQUEST zod\b/.test(r.stderr) };
  };

  it('is not loaded by a build of valid files, only to explain an invalid one', () => {
    expect(build('examples')).toEqual({ code: 0, loadsZod: false });
    expect(build(join('test', 'fixtures', 'errors', 'unknown-key-typo'))).toEqual({ code: 1, loadsZod: true });
  });

  it('is in neither bundle', () => {
    for (const f of ['cli.cjs', 'shard-worker.js']) {
      const code = readFileSync(join(ROOT, 'bundle', f), 'utf8');
      expect(code.length, f).toBeGreaterThan(100_000);
      expect(code, f).not.toContain('$ZodType');
    }
  });
});

/** A small seeded generator, so that a failing case can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Slot = { parent: Record<string | number, unknown>; key: string | number };

/** Every place a value sits in the data, the root included. */
function slots(parent: Record<string | number, unknown>, key: string | number, out: Slot[] = []): Slot[] {
  out.push({ parent, key });
  const v = parent[key];
  if (v !== null && typeof v === 'object') {
    for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) slots(v as Record<string | number, unknown>, k, out);
  }
  return out;
}

// Values of every type, and strings just outside what ids, numbers, dates and styles allow.
const ODD_VALUES: unknown[] = [
  null, true, false, 0, 1, 1.5, -1, '', 'x', 'Not An Id', '2021-13', '2021-02-30', '1.', '(a)', 'dotted', 'included', 'board', 'one-of',
  [], {}, ['x'], [1], { id: 'x' }, { x: 1 },
];
const ODD_KEYS = ['x', 'id', 'text', 'paragraph', 'items', 'default', 'prompt', 'optional', 'blocks', 'kind', 'level', 'toString', 'constructor'];

type Value = unknown;
const isMap = (v: Value): v is Record<string, Value> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Each mutation: to which values it applies, and what it does to one (described for a failure message). */
type Pick = <T>(xs: readonly T[]) => T;
const MUTATIONS: Record<string, { applies: (v: Value) => boolean; apply: (s: Slot, pick: Pick, donors: Sample[]) => string }> = {
  delete: {
    applies: () => true,
    apply: ({ parent, key }) => {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return 'deleted';
    },
  },
  'add key': {
    applies: isMap,
    apply: ({ parent, key }, pick) => {
      const o = parent[key] as Record<string, Value>;
      const keys = Object.keys(o);
      // Unknown keys, known keys of other blocks, and near misses of its own.
      const name = keys.length === 0 || pick([true, false]) ? pick(ODD_KEYS) : pick([(k: string) => k.slice(0, -1), (k: string) => `${k}s`])(pick(keys));
      o[name] = structuredClone(pick(ODD_VALUES));
      return `added "${name}"`;
    },
  },
  empty: {
    applies: (v) => Array.isArray(v) || isMap(v) || typeof v === 'string',
    apply: ({ parent, key }) => {
      const v = parent[key];
      parent[key] = Array.isArray(v) ? [] : typeof v === 'string' ? '' : {};
      return 'emptied';
    },
  },
  'swap type': {
    applies: (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
    apply: ({ parent, key }) => {
      const v = parent[key];
      parent[key] = typeof v === 'string' ? (Number.isNaN(Number(v)) ? v.length : Number(v)) : typeof v === 'number' ? String(v) : [v];
      return 'swapped its type';
    },
  },
  'edge number': {
    applies: (v) => typeof v === 'number',
    apply: ({ parent, key }, pick) => {
      const v = parent[key] as number;
      parent[key] = pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, v + 0.5, v + 1, v - 1, -v, 0, 1e21]);
      return `set to ${String(parent[key])}`;
    },
  },
  'edge string': {
    applies: (v) => typeof v === 'string',
    apply: ({ parent, key }, pick) => {
      const v = parent[key] as string;
      const pad = (n: number, c: string) => v + c.repeat(Math.max(0, n - [...v].length));
      // Lengths around the limits (40 for numbers, 80 for ids), in code points and in UTF-16 units.
      parent[key] = pick([` ${v}`, `${v} `, `${v}\n`, v.toUpperCase(), `-${v}`, `${v}_`, pad(40, 'x'), pad(41, 'x'), pad(80, 'x'), pad(81, 'x'), pad(40, '😀'), pad(41, '😀')]);
      return `set to ${JSON.stringify(parent[key])}`;
    },
  },
  graft: {
    applies: () => true,
    // Real content in the wrong place: a block where a list item goes, a config in a clause file.
    apply: ({ parent, key }, pick, donors) => {
      const donor = pick(slots({ data: structuredClone(pick(donors).data) }, 'data'));
      parent[key] = donor.parent[donor.key];
      return `grafted ${String(donor.key)}`;
    },
  },
  duplicate: {
    applies: (v) => Array.isArray(v) && v.length > 0,
    apply: ({ parent, key }, pick) => {
      const a = parent[key] as Value[];
      a.push(structuredClone(pick(a)));
      return 'duplicated an entry';
    },
  },
  'odd value': {
    applies: () => true,
    apply: ({ parent, key }, pick) => {
      parent[key] = structuredClone(pick(ODD_VALUES));
      return `set to ${JSON.stringify(parent[key])}`;
    },
  },
};

function mutate(root: { data: unknown }, donors: Sample[], random: () => number): string {
  const pick: Pick = (xs) => xs[Math.floor(random() * xs.length)]!;
  const name = pick(Object.keys(MUTATIONS));
  const { applies, apply } = MUTATIONS[name]!;
  const where = slots(root, 'data').filter((s) => applies(s.parent[s.key]));
  if (where.length === 0) return 'nothing';
  const slot = pick(where);
  return `${String(slot.key)}: ${apply(slot, pick, donors)}`;
}
