// One sentence per line in Markdown, so a git diff shows the sentence that
// changed rather than a whole paragraph. Markdown joins the lines of a
// paragraph back together, so the rendered text is unchanged.

// Loading ICU's sentence rules costs tens of milliseconds: only when asked for.
let segmenter: Intl.Segmenter | undefined;

/** A line that Markdown would read as the start of a new block, not a continuation. */
const BLOCK_START = /^(?:\d{1,9}[.)]|[-+*]|#{1,6}|>|=+|-+|\||\d+\\?[.)])(?:\s|$)/;

function splitLine(content: string): string[] {
  const out: string[] = [];
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  for (const { segment } of segmenter.segment(content)) {
    const s = segment.trim();
    if (s === '') continue;
    // Never start a line with something Markdown would read as a list, heading or quote.
    if (out.length && BLOCK_START.test(s)) out[out.length - 1] += ` ${s}`;
    else out.push(s);
  }
  return out.length ? out : [content];
}

/**
 * Split the paragraphs, list items and lead-ins of a Markdown body into one
 * sentence per line, keeping list and quote prefixes and indentation.
 * Headings, tables and blank lines are left alone.
 */
export function sentencePerLine(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      if (line.trim() === '' || /^\s*(#|\|)/.test(line)) return line;
      const m = /^(\s*(?:>\s?)*(?:(?:[-+*]|\d{1,9}[.)])\s+)?)(.*)$/.exec(line)!;
      const prefix = m[1]!;
      const content = m[2]!;
      const parts = splitLine(content);
      if (parts.length === 1) return line;
      const quote = /^(\s*(?:>\s?)+)/.exec(prefix)?.[1];
      const continuation = quote ?? ' '.repeat(prefix.length);
      return prefix + parts.join(`\n${continuation}`);
    })
    .join('\n');
}
