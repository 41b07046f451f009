// The last touch to a rendered page: blank lines and trailing spaces.

/** Blank-line runs collapse to one, trailing spaces go, and the file ends with one newline. */
export function tidyMarkdown(s: string): string {
  if (hasOtherLineEnds(s)) {
    return s
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+/, '')
      .replace(/\n*$/, '\n');
  }
  return tidyLines(s, 'markdown');
}

/** Blank lines go (a leading one stays), trailing spaces go, and the file ends with one newline. */
export function tidyHtml(s: string): string {
  if (hasOtherLineEnds(s)) return s.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n').replace(/\n*$/, '\n');
  return tidyLines(s, 'html');
}

/** "\r", U+2028 and U+2029 end a line for `$` too: pages with them take the regular expressions. */
function hasOtherLineEnds(s: string): boolean {
  return s.includes('\r') || s.includes('\u2028') || s.includes('\u2029');
}

/**
 * The regular expressions above in one pass over the lines ("\n" only): each
 * of them scanned the whole page, and `\n*$` tried every position of it.
 */
function tidyLines(s: string, format: 'markdown' | 'html'): string {
  let out = '';
  let written = false;
  let blanks = 0;
  for (let start = 0; ; ) {
    const nl = s.indexOf('\n', start);
    let end = nl < 0 ? s.length : nl;
    while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
    if (end > start) {
      if (written) out += format === 'markdown' && blanks > 0 ? '\n\n' : '\n';
      else if (format === 'html' && blanks > 0) out += '\n';
      out += s.slice(start, end);
      written = true;
      blanks = 0;
    } else {
      blanks++;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return `${out}\n`;
}
