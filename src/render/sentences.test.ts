import { describe, expect, it } from 'vitest';
import { markdownToHtml } from './runs.js';
import { sentencePerLine } from './sentences.js';

describe('sentencePerLine', () => {
  it('puts each sentence of a paragraph on its own line', () => {
    expect(sentencePerLine('The Board shall act. The MOU must address it. It shall include training.')).toBe(
      'The Board shall act.\nThe MOU must address it.\nIt shall include training.',
    );
  });

  it('keeps list markers and indents continuation lines', () => {
    expect(sentencePerLine('10. First one. Second one.\n   - Nested. Again.')).toBe('10. First one.\n    Second one.\n   - Nested.\n     Again.');
  });

  it('never starts a line with a list marker or heading', () => {
    const md = 'See section 4. 2. Items follow. # Not a heading.';
    const out = sentencePerLine(md);
    for (const line of out.split('\n')) expect(line).not.toMatch(/^(\d+\.|#)\s/);
    expect(markdownToHtml(out).replace(/\s+/g, ' ')).toBe(markdownToHtml(md).replace(/\s+/g, ' '));
  });

  it('renders to the same HTML apart from line breaks', () => {
    const md = 'The Board will work in cooperation. The objectives will be set by the police department.\n\n1. One. Two.\n2. Three.';
    const norm = (s: string) => s.replace(/\s+/g, ' ');
    expect(norm(markdownToHtml(sentencePerLine(md)))).toBe(norm(markdownToHtml(md)));
  });

  it('leaves tables and headings alone', () => {
    const md = '# A. B.\n\n| a. b. | c |';
    expect(sentencePerLine(md)).toBe(md);
  });
});
