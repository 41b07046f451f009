// Text extraction for fidelity tests: words in order, markup removed, all
// whitespace (including non-breaking spaces) normalised.
import { markdownToHtml } from '../src/render/runs.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };

/** Words of the policy itself: the <article>, without page chrome such as navigation. */
export function htmlWords(html: string): string[] {
  const article = /<article\b[\s\S]*<\/article>/i.exec(html)?.[0] ?? html;
  return textWords(article);
}

function textWords(html: string): string[] {
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/i, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? m);
  return words(body);
}

export function markdownWords(md: string): string[] {
  const withoutFrontMatter = md.replace(/^---\n[\s\S]*?\n---\n/, '');
  return textWords(markdownToHtml(withoutFrontMatter));
}

/** The seed's words, with the list markers (bullets and "1.") that renderers generate removed. */
export function seedWords(text: string): string[] {
  const lines = text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/^\s*(?:•|\d+\.)\s+/, ''));
  return words(lines.join('\n'));
}

export function words(s: string): string[] {
  return s.replace(/\u00a0/g, ' ').split(/\s+/).filter(Boolean);
}

/** Index and context of the first difference between two word lists, or undefined when equal. */
export function firstDifference(a: string[], b: string[]): string | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return `word ${i + 1}: expected "${a.slice(Math.max(0, i - 5), i + 5).join(' ')}" but got "${b.slice(Math.max(0, i - 5), i + 5).join(' ')}"`;
    }
  }
  return undefined;
}
