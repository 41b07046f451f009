// Check parsed YAML against a file format, and turn zod's issues into
// positioned diagnostics a board clerk can act on: which key, where, what was
// expected, and the closest valid key for a typo.
import type { z } from 'zod';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { BLOCK_KINDS } from '../schema/policy.js';
import { zod } from '../schema/zod.js';
import type { FileSchema } from '../schema/file-schema.js';
import { pointerJoin, spanAt, type ParsedFile } from './yaml.js';
import { didYouMean, formatList } from '../diagnostics/suggest.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

export type { FileSchema };

export function checkSchema<T>(parsed: ParsedFile, schema: FileSchema<T>, diags: Diagnostics): T | undefined {
  // zod would return an equal copy (the schemas have no defaults or transforms;
  // src/schema-check.test.ts checks), and the callers only read it: no copy.
  if (schema.accepts(parsed.data)) return parsed.data as T;
  const root = schema.zod();
  const result = root.safeParse(parsed.data);
  // The generated validator may refuse what zod accepts, never the reverse; zod decides.
  if (result.success) return result.data;
  for (const issue of result.error.issues) reportIssue(parsed, root, issue, [], diags);
  return undefined;
}

function reportIssue(parsed: ParsedFile, root: z.ZodType, issue: Issue, base: PathKey[], diags: Diagnostics): void {
  const path = [...base, ...issue.path];
  const file = parsed.file.path;
  const pointer = toPointer(path);
  const where = describePath(path);
  const input = valueAt(parsed.data, path);

  switch (issue.code) {
    case 'invalid_union': {
      if (isPlainObject(input)) {
        const kinds = BLOCK_KINDS.filter((k) => Object.hasOwn(input, k));
        if (kinds.length === 1) {
          const branch = issue.errors[BLOCK_KINDS.indexOf(kinds[0]!)];
          if (branch) {
            for (const sub of branch) reportIssue(parsed, root, sub, path, diags);
            return;
          }
        }
        if (kinds.length === 0) {
          const unknown = Object.keys(input).filter((k) => !KNOWN_BLOCK_KEYS.has(k));
          const guess = unknown.map((k) => didYouMean(k, BLOCK_KINDS)).find(Boolean);
          const at = unknown[0] ? spanAt(parsed, pointerJoin(pointer, unknown[0]), 'key') : spanAt(parsed, pointer);
          diags.error('missing-key', `${where} does not say what kind of block it is`, {
            file,
            range: at,
            expected: `one of the keys ${formatList(BLOCK_KINDS, 'or')}`,
            actual: Object.keys(input).join(', ') || 'no keys',
            hint: guess ? `Did you mean "${guess}"?` : 'Write e.g. "paragraph: Text of the paragraph".',
          });
          return;
        }
        diags.error('conflicting-keys', `${where} has ${formatList(kinds.map((k) => `"${k}"`), 'and')}; a block is one kind only`, {
          file,
          range: spanAt(parsed, pointerJoin(pointer, kinds[1]!), 'key'),
          hint: 'Split it into two blocks, each with its own id.',
        });
        return;
      }
      const expectation = unionExpectation(issue);
      diags.error('wrong-type', `${where} should be ${expectation}, not ${describeValue(input)}`, {
        file,
        range: spanAt(parsed, pointer),
        expected: expectation,
        actual: describeValue(input),
        hint: expectation === 'an id or a list of ids' ? 'Write one id, e.g. racks-side, or a list of ids in brackets, e.g. [high, middle].' : undefined,
      });
      return;
    }
    case 'unrecognized_keys': {
      const known = knownKeys(root, parsed.data, path);
      const kinds = isPlainObject(input) ? BLOCK_KINDS.filter((k) => Object.hasOwn(input, k)) : [];
      for (const key of issue.keys) {
        // A second kind key ("list:" on a definitions block) is not a misspelt setting: the block is two kinds at once.
        const other = kinds.find((k) => k !== key);
        if ((BLOCK_KINDS as readonly string[]).includes(key) && other) {
          diags.error('conflicting-keys', `${where} is a ${other} block, and "${key}" would make it a ${key} block too; a block is one kind only`, {
            file,
            range: spanAt(parsed, pointerJoin(pointer, key), 'key'),
            hint: key === 'list' && other === 'definitions' ? 'A definitions block takes no list style: remove "list", or write a list block whose items read "Term: text".' : 'Split it into two blocks, each with its own id.',
          });
          continue;
        }
        const guess = didYouMean(key, known);
        diags.error('unknown-key', `"${key}" is not a setting sro-policy knows${path.length ? ` in ${where}` : ''}`, {
          file,
          range: spanAt(parsed, pointerJoin(pointer, key), 'key'),
          expected: known.length ? `one of ${formatList(known.map((k) => `"${k}"`), 'or')}` : undefined,
          actual: key,
          hint: guess ? `Did you mean "${guess}"?` : 'Remove it, or check the documentation for the setting you meant.',
        });
      }
      return;
    }
    case 'invalid_type': {
      if (input === undefined) {
        const parent = path.slice(0, -1);
        // A misspelt key ("distrct") is reported as unknown-key with "Did you mean";
        // also calling the intended key missing would report one mistake twice.
        const siblings = valueAt(parsed.data, parent);
        if (isPlainObject(siblings)) {
          const known = knownKeys(root, parsed.data, parent);
          const name = String(path[path.length - 1]);
          if (Object.keys(siblings).some((k) => !known.includes(k) && didYouMean(k, known) === name)) return;
        }
        diags.error('missing-key', `${describePath(parent)} needs "${String(path[path.length - 1])}"`, {
          file,
          range: spanAt(parsed, toPointer(parent), 'key'),
          expected: `"${String(path[path.length - 1])}": ${article(issue.expected)}`,
          hint: 'Add the missing setting.',
        });
        return;
      }
      diags.error('wrong-type', `${where} should be ${article(issue.expected)}, not ${describeValue(input)}`, {
        file,
        range: spanAt(parsed, pointer),
        expected: article(issue.expected),
        actual: describeValue(input),
        hint: issue.expected === 'string' ? textHint(input) : undefined,
      });
      return;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      if (input === undefined && path.length > 0) {
        const parent = path.slice(0, -1);
        const name = String(path[path.length - 1]);
        diags.error('missing-key', `${describePath(parent)} needs "${name}"`, {
          file,
          range: spanAt(parsed, toPointer(parent), 'key'),
          expected: `"${name}": one of ${formatList(values.map((v) => `"${v}"`), 'or')}`,
          hint: `Add "${name}: ${values[0]}" (or ${formatList(values.slice(1).map((v) => `"${v}"`), 'or')}).`,
        });
        return;
      }
      const guess = typeof input === 'string' ? didYouMean(input, values) : undefined;
      diags.error('invalid-value', `${where} cannot be ${JSON.stringify(input)}`, {
        file,
        range: spanAt(parsed, pointer),
        expected: `one of ${formatList(values.map((v) => `"${v}"`), 'or')}`,
        actual: JSON.stringify(input),
        hint: guess ? `Did you mean "${guess}"?` : undefined,
      });
      return;
    }
    case 'invalid_format': {
      const isKey = typeof input !== 'string' && path.length > 0;
      const isId = /^an id\b/.test(issue.message);
      // A date the pattern refuses ("2021-13") is the same mistake as one the calendar refuses (invalid-date).
      const isDate = /^a date\b/.test(issue.message);
      diags.error(isId ? 'invalid-id' : isDate ? 'invalid-date' : 'invalid-value', `${where}: ${JSON.stringify(input)} is not valid: ${issue.message}`, {
        file,
        range: spanAt(parsed, pointer, isKey ? 'key' : 'value'),
        actual: JSON.stringify(input),
        hint: isId
          ? 'Use lower-case letters, digits and hyphens, e.g. "police-department".'
          : isDate
            ? 'Write the date as year-month-day, e.g. 2021-09-14, or year-month, e.g. 2021-09.'
            : undefined,
      });
      return;
    }
    case 'invalid_key': {
      for (const sub of issue.issues) {
        const key = String(path[path.length - 1]);
        diags.error('invalid-id', `"${key}" is not a valid id: ${sub.message}`, {
          file,
          range: spanAt(parsed, pointer, 'key'),
          hint: 'Use lower-case letters, digits and hyphens, e.g. "police-department".',
        });
      }
      return;
    }
    case 'too_small':
    case 'too_big': {
      const what = issue.origin === 'array' ? 'entries' : issue.origin === 'string' ? 'characters' : '';
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      diags.error('invalid-value', `${where} needs ${bound}${what ? ` ${what}` : ''}`, {
        file,
        range: spanAt(parsed, pointer),
        expected: `${bound} ${what}`.trim(),
        actual: Array.isArray(input) ? `${input.length} ${what}` : JSON.stringify(input),
      });
      return;
    }
    default: {
      diags.error('invalid-value', `${where}: ${issue.message}`, { file, range: spanAt(parsed, pointer) });
    }
  }
}

