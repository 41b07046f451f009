// The publishability gate, as a property: every policy of the fixtures and the
// library, assembled under many valid district decisions (every combination
// for a small policy, a few hundred seeded samples for a large one). Whenever
// the gate lets a district page through (no error, no list-punctuation
// warning), an independent reading of the page must find no sample leftover,
// no placeholder, no doubled space, no broken list punctuation or numbering,
// and every kept option's text. A decision the gate refuses must be refused
// for a reason it names. "No wrong word reaches an adopted policy unnoticed."
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LIBRARY_SETTINGS_FILE } from '../src/schema/library.js';
import { loadLibrarySettings } from '../src/read/library-settings.js';
import { withLibrarySettings } from '../src/assemble/library.js';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics/diagnostic.js';
import { loadPolicy } from '../src/read/clause-file.js';
import { selectChoices } from '../src/assemble/select.js';
import { checkReach, effectiveSelections } from '../src/assemble/reach.js';
import { assemble } from '../src/assemble/assemble.js';
import { checkDocument } from '../src/assemble/check-document.js';
import { runsToPlain } from '../src/render/runs.js';
import { CONTINUED } from '../src/model/lists.js';
import { nestedBlocks } from '../src/model/walk.js';
import type { Block, DistrictConfig, DocBlock, DocList, Document, Inline, ListItem, Policy, PolicySettings, Run } from '../src/model/model.js';
import { FIXTURES } from './golden.js';

const ROOT = join(import.meta.dirname, '..');
/** Every combination up to this many; seeded samples beyond. */
const EXHAUSTIVE = 512;
const SAMPLES = 300;

function policyFiles(): string[] {
  const build = join(FIXTURES, 'build');
  const out = readdirSync(join(ROOT, 'policies')).map((f) => join(ROOT, 'policies', f));
  // The regression cases too, but for the one whose every edition the gate must refuse.
  for (const root of [build, join(FIXTURES, 'regressions')]) {
    for (const c of readdirSync(root).filter((n) => n !== 'marker-in-legal-reference')) {
      const dir = join(root, c, 'policies');
      if (existsSync(dir)) for (const f of readdirSync(dir)) out.push(join(dir, f));
    }
  }
  return out.filter((f) => f.endsWith('.yaml') && !f.endsWith(LIBRARY_SETTINGS_FILE));
}

/** One decision: a name and its possible values (each value a setter on the settings). */
interface Question {
  id: string;
  answers: ((s: PolicySettings) => void)[];
}

function subsets<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << xs.length; mask++) out.push(xs.filter((_, i) => mask & (1 << i)));
  return out;
}

function questionsOf(policy: Policy): Question[] {
  const qs: Question[] = [];
  const blocks = (bs: readonly Block[]) => {
    for (const b of bs) {
      if (b.optional) qs.push(option(b.id));
      if (b.kind === 'alternatives') {
        const ids = b.members.map((m) => m.id);
        const picks = b.mode === 'one-of' ? ids.map((m) => [m]) : subsets(ids);
        qs.push({ id: b.id, answers: picks.map((members) => (s) => void s.alternatives.set(b.id, { members, pointer: '', list: true })) });
      }
      for (const nested of nestedBlocks(b)) blocks(nested.blocks);
      if (b.kind === 'list') {
        items(b.items);
      } else if (b.kind === 'definitions') {
        for (const d of b.items) if (d.optional) qs.push(option(d.id));
      } else if (b.kind === 'table') {
        for (const r of b.rows) if (r.optional) qs.push(option(r.id));
      }
    }
  };
  const items = (xs: readonly ListItem[]) => {
    for (const it of xs) {
      if (it.optional) qs.push(option(it.id));
      items(it.items);
    }
  };
  for (const p of policy.parts) blocks(p.body);
  for (const [id, c] of policy.choices) {
    // A following choice is answered by the choice it follows.
    if (c.follows !== undefined) continue;
    const picks = c.multiple ? subsets(c.values).slice(0, 64) : c.values.map((v) => [v]);
    qs.push({ id, answers: picks.map((values) => (s) => void s.choices.set(id, { values, pointer: '', list: true })) });
  }
  return qs;
}

