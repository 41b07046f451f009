// What must never reach an adopted page: the publisher's marks of a sample
// (labels, blanks, editorial brackets, "(optional)"), placeholders nobody
// expanded, and the seams a removed phrase leaves (doubled spaces and words).
// Pure text tests; check-document.ts walks the assembled document with them.
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Inline } from '../model/model.js';

export interface Leftover {
  code: DiagnosticCode;
  /** A pattern's guess (brackets that look editorial), not a marker the clause file or its library declares. */
  guess?: true;
  /** The words as they stand in the page. */
  found: string;
  message: string;
  hint: string;
}

/** "Alternative language:", "Optional Language:", and a bare "Alternate:" or "Optional:" where a label stands, at the start. */
/** A label ends with ":", a marker sits in brackets or parentheses, a placeholder in braces, a blank is underscores. */
const MAY_HOLD = /[:([{_]/;
const SAMPLE_LABEL = /\b(?:alternat(?:e|ive) language|optional language)\s*:|^\s*(?:alternat(?:e|ive)|optional)\s*:/i;
const CHOICE_MARKER = /\((?:alternate|alternative|optional)\b[^)]*\)|\[choose:|\[fill in:/i;
/** {{name}} as clause text writes a placeholder: left in a page, nobody expanded it. */
const PLACEHOLDER = /\{\{[^{}\n]{0,80}\}\}/;
/**
 * A blank as samples print one: three or more underscores, or two that are not
 * Markdown's __strong__ (which opens before a letter and closes after one).
 */
const BLANK_RUN = /_{3,}|(?<![\p{L}\p{N}_\\])__(?![\p{L}_])|(?<=\p{N})__(?![\p{L}_])/u;
/**
 * [or designee], [END OF OPTION], [insert date]: square brackets that are not
 * a Markdown link's text, nor a quotation's own alteration ("[a]ny pupil",
 * "the [Board]'s", "[sic]"), which touches a letter or is sic.
 */
const BRACKETED = /(?<![\\\]\p{L}])\[(?!\s*\]|sic\])[^\][\n]{1,120}\](?![([\p{L}'’])/iu;
const BRACKETED_ALL = new RegExp(BRACKETED.source, `${BRACKETED.flags}g`);
const NONE: ReadonlySet<string> = new Set();
/** __strong__ in Markdown, which the blank pattern must not see: two underscores each side of words on one line. */
const STRONG = /(?<!_)__(?=[^\s_])([^_\n]*?[^\s_])__(?!_)/g;

export const LEFTOVER_HINTS = {
  label: 'Labels belong to the sample edition: remove the label from the clause text (the template prints it), or fix the text with a recorded deviation.',
  marker: 'Make the choice in the config, or mark the phrase as an inline choice in the clause file.',
  placeholder: 'Declare the name as a variable or choice of the policy, or write \\{{ in the clause text for literal braces.',
  blank: 'A blank is a variable: write {{name sample="____"}} in the clause file and give the district\'s value in the config (variables: { name: … }).',
  bracket: 'Brackets mark the publisher\'s editorial choices: make the phrase an inline choice or optional phrase in the clause file, or record a deviation with the words the board adopts.',
} as const;

/**
 * The leftovers in publisher text of a district or annotated page. `markers`
 * are the editorial markers a clause file declares, matched without regard to case.
 */
export function leftoversIn(text: string, markers: readonly string[] = [], footnotes: ReadonlySet<string> = NONE): Leftover[] {
  // Every pattern below needs one of these characters: most sentences have none, and are done at once.
  if (markers.length === 0 && !MAY_HOLD.test(text)) return [];
  const out: Leftover[] = [];
  const label = SAMPLE_LABEL.exec(text);
  if (label) out.push({ code: 'sample-label-leak', found: label[0], message: `the sample label "${label[0]}" would be published in the district edition`, hint: LEFTOVER_HINTS.label });
  const marker = CHOICE_MARKER.exec(text);
  if (marker) out.push({ code: 'unresolved-marker', found: marker[0], message: `"${marker[0]}" looks like an unresolved sample choice`, hint: LEFTOVER_HINTS.marker });
  const placeholder = PLACEHOLDER.exec(text);
  if (placeholder) out.push({ code: 'unexpanded-placeholder', found: placeholder[0], message: `the placeholder "${placeholder[0]}" was never filled in`, hint: LEFTOVER_HINTS.placeholder });
  const blank = BLANK_RUN.exec(text.replace(STRONG, '$1'));
  if (blank) {
    const found = around(text.replace(STRONG, '$1'), blank.index, blank[0].length);
    out.push({ code: 'sample-blank', found, message: `the blank "${found}" is still to be filled in`, hint: LEFTOVER_HINTS.blank });
  }
  const lower = text.toLowerCase();
  const declared = markers.find((m) => m !== '' && lower.includes(m.toLowerCase()));
  if (declared) {
    const found = text.substr(lower.indexOf(declared.toLowerCase()), declared.length);
    out.push({ code: 'editorial-marker', found, message: `the editorial marker "${found}" is still in the text`, hint: LEFTOVER_HINTS.bracket });
  } else {
    // A footnote marker ("[1]") of a legal reference the policy numbers so is the text's own.
    const bracket = [...text.matchAll(BRACKETED_ALL)].find((m) => !footnotes.has(m[0]));
    if (bracket && !marker) out.push({ code: 'editorial-marker', guess: true, found: bracket[0], message: `the bracketed "${bracket[0]}" looks like a publisher's editorial marker`, hint: LEFTOVER_HINTS.bracket });
  }
  return out;
}

/** The words around a match, so that a bare "__" in a message says where it is. */
function around(text: string, index: number, length: number): string {
  const before = /\S*$/.exec(text.slice(0, index))?.[0] ?? '';
  const after = /^\S*/.exec(text.slice(index + length))?.[0] ?? '';
  return `${before}${text.slice(index, index + length)}${after}`;
}

const DOUBLED_SPACE = /\S( {2,})(?=\S)/g;
const DOUBLED_WORD = /\b(\p{L}[\p{L}'’-]*)\s+\1\b/giu;

/**
 * Doubled spaces or words in a page's text that the clause text does not hold
 * itself: the seam where a choice or an optional phrase left nothing. `clause`
 * is the literal text of the block or item as the clause file writes it.
 */
export function seamsIn(text: string, clause: readonly Inline[] | undefined): Leftover[] {
  // Only a placeholder makes a seam: clause text without one is printed as written.
  if (clause && !clause.some((n) => n.kind === 'ref')) return [];
  const literal = (clause ?? []).map((n) => (n.kind === 'text' ? n.text : '\u0000')).join('');
  const out: Leftover[] = [];
  for (const m of text.matchAll(DOUBLED_SPACE)) {
    const words = around(text, m.index + 1, m[1]!.length);
    if (literal.includes(words)) continue;
    out.push({ code: 'doubled-text', found: seam(clause, (before, after) => before.endsWith(' ') && after.startsWith(' ')) ?? words, message: `"${words}" has a doubled space where a choice or phrase left nothing`, hint: SEAM_HINT });
    break;
  }
  for (const m of text.matchAll(DOUBLED_WORD)) {
    if (literal.toLowerCase().includes(m[0].toLowerCase())) continue;
    const word = m[1]!.toLowerCase();
    const found = seam(clause, (before, after) => before.trimEnd().toLowerCase().endsWith(word) || after.trimStart().toLowerCase().startsWith(word)) ?? m[0];
    out.push({ code: 'doubled-text', found, message: `"${m[0]}" repeats a word where a choice or phrase meets the text around it`, hint: SEAM_HINT });
    break;
  }
  return out;
}

/** The placeholder as written ("{{name}}") whose neighbouring text meets the test: where the diagnostic points. */
function seam(clause: readonly Inline[] | undefined, test: (before: string, after: string) => boolean): string | undefined {
  const nodes = clause ?? [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind !== 'ref') continue;
    const before = nodes[i - 1]?.kind === 'text' ? (nodes[i - 1] as { text: string }).text : '';
    const after = nodes[i + 1]?.kind === 'text' ? (nodes[i + 1] as { text: string }).text : '';
    if (test(before, after)) return `{{${n.name}}}`;
  }
  return undefined;
}

const SEAM_HINT = 'Write the space inside the choice\'s values (e.g. " and the Vice-Chairperson" and ""), not on both sides of the placeholder, or record a deviation with the adopted words.';
