// Did-you-mean suggestions for misspelt ids and keys.
import { distance } from 'fastest-levenshtein';

/** The closest candidate when it is close enough to be a likely typo. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  let bestEdits = Infinity;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    const edits = distance(needle, hay);
    let score = edits;
    // A prefix or suffix match ("invest" for "duties-investigating") is a strong hint too.
    if (hay.length > 3 && needle.length > 3 && (hay.includes(needle) || needle.includes(hay))) score = Math.min(score, 1);
    // Among equal hints, the one fewest edits away (5142.4 rather than 5142 for 5142.44), then the first in order.
    if (score < bestScore || (score === bestScore && (edits < bestEdits || (edits === bestEdits && best !== undefined && c < best)))) {
      best = c;
      bestScore = score;
      bestEdits = edits;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(needle.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}

/** "a, b or c" for messages. */
export function formatList(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  if (items.length > 12) return `${items.slice(0, 12).join(', ')} … (${items.length} in all)`;
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
