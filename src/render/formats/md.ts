// Markdown pages: for static site generators and for reading in git.
import { blocksToMarkdown } from '../blocks.js';
import { frontMatter, stringify } from '../front-matter.js';
import { legalToMarkdown } from '../legal.js';
import { escapeMarkdown } from '../runs.js';
import { sentencePerLine } from '../sentences.js';
import { tidyMarkdown } from '../tidy.js';
import type { TemplatedFormat } from './format.js';

export const md: TemplatedFormat = {
  name: 'md',
  binary: false,
  wholeManual: false,
  templated: true,
  text: escapeMarkdown,
  markup: (s) => s,
  body: (blocks, headingBase, context) => {
    const body = blocksToMarkdown(blocks, headingBase, context.link);
    return context.sentencePerLine ? sentencePerLine(body) : body;
  },
  legal: legalToMarkdown,
  frontMatter,
  indexFrontMatter: (title, edition) => `---\n${stringify({ title, edition })}---\n`,
  tidy: tidyMarkdown,
  raw: true,
};
