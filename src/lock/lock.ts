// The lock file: what the library said when the district last accepted it.
// `build` writes it beside the config (meant to be committed); `outdated`
// compares it with the library as it is now and lists what needs review:
// changed clauses (with a redline), removed or renamed alternatives and
// options, new choices, deviations whose sample text changed, and reference
// changes. Pure apart from the caller's reading and writing of the file.
import type { AppliedDeviation } from '../assemble/deviations.js';
import type { Inline, LegalEntry, Policy } from '../model/model.js';
import { choicePoints } from '../assemble/choice-points.js';
import { contentHash, jsonHash } from '../assemble/deviations.js';
import { walkParts } from '../model/walk.js';

// jsdiff is needed only when something changed: load it then.

export const LOCK_VERSION = 1;

export interface LockedClause {
  hash: string;
  text: string;
}

export interface LockedPolicy {
  library: string;
  edition: string | null;
  clauses: Record<string, LockedClause>;
  alternatives: Record<string, string[]>;
  options: string[];
  choices: Record<string, string[]>;
  deviations: { number: number; action: string; target: string; hash: string }[];
  cf: Record<string, string>;
  legal: Record<string, string>;
  /** What depends on which decision, and the rules between decisions, in words (only for a policy that links any). */
  linked?: Record<string, string>;
}

export interface LockFile {
  generator: 'sro-policy';
  version: number;
  policies: Record<string, LockedPolicy>;
}

function inlineText(inline: readonly Inline[]): string {
  let out = '';
  for (const n of inline) out += n.kind === 'text' ? n.text : `{{${n.name}}}`;
  return out;
}

function clause(text: string): LockedClause {
  return { hash: contentHash(text), text };
}

/** Every clause's text by the same keys redlines use (block:, item:, lead-in:), in order. */
function clauseTexts(policy: Policy): Map<string, string> {
  const out = new Map<string, string>();
  walkParts(policy.parts, {
    block: (b) => {
      if (b.kind === 'heading' || b.kind === 'paragraph' || b.kind === 'note') out.set(`block:${b.id}`, inlineText(b.text));
      else if ((b.kind === 'list' || b.kind === 'definitions') && b.leadIn) out.set(`lead-in:${b.id}`, inlineText(b.leadIn));
    },
    item: (it) => {
      out.set(`item:${it.id}`, inlineText(it.text));
      it.paragraphs?.forEach((p, i) => out.set(`item:${it.id}:${i + 1}`, inlineText(p)));
    },
    definition: (d) => out.set(`item:${d.id}`, `${inlineText(d.term)}: ${inlineText(d.text)}`),
    row: (r) => out.set(`item:${r.id}`, r.cells.map(inlineText).join(' | ')),
  });
  return out;
}

/** Every clause of a policy by the same keys redlines use (block:, item:, lead-in:). */
export function clausesOf(policy: Policy): Record<string, LockedClause> {
  const out: Record<string, LockedClause> = {};
  for (const [key, text] of clauseTexts(policy)) out[key] = clause(text);
  return out;
}

export function lockPolicy(policy: Policy, library: string, deviations: readonly AppliedDeviation[]): LockedPolicy {
  return lockFields(policy, library, deviations, clausesOf(policy));
}

/** A lock entry with `clauses` as given, its fields in the lock file's order. */
function lockFields<C>(policy: Policy, library: string, deviations: readonly AppliedDeviation[], clauses: C): Omit<LockedPolicy, 'clauses'> & { clauses: C } {
  const cp = choicePoints(policy, { previews: false });
  const legal: Record<string, string> = {};
  const walk = (l: LegalEntry) => {
    legal[l.id] = l.text ?? l.group ?? '';
    l.items.forEach(walk);
  };
  for (const p of policy.parts) p.legal.forEach(walk);
  const cf: Record<string, string> = {};
  for (const p of policy.parts) for (const c of p.cf) cf[c.number] = c.title;
  return {
    library,
    edition: policy.sample?.edition ?? policy.sample?.date ?? null,
    clauses,
    alternatives: Object.fromEntries(cp.alternatives.map((a) => [a.id, a.members.map((m) => m.id)])),
    options: cp.options.map((o) => o.id),
    choices: Object.fromEntries(cp.choices.map((c) => [c.id, [...c.values]])),
    deviations: deviations.map((d) => ({ number: d.number, action: d.action, target: d.target, hash: d.sampleHash })),
    cf,
    legal,
    ...(cp.dependsOn.length || cp.rules.length
      ? { linked: Object.fromEntries([...cp.dependsOn.map((d) => [d.id, d.on]), ...cp.rules.map((r, i) => [`rule ${i + 1}`, r])]) }
      : {}),
  };
}