const KNOWN_BLOCK_KEYS = new Set(['id', 'optional', 'prompt', ...BLOCK_KINDS]);

function unionExpectation(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const types = new Set<string>();
  for (const branch of issue.errors) for (const sub of branch) if (sub.code === 'invalid_type') types.add(sub.expected);
  if (types.has('string') && types.has('array')) return 'an id or a list of ids';
  return [...types].map(article).join(' or ') || 'another value';
}

function toPointer(path: PathKey[]): string {
  let p = '';
  for (const k of path) p = pointerJoin(p, String(k));
  return p;
}

export function describePath(path: PathKey[]): string {
  if (path.length === 0) return 'The file';
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (!/^[\w-]+$/.test(String(k))) s += `[${JSON.stringify(String(k))}]`;
    else s += s ? `.${String(k)}` : String(k);
  }
  return `"${s}"`;
}

function valueAt(data: unknown, path: PathKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.hasOwn(v as object, k as string) ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** How to fix a value that should be text, by what was written instead. */
function textHint(input: unknown): string {
  if (typeof input === 'number' || typeof input === 'boolean') return 'Put quotes around the value to keep it as text.';
  if (input === null) return 'Write the text after the colon, or remove the line.';
  return 'Write the text itself here, not a list or mapping. Text that starts with "[" or "{" needs quotes; text of several lines can follow "|" or ">".';
}

function describeValue(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return `the number ${String(v)}`;
  return String(v);
}

function article(t: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value lines)',
    record: 'a mapping (key: value lines)',
    map: 'a mapping (key: value lines)',
  };
  return names[t] ?? t;
}

