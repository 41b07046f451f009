// import, first step: a publisher's plain-text sample (what a policy site or
// Word's "save as text" gives) as paragraphs, each classified: a label, a list
// item with its marker, a cross-reference, the legal-reference label, an
// approval line, or running text. Pure.
import { formatMarker } from '../assemble/wording.js';

/**
 * A list item's marker: a bullet, or a numbered style as the clause format
 * names it ("1.", "1)", "(1)", "A.", "a)", "(a)", "i.", "I.", …) with the
 * item's number. A letter that is also a Roman numeral ("i.", "I.", "v.")
 * may be either: `or` is the other reading, and the list it continues decides.
 */
export type NumberedMarker = { style: string; ordinal: number };
export type Marker = { style: 'bullet' | 'checkbox' } | (NumberedMarker & { or?: NumberedMarker });

export type Paragraph =
  | { kind: 'text'; text: string; line: number }
  | { kind: 'note'; label: string; text: string; line: number }
  /** A table row: its cells, apart by tabs in the sample. */
  | { kind: 'row'; cells: string[]; line: number }
  | { kind: 'item'; marker: Marker; text: string; line: number }
  | { kind: 'label'; label: 'alternative' | 'lead' | 'optional' | 'end-alternative' | 'end-optional'; text: string; line: number }
  | { kind: 'cf'; entries: { number: string; title?: string; label: string; dash?: string }[]; line: number; heading?: string }
  | { kind: 'legal-label'; label: string; rest: string; line: number }
  | { kind: 'approval'; label: string; part: 'policy' | 'regulation' | 'bylaw' | 'exhibit'; event: 'adopted' | 'approved'; line: number }
  | { kind: 'history'; part?: 'policy' | 'regulation' | 'bylaw' | 'exhibit'; event: 'adopted' | 'approved' | 'revised' | 'reviewed'; date: string; label?: string; line: number; /** The date printed otherwise than "MONTH D, YYYY": its format ("M/D/YYYY"). */ format?: string; /** On the line before, after this text ("; "). */ joined?: string }
  | { kind: 'part'; part: 'policy' | 'regulation' | 'bylaw' | 'exhibit'; number: string; title: string; line: number; heading?: string };

/** A further part's heading as other services print it: "R 2340 Field Trips", "AR 2340", "E 2340" (a part only with the policy's own number). */
const PART_SHORT = /^(R|AR|E)\s+([\w.:/()-]+)(?:\s+(\S.*))?$/;
/** A further part's heading as sro-policy prints it: "Regulation 5142.4R: Title". */
const PART = /^(Policy|Regulation|Bylaw|Exhibit)\s+([\w.:/-]+):\s+(\S.*)$/;