function option(id: string): Question {
  return { id, answers: [true, false].map((include) => (s: PolicySettings) => void s.options.set(id, { include, pointer: '' })) };
}

/** Decisions: every combination, or SAMPLES of them from a seeded generator. */
function* decisions(qs: readonly Question[], seed: number): Generator<number[]> {
  const total = qs.reduce((n, q) => n * q.answers.length, 1);
  if (total <= EXHAUSTIVE) {
    for (let k = 0; k < total; k++) {
      let rest = k;
      yield qs.map((q) => {
        const a = rest % q.answers.length;
        rest = Math.floor(rest / q.answers.length);
        return a;
      });
    }
    return;
  }
  let state = seed >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let k = 0; k < SAMPLES; k++) yield qs.map((q) => Math.floor(next() * q.answers.length));
}

function configFor(settings: PolicySettings): DistrictConfig {
  return {
    district: { name: 'Alderbrook Public Schools', board: 'Alderbrook Board of Education', town: 'Alderbrook', state: 'Connecticut' },
    libraries: [],
    replaces: new Map(),
    sentencePerLine: false,
    index: false,
    outFolder: 'out',
    formats: ['md'],
    edition: 'district',
    serialComma: false,
    variables: new Map(),
    policies: [settings],
    file: { path: 'district.yaml', hash: '' },
  } as unknown as DistrictConfig;
}