/** Keys the schema allows at a path, for did-you-mean suggestions. */
function knownKeys(root: z.ZodType, data: unknown, path: PathKey[]): string[] {
  const z = zod();
  let schema: z.ZodType | undefined = root;
  let value: unknown = data;
  const resolve = (s: z.ZodType | undefined, v: unknown): z.ZodType | undefined => {
    let cur = s;
    for (let guard = 0; cur && guard < 20; guard++) {
      if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
        cur = cur.unwrap() as z.ZodType;
      } else if (cur instanceof z.ZodUnion) {
        const options = cur.options as z.ZodType[];
        if (isPlainObject(v)) {
          const kind = BLOCK_KINDS.find((k) => Object.hasOwn(v, k));
          const objects = options.filter((o) => o instanceof z.ZodObject) as z.ZodObject[];
          cur = objects.find((o) => kind !== undefined && Object.hasOwn(o.shape, kind)) ?? objects[0];
        } else {
          cur = options.find((o) => o instanceof z.ZodArray) ?? options[0];
        }
      } else break;
    }
    return cur;
  };
  for (const k of path) {
    schema = resolve(schema, value);
    if (schema instanceof z.ZodObject) schema = schema.shape[String(k)] as z.ZodType | undefined;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return [];
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  }
  schema = resolve(schema, value);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
