// How list items end: the rule behind list-punctuation, shared by the stage
// that reads clause files (which notes where such items are) and the one that
// checks assembled documents.
import type { Inline } from './model.js';

/** How an item ends that is not meant to be last: a semicolon or comma, or "and"/"or" after one. */
export const CONTINUED = /([;,](?:\s*(?:and|or))?|\b(?:and|or))\s*$/;

/** Whether clause text ends as a middle item of a list does (its last words are text, not a placeholder). */
export function endsContinued(text: readonly Inline[]): boolean {
  const last = text[text.length - 1];
  return last?.kind === 'text' && CONTINUED.test(last.text.trimEnd());
}