/** Stands for the clauses while the rest of an entry is stringified: no other value of the entry comes before them. */
const CLAUSES_MARK = '\u0000';

/**
 * lockEntryBytes(lockPolicy(...)), without the clauses as objects: each
 * clause's text is quoted once, for its hash and for the file, where
 * JSON.stringify quoted it twice (lock entries were a tenth of a build's work).
 */
export function lockPolicyBytes(policy: Policy, library: string, deviations: readonly AppliedDeviation[]): Uint8Array {
  let clauses = '{';
  let first = true;
  for (const [key, text] of clauseTexts(policy)) {
    const quoted = JSON.stringify(text);
    clauses += `${first ? '' : ','}\n        ${JSON.stringify(key)}: {\n          "hash": "${jsonHash(quoted)}",\n          "text": ${quoted}\n        }`;
    first = false;
  }
  clauses += first ? '}' : '\n      }';
  const text = JSON.stringify({ p: { k: lockFields(policy, library, deviations, CLAUSES_MARK) } }, null, 2);
  const mark = `"clauses": ${JSON.stringify(CLAUSES_MARK)}`;
  const at = text.indexOf(mark);
  return utf8.encode(`${text.slice(ENTRY_START.length, at)}"clauses": ${clauses}${text.slice(at + mark.length, -ENTRY_END.length)}`);
}

export function serializeLock(lock: LockFile): string {
  return assembleLock(Object.entries(lock.policies).map(([number, entry]) => [number, lockEntryBytes(entry)])).toString('utf8');
}

const utf8 = new TextEncoder();

/**
 * One policy's entry as it stands in the lock file (JSON.stringify's layout,
 * indented for its depth there), in UTF-8. Shards hand their policies' entries
 * over as bytes: a large manual's lock then crosses threads without copying and
 * sits outside the JavaScript heap, instead of as tens of thousands of objects
 * or 100 MB of two-byte strings (10,000 policies).
 */
export function lockEntryBytes(entry: LockedPolicy): Uint8Array {
  // Stringified inside a wrapper, the entry comes out already indented for its depth.
  const text = JSON.stringify({ p: { k: entry } }, null, 2);
  return utf8.encode(text.slice(ENTRY_START.length, -ENTRY_END.length));
}

const ENTRY_START = '{\n  "p": {\n    "k": ';
const ENTRY_END = '\n  }\n}';

export function lockEntryOf(bytes: Uint8Array): LockedPolicy {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as LockedPolicy;
}

/** The pieces of a lock file in order: byte for byte what JSON.stringify(lockFile, null, 2) gives. */
function* lockPieces(entries: readonly (readonly [string, Uint8Array])[]): Generator<Uint8Array> {
  const sorted = [...entries].sort(([a], [b]) => compareLockKeys(a, b));
  const head = `{\n  "generator": "sro-policy",\n  "version": ${LOCK_VERSION},\n  "policies": `;
  if (sorted.length === 0) {
    yield utf8.encode(`${head}{}\n}\n`);
    return;
  }
  yield utf8.encode(`${head}{\n`);
  for (let i = 0; i < sorted.length; i++) {
    const [number, bytes] = sorted[i]!;
    yield utf8.encode(`${i ? ',\n' : ''}    ${JSON.stringify(number)}: `);
    yield bytes;
  }
  yield utf8.encode('\n  }\n}\n');
}

