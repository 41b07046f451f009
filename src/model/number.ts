// Policy numbers are printed text, never floats: "5131.6" < "5131.61" <
// "5131.612" < "5131.7" (Connecticut decimal fractions), "2:90" < "2:100"
// (Illinois), "5132" < "5132R", "AR 0450" < "BP 5142".

/** Why a policy number cannot be used, or undefined when it is fine. */
export function numberProblem(n: string): string | undefined {
  if (n.trim() === '') return 'is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(n)) return 'contains control characters';
  if (n !== n.trim()) return 'starts or ends with a space';
  if (n.includes('..')) return 'contains ".."';
  if (/^[./\\]/.test(n) || /[\\]/.test(n) || /\/$/.test(n)) return 'must not start with ".", "/" or contain "\\"';
  if (!/^[\p{L}\p{N}][\p{L}\p{N} .:/_()-]*$/u.test(n)) return 'may hold only letters, digits, spaces and . : / _ - ( )';
  // A document of a code, as some services number them: "FFI(LOCAL)" beside "FFI(LEGAL)".
  if (!balanced(n)) return 'has a parenthesis without its partner';
  return undefined;
}

function balanced(n: string): boolean {
  let open = 0;
  for (const ch of n) {
    if (ch === '(') open++;
    else if (ch === ')' && --open < 0) return false;
  }
  return open === 0;
}

/**
 * The file name stem for a policy number: safe on every file system and never
 * a path. "4118.5/4218.5" → "4118.5-4218.5", "2:90" → "2-90", "BP 5142" → "BP-5142",
 * "FFI(LOCAL)" → "FFI-LOCAL".
 */
export function numberSlug(n: string): string {
  // Pages link to each other by these names, so this runs for every cross-reference of every page.
  if (PLAIN_SLUG.test(n)) return n;
  const slug = n
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  return slug === '' ? 'policy' : slug;
}

/** Letters, digits, "_", and "." or "-" between them: already its own slug ("5142.4", "BP-5142"). */
const PLAIN_SLUG = /^(?!.*\.\.)[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

type Token = { kind: 'digits' | 'letters'; text: string; afterDot: boolean };

// Sorting n numbers tokenizes each of them about 2 log n times; a library has
// a few thousand numbers at most, so remember their tokens.
const tokens = new Map<string, readonly Token[]>();
const MAX_REMEMBERED = 50_000;

function tokensOf(n: string): readonly Token[] {
  let t = tokens.get(n);
  if (!t) {
    if (tokens.size >= MAX_REMEMBERED) tokens.clear();
    t = tokenize(n);
    tokens.set(n, t);
  }
  return t;
}

function tokenize(n: string): Token[] {
  const out: Token[] = [];
  const re = /(\d+)|(\p{L}+)|([^\p{L}\d]+)/gu;
  let prevSep = '';
  for (let m = re.exec(n); m; m = re.exec(n)) {
    if (m[1] !== undefined) {
      out.push({ kind: 'digits', text: m[1], afterDot: prevSep === '.' });
      prevSep = '';
    } else if (m[2] !== undefined) {
      out.push({ kind: 'letters', text: m[2], afterDot: false });
      prevSep = '';
    } else {
      prevSep = m[3]!.trim() === '.' ? '.' : m[3]!;
    }
  }
  return out;
}

function compareDigits(a: Token, b: Token): number {
  if (a.afterDot && b.afterDot) {
    // Decimal fraction: compare digit by digit, so 6 < 61 < 612 < 7.
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }
  const ai = a.text.replace(/^0+(?=\d)/, '');
  const bi = b.text.replace(/^0+(?=\d)/, '');
  if (ai.length !== bi.length) return ai.length - bi.length;
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a.text.length - b.text.length;
}

export function comparePolicyNumbers(a: string, b: string): number {
  if (a === b) return 0;
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x.kind !== y.kind) return x.kind === 'digits' ? -1 : 1;
    let c: number;
    if (x.kind === 'digits') c = compareDigits(x, y);
    else {
      const xl = x.text.toLowerCase();
      const yl = y.text.toLowerCase();
      c = xl < yl ? -1 : xl > yl ? 1 : 0;
    }
    if (c !== 0) return c;
  }
  if (ta.length !== tb.length) return ta.length - tb.length;
  return a < b ? -1 : 1;
}
