// HTML pages: one self-contained page per policy, and the index.
import { blocksToHtml } from '../blocks.js';
import { legalToHtml } from '../legal.js';
import { loadRuntime } from '../handlebars-runtime.js';
import { tidyHtml } from '../tidy.js';
import type { TemplatedFormat } from './format.js';

export const html: TemplatedFormat = {
  name: 'html',
  binary: false,
  wholeManual: false,
  templated: true,
  // Handlebars escapes what templates print.
  text: (s) => s,
  markup: (s) => new (loadRuntime().SafeString)(s),
  body: (blocks, headingBase, context) => blocksToHtml(blocks, headingBase, context.link),
  legal: legalToHtml,
  frontMatter: () => '',
  indexFrontMatter: () => '',
  tidy: tidyHtml,
  raw: false,
};
