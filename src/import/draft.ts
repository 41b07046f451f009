// import: the clause file being recognised, as a draft of its YAML data, and
// what recognising it found and guessed: the state every step of recognise.ts
// shares, and running text as clause text (revision marks, slash lists and
// blanks become choices and variables). Pure.
import { clean, Ids, slug } from './words.js';

/** A YAML mapping of the draft, with the review notes printed above it. */
export type Draft = { [key: string]: DraftValue } & { [REVIEW]?: string[] };
export type DraftValue = string | number | boolean | Draft | DraftValue[];
export const REVIEW = Symbol('review');

const note = (d: Draft, text: string) => ((d[REVIEW] ??= []).push(text), d);

export class DraftState {
  protected readonly ids = new Ids();
  protected readonly found: Record<string, number> = {};
  protected readonly guesses: string[] = [];
  protected readonly choices: Record<string, Draft> = {};
  protected readonly variables: Record<string, Draft> = {};
  protected blankCount = 0;
  /** The sample labels each optional block or item (optional-labels: each). */
  protected optionalEach = false;
  /** How the sample prints the dates of its history lines, when not "MONTH D, YYYY". */
  protected dateFormat: string | undefined;
  /** The sample's wording of its labels, as first met. */
  protected readonly labels: { alternative?: string; lead?: string; legal?: string; boardNote?: string; optional?: string; optionalEnd?: string; alternativeEnd?: string; cf?: string; cfDash?: string; cfHeading?: string } = {};

  protected count(what: string): void {
    this.found[what] = (this.found[what] ?? 0) + 1;
  }

  protected guess(d: Draft, text: string): void {
    note(d, text);
    this.guesses.push(text);
  }

  /**
   * Running text as clause text: revision marks (two words set apart by
   * doubled spaces) and slash lists of three or more words become choices,
   * underscore runs become blanks, and braces are escaped.
   */
  protected text(raw: string): string {
    let text = raw.replace(/\\/g, '\\\\').replace(/\{\{/g, '\\{{');
    text = text.replace(/(^|[ \t\u00a0]{2,})(\S+)[ \t\u00a0]{2,}(\S+)(?=[ \t\u00a0]{2,})/g, (m, before: string, struck: string, inserted: string) => {
      if (before === '' || !/^[\p{L}'-]+$/u.test(struck) || !/^[\p{L}'-]+$/u.test(inserted)) return m;
      const id = this.choiceId(`${slug(struck, 1)}-${slug(inserted, 1)}`);
      const values: Draft = { [slug(struck, 1)]: struck, [slug(inserted, 1)]: inserted };
      const choice: Draft = { prompt: `"${struck}" or "${inserted}"?`, values, revision: { struck: slug(struck, 1), inserted: slug(inserted, 1) }, default: slug(inserted, 1) };
      this.guess(choice, `review: "${struck}  ${inserted}" is read as a revision mark (struck "${struck}", inserted "${inserted}") from its doubled spaces`);
      this.choices[id] = choice;
      this.count('revision mark');
      return ` {{${id}}}`;
    });
    text = text.replace(/\b([a-z]+(?:\/[a-z]+){2,})\b/g, (m) => {
      const words = m.split('/');
      if (words.includes('or') || words.includes('and')) return m;
      const id = this.choiceId(slug(words.join(' '), 3));
      const choice: Draft = { prompt: `Which of ${words.join(', ')}?`, values: Object.fromEntries(words.map((w) => [slug(w, 1), w])), multiple: true, default: words.map((w) => slug(w, 1)) };
      this.guess(choice, `review: "${m}" is offered as a multiple choice`);
      this.choices[id] = choice;
      this.count('multiple choice');
      return `{{${id}}}`;
    });
    // "the Superintendent [or designee] shall": a phrase the board may keep or drop, printed in brackets in the sample.
    text = text.replace(/ \[((?:or|and|and\/or) [^\][\n]{1,60})\]/g, (m, phrase: string) => {
      const id = this.choiceId(slug(phrase, 3));
      const choice: Draft = { prompt: `Keep "${phrase}"?`, values: { with: ` ${phrase}`, without: '' }, default: 'with', sample: ` [${phrase}]` };
      this.guess(choice, `review: "[${phrase}]" is read as an optional phrase, kept by default`);
      this.choices[id] = choice;
      this.count('optional phrase');
      return `{{${id}}}`;
    });
    // "[insert date]", "[name of school]": a blank in the publisher's words.
    text = text.replace(/\[((?:insert|name of|enter) [^\][\n]{1,60})\]/gi, (m, what: string) => {
      const id = `blank-${++this.blankCount}`;
      const v: Draft = { prompt: `What goes in "${m}"?`, sample: m };
      this.guess(v, `review: name the blank "${id}" ("${what}")`);
      this.variables[id] = v;
      this.count('blank');
      return `{{${id}}}`;
    });
    text = text.replace(/_{3,}/g, (run) => {
      const id = `blank-${++this.blankCount}`;
      const v: Draft = { prompt: 'What goes in this blank?', sample: run };
      this.guess(v, `review: name the blank "${id}" and say what it asks for`);
      this.variables[id] = v;
      this.count('blank');
      return `{{${id}}}`;
    });
    return clean(text);
  }

  private choiceId(base: string): string {
    let id = base || 'choice';
    for (let n = 2; id in this.choices; n++) id = `${base}-${n}`;
    return id;
  }
}

