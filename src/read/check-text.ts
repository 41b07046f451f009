// validate: the characters of every value of a clause file or a district
// config. Invisible control characters (a NUL, an escape, a right-to-left
// override that makes "evil" display as "live") never belong in policy text,
// and a line break in a one-line value (a title, a number, a name, a blank's
// value) would break the Markdown page: a "---" line becomes a rule, a table
// row of the index splits.
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { pointerJoin, spanAt, type ParsedFile, type Range } from './yaml.js';
import { describePath } from './schema-check.js';

/** C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const LINE_BREAK = /[\n\u2028\u2029]/;
/** Anything either check could object to: most values hold none of it, and are passed at once. */
// eslint-disable-next-line no-control-regex
const ANY = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x07: 'BELL',
  0x08: 'BACKSPACE',
  0x09: 'TAB',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

function charName(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return NAMES[c] ? `${hex} (${NAMES[c]})` : hex;
}

type Path = (string | number)[];

/** Keys whose text values are one line: printed in headings, tables, front matter and the middle of sentences. */
const ONE_LINE_KEYS = new Set([
  'number',
  'title',
  'category',
  'heading',
  'label',
  'caption',
  'prompt',
  'group',
  'term',
  'default',
  'sample',
  'conjunction',
  'separator',
  'name',
  'board',
  'town',
  'state',
  'rename',
  'to',
]);

/** Maps whose entries and lists whose items are one-line values: choice values, labels, a blank's value, table cells. */
const ONE_LINE_CONTAINERS = new Set(['values', 'labels', 'variables', 'cells', 'columns']);

function isOneLine(path: Path): boolean {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof key === 'string' && ONE_LINE_KEYS.has(key)) return true;
  if (typeof parent === 'string' && ONE_LINE_CONTAINERS.has(parent)) return true;
  // A legal reference is one line of a list of citations (in a clause file, and added by a deviation).
  return key === 'text' && path.some((k) => k === 'legal' || k === 'add-legal');
}

/** Report the first character of each value that it may not hold. The data has passed the file's schema. */
export function checkTextValues(parsed: ParsedFile, diags: Diagnostics): void {
  const path: Path = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (ANY.test(v)) checkString(parsed, v, path, diags);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        path.push(k);
        visit(x);
        path.pop();
      }
    }
  };
  visit(parsed.data);
}

/** The policy's own number and its cross-references' numbers: numberProblem (invalid-number) reports their characters. */
function checkedAsNumber(path: Path): boolean {
  return path[path.length - 1] === 'number' && (path.length === 1 || path[path.length - 3] === 'cf');
}

function checkString(parsed: ParsedFile, s: string, path: Path, diags: Diagnostics): void {
  if (checkedAsNumber(path)) return;
  const pointer = path.reduce<string>((p, k) => pointerJoin(p, k), '');
  const where = describePath(path);
  const control = CONTROL.exec(s);
  if (control) {
    const c = control[0].charCodeAt(0);
    diags.error('control-character', `${where} holds an invisible control character, ${charName(c)}`, {
      file: parsed.file.path,
      range: charRange(parsed, pointer, control[0]),
      hint:
        c >= 0x202a
          ? 'Delete it: it makes the text display in another order than it reads (text copied from a web page or a PDF can bring it along).'
          : 'Delete it (or its escape, such as "\\0" or "\\e", in a quoted value): it is invisible on the page, and no policy text holds one.',
    });
    return;
  }
  if (!isOneLine(path)) return;
  const brk = LINE_BREAK.exec(s) ?? /\t/.exec(s);
  if (!brk) return;
  const tab = brk[0] === '\t';
  diags.error(tab ? 'control-character' : 'line-break', tab ? `${where} holds a tab; it is a one-line value` : `${where} is one line, but this value holds a line break`, {
    file: parsed.file.path,
    range: spanAt(parsed, pointer),
    hint: tab
      ? 'Replace the tab with a space.'
      : 'Write it on one line: a plain or quoted value, without "\\n" (a "|" or ">" block keeps a line break at its end; ">-" does not).',
  });
}

/** The character in the file, when it is there as itself; otherwise the whole value (it was written as an escape). */
function charRange(parsed: ParsedFile, pointer: string, ch: string): Range {
  const range = spanAt(parsed, pointer);
  const at = parsed.file.text.slice(range[0], range[1]).indexOf(ch);
  return at >= 0 ? [range[0] + at, range[0] + at + 1] : range;
}