/** Where an optional run or an alternative ends: sro-policy's own markers, and publishers' such as "[END OF OPTION]". */
const END = /^(?:(end of optional language\.?|\[end of option(?:al language)?\])|(end of alternative language\.?|\[end of alternatives?\]))$/i;
const ALTERNATIVE = /^(alternat(?:e|ive)(?: language)?\s*:?|\[or\]|OR|-OR-|— OR —)\s*$/i;
/** A label before the first of the alternatives, where a publisher asks the board to pick ("[CHOOSE ONE]"). */
const LEAD = /^(\[(?:choose|select) one\]|(?:choose|select) one:)$/i;
const OPTIONAL = /^(optional(?: language)?\s*:?)\s*$/i;
/** Lines that are the page, not the policy: page numbers, copyright lines, end markers, locator blocks. */
const FURNITURE = /^(?:.*\bpage \d+ of \d+|©.*|\(c\) \d{4}.*|copyright .*|\[end of policy\]|locator:.*)$/i;
/** "(cf. 5114 - Title)", or the number alone, "(cf. 5114)". */
const CF = /^\((cf\.?)\s+([\w.:/()-]+?)(?:\s+([-–])\s+(.+))?\)$/;
/** "Cross References:" and its entries, "5114 - Title" a line (the first may follow the heading on its line). */
const CF_HEADING = /^(cross[ -]references?\s*:)\s*(.*)$/i;
export const CF_ENTRY = /^([\w.:/()-]+)\s+([-–])\s+(.+)$/;
const LEGAL = /^(legal references?\s*:)\s*(.*)$/i;
/** A note to the board in the sample's words: "Note to the board:", "Board note:", "Editor's note:". */
const BOARD_NOTE = /^((?:note to (?:the )?board|board note|editor[’']?s note)\s*:)\s+(\S[\s\S]*)$/i;
const APPROVAL = /^(policy|regulation|bylaw|exhibit)\s+(adopted|approved)\s*:\s*$/i;
/** A history line the sample prints with its date, in a form the editions print dates ("April 23, 2019", "November 2022"). */
const DATED = /^(policy|regulation|bylaw|exhibit)\s+(adopted|approved|revised|reviewed)\s*:\s*(\S.*)$/i;
/** A dated line without the kind, in other services' words: "Issued: July 1, 2015", "Revised: March 3, 2021", "Date Adopted: …". */
const DATED_OTHER = /^((?:date\s+)?(issued|adopted|approved|revised|reviewed)|last\s+(revised|reviewed))\s*:\s*(\S.*)$/i;
const OTHER_EVENTS: Record<string, 'adopted' | 'approved' | 'revised' | 'reviewed'> = { issued: 'adopted', adopted: 'adopted', approved: 'approved', revised: 'revised', reviewed: 'reviewed' };
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "April 23, 2019" → "2019-04-23", "November 2022" → "2022-11"; undefined for any other form. */
export function isoDate(text: string): string | undefined {
  return datedAs(text)?.iso;
}

/** A date as a sample prints it, and the format it is printed in when not "MONTH D, YYYY" ("1/12/2010": "M/D/YYYY"). */
export function datedAs(text: string): { iso: string; format?: string } | undefined {
  const n = /^(\d{1,2})\/(?:(\d{1,2})\/)?(\d{4})$/.exec(text.trim());
  if (n) {
    const [month, day] = [Number(n[1]), n[2] === undefined ? undefined : Number(n[2])];
    if (month < 1 || month > 12 || (day !== undefined && (day < 1 || day > 31))) return undefined;
    // Zero-padded ("01/12/2010") or not; a month alone ("3/2021") says nothing of the day's form.
    const padded = n[1]!.length === 2 || (n[2]?.length === 2 && n[2].startsWith('0'));
    const format = padded ? 'MM/DD/YYYY' : 'M/D/YYYY';
    const mm = String(month).padStart(2, '0');
    return { iso: day === undefined ? `${n[3]}-${mm}` : `${n[3]}-${mm}-${String(day).padStart(2, '0')}`, format };
  }
  return monthNamed(text);
}

function monthNamed(text: string): { iso: string } | undefined {
  const m = /^([A-Za-z]+)\s+(?:(\d{1,2}),\s+)?(\d{4})$/.exec(text.trim());
  const month = m ? MONTHS.indexOf(m[1]!.toLowerCase()) + 1 : 0;
  if (!m || month === 0) return undefined;
  const mm = String(month).padStart(2, '0');
  return { iso: m[2] ? `${m[3]}-${mm}-${m[2].padStart(2, '0')}` : `${m[3]}-${mm}` };
}

const ROMAN_VALUES: [string, number][] = [['m', 1000], ['cm', 900], ['d', 500], ['cd', 400], ['c', 100], ['xc', 90], ['l', 50], ['xl', 40], ['x', 10], ['ix', 9], ['v', 5], ['iv', 4], ['i', 1]];

/** The value of a Roman numeral written as formatMarker writes it ("xiv" → 14); undefined for any other letters. */
function romanValue(letters: string): number | undefined {
  let rest = letters;
  let n = 0;
  for (const [r, v] of ROMAN_VALUES) {
    while (rest.startsWith(r)) {
      rest = rest.slice(r.length);
      n += v;
    }
  }
  // As formatMarker writes it, and no further than a list goes ("iiii" and "c" are not numerals here).
  return rest === '' && n > 0 && n < 40 && formatMarker('i', n) === letters ? n : undefined;
}

/** A letter's place in the alphabet. */
function alphaValue(letters: string): number | undefined {
  return letters.length === 1 ? letters.charCodeAt(0) - 96 : undefined;
}

/** A dated history line: "Policy adopted: April 23, 2019", or in another service's words, "Issued: 1/12/2010". */
function historyLine(plain: string, line: number): Extract<Paragraph, { kind: 'history' }> | undefined {
  let m = DATED.exec(plain);
  let d = m ? datedAs(m[3]!) : undefined;
  if (m && d) return { kind: 'history', part: m[1]!.toLowerCase() as 'policy', event: m[2]!.toLowerCase() as 'adopted', date: d.iso, line, ...(d.format ? { format: d.format } : {}) };
  m = DATED_OTHER.exec(plain);
  d = m ? datedAs(m[4]!) : undefined;
  if (m && d) return { kind: 'history', event: OTHER_EVENTS[(m[2] ?? m[3])!.toLowerCase()]!, date: d.iso, label: `${m[1]!.replace(/\s+/g, ' ')}:`, line, ...(d.format ? { format: d.format } : {}) };
  return undefined;
}

/** The list marker a paragraph starts with, and the text after it. */
export function listMarker(text: string): { marker: Marker; rest: string } | undefined {
  let m = /^[•◦▪·o-]\s+(\S[\s\S]*)$/.exec(text);
  // "o" is a bullet only before a capital or a digit ("o  Investigating"), never the word "o".
  if (m && !(text.startsWith('o') && !/^o\s+[A-Z0-9]/.test(text))) return { marker: { style: 'bullet' }, rest: m[1]! };
  // An empty box the board may check: "[ ]", "[  ]", "☐".
  m = /^(?:\[\s*\]|☐)\s+(\S[\s\S]*)$/.exec(text);
  if (m) return { marker: { style: 'checkbox' }, rest: m[1]! };
  // "1." "1)" "(1)", "a." "a)" "(a)", "A.", "i.", "IV." …: an opening parenthesis needs its closing one.
  m = /^(?:\((\d{1,3}|[a-z]{1,4}|[A-Z]{1,4})\)|(\d{1,3}|[a-z]{1,4}|[A-Z]{1,4})([.)]))\s+(\S[\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const token = m[1] ?? m[2]!;
  const [open, close] = m[1] !== undefined ? ['(', ')'] : ['', m[3]!];
  const rest = m[4]!;
  if (/^\d/.test(token)) return { marker: { style: `${open}1${close}`, ordinal: Number(token) }, rest };
  const upper = token !== token.toLowerCase();
  if (upper && token !== token.toUpperCase()) return undefined;
  const lower = token.toLowerCase();
  const readings: NumberedMarker[] = [];
  const alpha = alphaValue(lower);
  const roman = romanValue(lower);
  if (alpha !== undefined && lower.length === 1) readings.push({ style: `${open}${upper ? 'A' : 'a'}${close}`, ordinal: alpha });
  if (roman !== undefined) readings.push({ style: `${open}${upper ? 'I' : 'i'}${close}`, ordinal: roman });
  if (!readings.length) return undefined;
  // The reading that starts a list sooner comes first ("i." is one, not nine; "c." is three, not a hundred).
  readings.sort((a, b) => a.ordinal - b.ordinal);
  return { marker: { ...readings[0]!, ...(readings[1] ? { or: readings[1] } : {}) }, rest };
}

/**
 * The sample's paragraphs: runs of lines between blank lines, with line
 * endings normalised and trailing spaces dropped. Spacing inside a line is
 * kept: a doubled space may be a revision mark (see revisionMarks).
 */
export function paragraphsOf(input: string): Paragraph[] {
  const lines = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const out: Paragraph[] = [];
  let buffer: string[] = [];
  let start = 0;
  const flush = () => {
    if (buffer.length) out.push(...classify(buffer, start));
    buffer = [];
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/[ \t\u00a0]+$/, '');
    if (line.trim() === '') return flush();
    if (!buffer.length) start = i + 1;
    buffer.push(line);
  });
  flush();
  return out;
}

function classify(lines: string[], line: number): Paragraph[] {
  // A block of cross-references is one line each.
  // A page may print them as a bulleted list.
  const cf = lines.map((l) => CF.exec(l.trim().replace(/\u00a0/g, ' ').replace(/^[•◦▪·]\s+/, '')));
  if (cf.every(Boolean)) return [{ kind: 'cf', entries: cf.map((m) => ({ label: m![1]!, number: m![2]!, ...(m![3] ? { dash: m![3], title: m![4]! } : {}) })), line }];
  // A cross-reference heading, with its entries in this paragraph (one a line) or in the paragraphs after it.
  const heading = CF_HEADING.exec(lines[0]!.trim().replace(/\u00a0/g, ' '));
  if (heading) {
    const rest = [heading[2]!, ...lines.slice(1)].map((l) => l.trim().replace(/\u00a0/g, ' ')).filter(Boolean);
    const entries = rest.map((l) => CF_ENTRY.exec(l));
    if (entries.every(Boolean)) return [{ kind: 'cf', heading: heading[1]!, entries: entries.map((m) => ({ label: 'cf.', number: m![1]!, dash: m![2]!, title: m![3]! })), line }];
  }
  // Lines with their cells apart by tabs, as many on each: rows of a table.
  const cells = lines.map((l) => l.trim().split('\t').map((c) => c.trim()));
  // (A tab after a list marker, "1.<TAB>text", is the item's spacing, not a cell.)
  const marked = lines.some((l) => listMarker(l.trim().replace(/\t+/, ' ').replace(/\u00a0/g, ' ')) !== undefined && /^\S+\t/.test(l.trim()));
  if (!marked && cells[0]!.length >= 2 && cells.every((c) => c.length === cells[0]!.length)) return cells.map((c, k) => ({ kind: 'row', cells: c, line: line + k }));
  // Lines of one paragraph that each start a list item are items of their own.
  if (lines.length > 1 && lines.every((l) => listMarker(l.trim().replace(/\u00a0/g, ' ')))) return lines.flatMap((l, k) => classify([l], line + k));
  const text = lines.map((l) => l.trim()).join(' ');
  const plain = text.replace(/\u00a0/g, ' ').trim();
  let m = END.exec(plain);
  if (m) return [{ kind: 'label', label: m[1] ? 'end-optional' : 'end-alternative', text: plain, line }];
  // "Alternate" or "Optional" alone, without its colon, is a word, not a label.
  const bare = /^(?:alternat(?:e|ive)|optional)$/i.test(plain);
  m = LEAD.exec(plain);
  if (m) return [{ kind: 'label', label: 'lead', text: m[1]!, line }];
  m = bare ? null : ALTERNATIVE.exec(plain);
  if (m) return [{ kind: 'label', label: 'alternative', text: m[1]!, line }];
  m = bare ? null : OPTIONAL.exec(plain);
  if (m) return [{ kind: 'label', label: 'optional', text: m[1]!, line }];
  m = PART.exec(plain);
  // "Policy adopted: April 23, 2019" is a history line, not the heading of a part numbered "adopted".
  if (m && /^(?:adopted|approved|revised|reviewed)$/i.test(m[2]!)) m = null;
  if (m) return [{ kind: 'part', part: m[1]!.toLowerCase() as 'regulation', number: m[2]!, title: m[3]!, line }];
  m = PART_SHORT.exec(plain);
  if (m && /\d/.test(m[2]!)) return [{ kind: 'part', part: m[1] === 'E' ? 'exhibit' : 'regulation', number: m[2]!, title: m[3] ?? '', heading: plain, line }];
  m = LEGAL.exec(plain);
  if (m) return [{ kind: 'legal-label', label: m[1]!, rest: m[2]!.trim(), line }];
  m = BOARD_NOTE.exec(plain);
  if (m) return [{ kind: 'note', label: m[1]!, text: text.slice(text.length - m[2]!.length), line }];
  const dated = historyLine(plain, line);
  if (dated) return [dated];
  // Several on one line: "Adopted: 1/12/2010; Revised: 3/3/2021".
  const pieces = plain.split(/(;\s+|\s{2,}|,\s+(?=(?:issued|adopted|approved|revised|reviewed|date|last)\b))/i);
  if (pieces.length >= 3) {
    const lines = [];
    for (let k = 0; k < pieces.length; k += 2) {
      const h = historyLine(pieces[k]!, line);
      if (!h) break;
      lines.push(k === 0 ? h : { ...h, joined: pieces[k - 1]! });
    }
    if (lines.length === (pieces.length + 1) / 2) return lines;
  }
  m = APPROVAL.exec(plain);
  if (m) return [{ kind: 'approval', label: plain, part: m[1]!.toLowerCase() as 'policy', event: m[2]!.toLowerCase() as 'adopted', line }];
  const item = listMarker(plain);
  if (item) return [{ kind: 'item', marker: item.marker, text: item.rest.replace(/^[\s\u00a0]+/, ''), line }];
  return [{ kind: 'text', text, line }];
}

/**
 * The sample without its page furniture: page numbers, copyright lines, end
 * markers, locator blocks, and a running header (a line the sample repeats,
 * such as the number and title at the top of each page) after its first
 * appearance. What was dropped is reported; the round trip is proved against
 * what is left.
 */
export function withoutFurniture(input: string): { text: string; dropped: string[] } {
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  // The policy number, the sample's first line: a running header repeats it.
  const number = lines.find((l) => l.trim() !== '')?.trim().split(/\s+/)[0];
  const dropped: string[] = [];
  const first = new Set<string>();
  // Dropped lines leave an empty line, so that line numbers in reports stay the sample's.
  const kept = lines.map((l) => (keep(l) ? l : ''));
  return { text: kept.join('\n'), dropped };
  function keep(l: string): boolean {
    const t = l.trim().replace(/\u00a0/g, ' ');
    if (FURNITURE.test(t)) {
      dropped.push(t);
      return false;
    }
    // A short line with the number that comes again, after the first time: a running header.
    if (number && t.includes(number) && t !== number && t.split(/\s+/).length <= 12 && !t.startsWith('(')) {
      if (first.has(t)) {
        dropped.push(t);
        return false;
      }
      first.add(t);
    }
    return true;
  }
}

/** The sample with its end markers' lines emptied: the round trip leaves them out on both sides (see prove.ts). */
export function withoutEndMarkers(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => (END.test(l.trim().replace(/\u00a0/g, ' ')) ? '' : l))
    .join('\n');
}
