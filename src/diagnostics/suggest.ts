// Did-you-mean suggestions for misspelt ids and keys.
import { distance } from 'fastest-levenshtein';

/** The closest candidate when it is close enough to be a likely typo. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    let score = distance(needle, hay);
    // A prefix or suffix match ("invest" for "duties-investigating") is a strong hint too.
    if (hay.length > 3 && needle.length > 3 && (hay.includes(needle) || needle.includes(hay))) score = Math.min(score, 1);
    if (score < bestScore || (score === bestScore && best !== undefined && c < best)) {
      best = c;
      bestScore = score;
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