export function assembleLock(entries: readonly (readonly [string, Uint8Array])[]): Buffer {
  return Buffer.concat([...lockPieces(entries)]);
}

/**
 * Whether a lock file is exactly what assembleLock would make of these entries,
 * without making it and without holding the file: `read` fills a buffer from a
 * position of the file (50 MB at 10,000 policies) and says how much it read.
 */
export function lockMatches(size: number, read: (into: Uint8Array, position: number) => number, entries: readonly (readonly [string, Uint8Array])[]): boolean {
  const buffer = new Uint8Array(1 << 16);
  let from = 0;
  let to = 0;
  let at = 0;
  for (const piece of lockPieces(entries)) {
    if (at + piece.length > size) return false;
    for (let done = 0; done < piece.length; ) {
      if (at >= to) {
        from = at;
        const n = read(buffer, at);
        if (n <= 0) return false;
        to = at + n;
      }
      const n = Math.min(piece.length - done, to - at);
      if (Buffer.compare(piece.subarray(done, done + n), buffer.subarray(at - from, at - from + n)) !== 0) return false;
      done += n;
      at += n;
    }
  }
  return at === size;
}

const KEY_LINE = Buffer.from('\n    "');
const ENTRY_TAIL = Buffer.from('\n  }\n}\n');
const entriesOf = new WeakMap<Uint8Array, Map<string, Uint8Array>>();

/**
 * Each policy's entry in a lock file laid out as assembleLock lays it out, as
 * bytes of that file (views, not copies). A later build takes the entries of
 * policies whose clause files did not change from here rather than working
 * them out again; it checks each against the hash its cache recorded, so a
 * file laid out otherwise (edited, or with other line ends) only means those
 * entries are worked out again.
 */
export function lockEntries(bytes: Uint8Array): ReadonlyMap<string, Uint8Array> {
  // A build asks twice of the same bytes (settling policies, then keeping the lock in step).
  const known = entriesOf.get(bytes);
  if (known) return known;
  const out = new Map<string, Uint8Array>();
  entriesOf.set(bytes, out);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.length - ENTRY_TAIL.length;
  if (end < 0 || !buf.subarray(end).equals(ENTRY_TAIL)) return out;
  // Key lines are the only lines indented four spaces that start with a quote: an
  // entry's own fields are indented six, and strings in JSON hold no line breaks.
  let at = buf.indexOf(KEY_LINE);
  while (at >= 0 && at < end) {
    const keyStart = at + KEY_LINE.length - 1;
    const keyEnd = buf.indexOf('": ', keyStart);
    if (keyEnd < 0) break;
    const next = buf.indexOf(KEY_LINE, keyEnd);
    // An entry ends at ",\n" before the next key, or at the end of the policies.
    const entryEnd = next >= 0 && next < end ? next - 1 : end;
    let key: unknown;
    try {
      key = JSON.parse(buf.toString('utf8', keyStart, keyEnd + 1));
    } catch {
      key = undefined;
    }
    if (typeof key === 'string') out.set(key, buf.subarray(keyEnd + 3, entryEnd));
    at = next >= 0 && next < end ? next : -1;
  }
  return out;
}

/** A key JavaScript orders as an array index: objects list these first, in numeric order. */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

/**
 * The order JSON.stringify gives the policies of a lock file whose keys were
 * added in sorted order: whole numbers first by value, then the rest as sorted.
 */
function compareLockKeys(a: string, b: string): number {
  const ia = isArrayIndex(a);
  const ib = isArrayIndex(b);
  if (ia !== ib) return ia ? -1 : 1;
  if (ia) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function parseLock(text: string): LockFile | undefined {
  try {
    const v = JSON.parse(text) as LockFile;
    if (v && v.generator === 'sro-policy' && v.version === LOCK_VERSION && v.policies && typeof v.policies === 'object') return v;
  } catch {
    // fall through: not a lock file sro-policy can read
  }
  return undefined;
}
