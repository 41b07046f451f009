// The data a template receives (docs/templates.md): a policy's page view and
// the index view, their strings escaped and their markup made for the format.
import type { DocPart, Document } from '../model/model.js';
import { historyLines } from '../assemble/wording.js';
import { comparePolicyNumbers } from '../model/number.js';
import type { IndexContext, IndexEntry, RenderContext, TemplatedFormat } from './formats/format.js';

export type { IndexContext, IndexEntry };

export const NO_LINKS: RenderContext = { link: () => undefined, referencedBy: [] };

export function indexEntry(doc: Document): IndexEntry {
  return {
    number: doc.number,
    title: doc.title,
    series: doc.series,
    kind: doc.kind,
    ...(doc.status !== undefined ? { status: doc.status } : {}),
    history: doc.parts[0]?.history ?? [],
  };
}

const KIND_TITLES = { policy: 'Policy', regulation: 'Regulation', bylaw: 'Bylaw', exhibit: 'Exhibit' } as const;

export function buildIndexView(docs: readonly IndexEntry[], format: TemplatedFormat, context: IndexContext): Record<string, unknown> {
  const text = (s: string) => format.text(s);
  const series: { number: string; title: string; policies: Record<string, unknown>[] }[] = [];
  const bySeries = new Map<string, (typeof series)[number]>();
  const sorted = [...docs].sort((a, b) => comparePolicyNumbers(a.series.number, b.series.number) || comparePolicyNumbers(a.number, b.number));
  for (const d of sorted) {
    let group = bySeries.get(d.series.number);
    if (!group) {
      group = { number: text(d.series.number), title: text(d.series.title), policies: [] };
      bySeries.set(d.series.number, group);
      series.push(group);
    }
    const history = d.history;
    const adopted = history.find((h) => h.event === 'adopted' || h.event === 'approved');
    const revised = history.filter((h) => h.event === 'revised').at(-1);
    group.policies.push({
      number: text(d.number),
      title: text(d.title),
      kind: d.kind,
      kindTitle: KIND_TITLES[d.kind],
      status: d.status ?? null,
      href: context.link(d.number),
      adopted: adopted?.date ? text(adopted.date) : null,
      adoptedIso: adopted?.iso || null,
      revised: revised?.date ? text(revised.date) : null,
      revisedIso: revised?.iso || null,
    });
  }
  const district = context.edition === 'district' ? context.config.district : undefined;
  return {
    lang: 'en',
    edition: context.edition,
    sample: context.edition === 'sample',
    generator: 'sro-policy',
    district: district ? { name: text(district.name), board: text(district.board), town: text(district.town), state: text(district.state) } : null,
    title: text(district ? `${district.board} Policy Manual` : 'Sample Policy Manual'),
    count: docs.length,
    series,
    frontMatter: format.indexFrontMatter(district ? `${district.board} Policy Manual` : 'Sample Policy Manual', context.edition),
  };
}

export function buildView(doc: Document, format: TemplatedFormat, context: RenderContext = NO_LINKS): Record<string, unknown> {
  const text = (s: string) => format.text(s);
  const safe = (s: string) => format.markup(s);
  // The main part sits under the page's h1; later parts have their own h2, so their sub-headings start one level lower.
  const headingBase = (p: DocPart) => (p.heading ? 2 : 1);
  const district = doc.district
    ? { name: text(doc.district.name), board: text(doc.district.board), town: text(doc.district.town), state: text(doc.district.state) }
    : null;
  const parts = doc.parts.map((p) => ({
    id: p.id,
    kind: p.kind,
    kindTitle: KIND_TITLES[p.kind],
    // A heading printed as the sample prints it holds the title already.
    title: p.heading && !p.verbatim ? text(p.title) : null,
    heading: p.heading ? text(p.heading) : null,
    body: safe(format.body(p.blocks, headingBase(p), context)),
    cf: p.cf.map((c) => ({ number: text(c.number), title: text(c.title), href: context.link(c.number) ?? null })),
    legal: p.legal,
    legalSection: safe(format.legal(p, doc)),
    history: historyLines(p.history).map((h) => ({ event: h.entry.event, label: text(h.label), date: text(h.date), iso: h.entry.iso })),
  }));
  const view: Record<string, unknown> = {
    lang: 'en',
    edition: doc.edition,
    draft: doc.draft,
    sample: doc.edition === 'sample',
    generator: 'sro-policy',
    district,
    policy: {
      number: text(doc.number),
      title: text(doc.title),
      series: { number: text(doc.series.number), title: text(doc.series.title) },
      category: doc.category === undefined ? null : text(doc.category),
      kind: doc.kind,
      kindTitle: KIND_TITLES[doc.kind],
      status: doc.status ?? null,
    },
    labels: { cf: text(doc.labels.cf), cfSeparator: text(doc.labels.cfSeparator), cfHeading: text(doc.labels.cfHeading), legal: text(doc.labels.legal), alternative: text(doc.labels.alternative), optional: text(doc.labels.optional) },
    parts,
    referencedBy: context.referencedBy.map((r) => ({ number: text(r.number), title: text(r.title), href: context.link(r.number) ?? null })),
    index: context.index ?? null,
    frontMatter: format.frontMatter(doc),
  };
  return view;
}

