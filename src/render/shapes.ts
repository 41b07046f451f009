// The shapes of the data templates receive (docs/templates.md): templates are
// checked against them when they are loaded, and a test checks the views.
import type { Shape } from './template-check.js';

/**
 * The shape of the data every policy template receives (docs/templates.md).
 * Templates are checked against it at load; a test checks buildView against it.
 */
export const VIEW_SHAPE: Shape = {
  lang: 'leaf',
  edition: 'leaf',
  draft: 'leaf',
  sample: 'leaf',
  generator: 'leaf',
  district: { name: 'leaf', board: 'leaf', town: 'leaf', state: 'leaf' },
  policy: {
    number: 'leaf',
    title: 'leaf',
    series: { number: 'leaf', title: 'leaf' },
    category: 'leaf',
    kind: 'leaf',
    kindTitle: 'leaf',
    status: 'leaf',
  },
  labels: { cf: 'leaf', cfSeparator: 'leaf', cfHeading: 'leaf', legal: 'leaf', alternative: 'leaf', optional: 'leaf' },
  parts: [
    {
      id: 'leaf',
      kind: 'leaf',
      kindTitle: 'leaf',
      title: 'leaf',
      heading: 'leaf',
      body: 'leaf',
      cf: [{ number: 'leaf', title: 'leaf', href: 'leaf' }],
      legal: 'any',
      legalSection: 'leaf',
      history: [{ event: 'leaf', label: 'leaf', date: 'leaf', iso: 'leaf' }],
    },
  ],
  referencedBy: [{ number: 'leaf', title: 'leaf', href: 'leaf' }],
  index: 'leaf',
  frontMatter: 'leaf',
};

export const INDEX_SHAPE: Shape = {
  lang: 'leaf',
  edition: 'leaf',
  sample: 'leaf',
  generator: 'leaf',
  district: { name: 'leaf', board: 'leaf', town: 'leaf', state: 'leaf' },
  title: 'leaf',
  count: 'leaf',
  series: [
    {
      number: 'leaf',
      title: 'leaf',
      policies: [
        {
          number: 'leaf',
          title: 'leaf',
          kind: 'leaf',
          kindTitle: 'leaf',
          status: 'leaf',
          href: 'leaf',
          adopted: 'leaf',
          adoptedIso: 'leaf',
          revised: 'leaf',
          revisedIso: 'leaf',
        },
      ],
    },
  ],
  frontMatter: 'leaf',
};