const LEFTOVER = /\b(?:alternat(?:e|ive) language|optional language)\s*:|\((?:optional|alternate|alternative)\b|\[choose:|\[fill in:|\{\{|\S {2}\S/i;

/** The literal text of the clause file, where a "leftover" the sample itself holds (escaped braces, its own spacing) is the sample's. */
function sampleText(policy: Policy): string {
  const out: string[] = [];
  const add = (xs: readonly Inline[] | undefined) => xs?.forEach((n) => n.kind === 'text' && out.push(n.text));
  const items = (xs: readonly ListItem[]) => xs.forEach((it) => (add(it.text), items(it.items)));
  const blocks = (bs: readonly Block[]) => {
    for (const b of bs) {
      if ('text' in b) add(b.text);
      if (b.kind === 'list') {
        add(b.leadIn);
        items(b.items);
      }
      for (const nested of nestedBlocks(b)) blocks(nested.blocks);
      if (b.kind === 'definitions') b.items.forEach((d) => (add(d.term), add(d.text)));
      if (b.kind === 'table') b.rows.forEach((r) => r.cells.forEach(add));
    }
  };
  policy.parts.forEach((p) => blocks(p.body));
  return out.join('\n');
}

/** What an independent reader finds wrong with a district page; [] when it is fit to adopt. */
function problems(doc: Document, policy: Policy, kept: readonly string[]): string[] {
  const found: string[] = [];
  const sample = sampleText(policy);
  const present = new Set<string>();
  const text = (runs: readonly Run[] | undefined, where: string) => {
    if (!runs) return;
    const plain = runsToPlain(runs.filter((r) => r.kind !== 'annotation'));
    const m = LEFTOVER.exec(plain);
    if (m && !sample.includes(m[0])) found.push(`${where}: "${m[0]}" in "${plain}"`);
  };
  const list = (l: DocList, owner: string) => {
    l.items.forEach((it, i) => {
      present.add(it.id);
      text(it.text, `item ${it.id}`);
      if (it.ordinal !== i + 1) found.push(`list ${owner}: item ${it.id} is numbered ${it.ordinal}, not ${i + 1}`);
      if (it.children) list(it.children, it.id);
    });
    const e = policy.ids.get(owner);
    const source = e?.kind === 'block' && e.block.kind === 'list' ? e.block.items : e?.kind === 'item' && 'items' in e.item ? e.item.items : undefined;
    if (!source || source.length < 2) return;
    const ends = (t: readonly Inline[]) => (t[t.length - 1]?.kind === 'text' ? (t[t.length - 1] as { text: string }).text.trimEnd() : '');
    const conventional = source.slice(0, -1).every((it) => CONTINUED.test(ends(it.text))) && !CONTINUED.test(ends(source[source.length - 1]!.text));
    if (!conventional) return;
    const last = l.items[l.items.length - 1];
    if (last && CONTINUED.test(runsToPlain(last.text).trimEnd())) found.push(`list ${owner} ends with "${runsToPlain(last.text)}"`);
    const joined = /(?:[;,]\s*|\b)(?:and|or)$/.test(ends(source[source.length - 2]!.text));
    const before = l.items[l.items.length - 2];
    if (joined && before && !/(?:[;,]\s*|\b)(?:and|or)$/.test(runsToPlain(before.text).trimEnd())) found.push(`list ${owner} has no "and" before its last item: "${runsToPlain(before.text)}"`);
  };
  const block = (b: DocBlock) => {
    if (b.kind === 'label') return void found.push(`a sample label "${b.text}"`);
    if (b.kind === 'annotation') return;
    if (b.kind === 'cf') return b.entries.forEach((e) => text([{ kind: 'md', text: e.title }], `cross-reference to ${e.number}`));
    present.add(b.id);
    if (b.kind === 'list') {
      if (b.leadIn && runsToPlain(b.leadIn).trim() === '') found.push(`list ${b.id} has an empty lead-in`);
      text(b.leadIn, `lead-in of ${b.id}`);
      list(b.list, b.id);
    } else if (b.kind === 'definitions') b.items.forEach((d) => (present.add(d.id), text(d.term, d.id), text(d.text, d.id)));
    else if (b.kind === 'table') b.rows.forEach((r) => (present.add(r.id), r.cells.forEach((c) => text(c, r.id))));
    else text(b.text, `block ${b.id}`);
  };
  doc.parts.forEach((p) => p.blocks.forEach(block));
  // A section is printed as its blocks.
  const printed = (id: string): boolean => {
    const e = policy.ids.get(id);
    return present.has(id) || (e?.kind === 'block' && nestedBlocks(e.block).some((n) => n.blocks.some((b) => printed(b.id))));
  };
  for (const id of kept) if (!printed(id)) found.push(`kept option "${id}" is not in the page`);
  return found;
}

describe('no wrong word reaches an adopted page unnoticed', () => {
  for (const file of policyFiles()) {
    it(file.slice(ROOT.length + 1), () => {
      const diags = new Diagnostics();
      const loaded = loadPolicy(file, ROOT, diags);
      expect(loaded, file).toBeDefined();
      // As its library prints it (library.yaml), as a build does.
      const policy = withLibrarySettings(loaded!.policy, loadLibrarySettings(dirname(file), ROOT, diags));
      const qs = questionsOf(policy);
      let clean = 0;
      let runs = 0;
      for (const pick of decisions(qs, policy.number.length * 7919)) {
        runs++;
        const settings: PolicySettings = { number: policy.number, pointer: '', alternatives: new Map(), options: new Map(), choices: new Map(), variables: new Map(), history: [], deviations: [] };
        qs.forEach((q, i) => q.answers[pick[i]!]!(settings));
        for (const id of policy.variables.keys()) settings.variables.set(id, { value: `Value ${id}`, pointer: '' });
        const config = configFor(settings);
        const gate = new Diagnostics();
        const selections = effectiveSelections(policy, selectChoices(policy, settings, config, { draft: false }, gate));
        checkReach(policy, settings, selections, config, gate);
        const doc = assemble({ policy, edition: 'district', selections, config, history: [] }, gate);
        checkDocument(doc, policy, config, settings, false, gate);
        const refused = gate.items.filter((d) => d.severity === 'error' || d.code === 'list-punctuation');
        if (refused.length) continue;
        clean++;
        // Every option the config keeps must be printed: the gate refuses a config that keeps one its other decisions leave out.
        const kept = [...settings.options].filter(([, o]) => o.include).map(([id]) => id);
        const found = problems(doc, policy, kept);
        expect(found, `${policy.number} with ${JSON.stringify(Object.fromEntries([...settings.options].map(([k, v]) => [k, v.include])))} ${JSON.stringify(selections.alternatives)} ${JSON.stringify(selections.choices)}`).toEqual([]);
      }
      // The property must not hold vacuously: some decisions pass the gate.
      expect(clean, `${clean} of ${runs} decisions passed the gate`).toBeGreaterThan(0);
    });
  }
});
