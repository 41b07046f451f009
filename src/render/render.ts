// render: an assembled Document → the text of one output file, through the
// format's Handlebars template. The view handed to templates is documented in
// docs/templates.md; its strings are escaped for the target format.
import jsyaml from 'js-yaml';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, DocHistory, DocLegal, DocPart, Document, Format } from '../model/model.js';
import { comparePolicyNumbers } from '../model/number.js';
import { sentencePerLine } from './sentences.js';
import { blocksToHtml, blocksToMarkdown } from './blocks.js';
import type { Shape } from './template-check.js';
import { loadRuntime, offsetOf, type FormatTemplates } from './templates.js';
import { escapeHtml, escapeMarkdown } from './runs.js';

export interface RenderedFile {
  format: Format;
  text: string;
}

/** What a page needs to know about the rest of the manual. */
export interface RenderContext {
  /** File name of a policy's page in the same format, when it is in the manual. */
  link: (number: string) => string | undefined;
  referencedBy: readonly { number: string; title: string }[];
  /** File name of the index page, when one is written. */
  index?: string;
  sentencePerLine?: boolean;
}

export const NO_LINKS: RenderContext = { link: () => undefined, referencedBy: [] };

export function render(doc: Document, templates: FormatTemplates, context: RenderContext, diags: Diagnostics): string | undefined {
  return run(templates, buildView(doc, templates.format, context), diags);
}

function run(templates: FormatTemplates, view: unknown, diags: Diagnostics): string | undefined {
  let out: string;
  try {
    out = templates.render(view);
  } catch (e) {
    reportRuntimeError(e, templates, diags);
    return undefined;
  }
  return templates.format === 'md' ? tidyMarkdown(out) : tidyHtml(out);
}

export interface IndexContext {
  /** File name of a policy's page in this format, or null when it is not written in it. */
  link: (number: string) => string | null;
  edition: Document['edition'];
  config: DistrictConfig;
}

/** What the index shows of one policy; kept in the build cache for policies not rebuilt. */
export interface IndexEntry {
  number: string;
  title: string;
  series: { number: string; title: string };
  kind: Document['kind'];
  status?: string;
  history: DocHistory[];
}

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

/** The manual's table of contents, grouped by series, in policy-number order. */
export function renderIndex(docs: readonly IndexEntry[], templates: FormatTemplates, context: IndexContext, diags: Diagnostics): string | undefined {
  return run(templates, buildIndexView(docs, templates.format, context), diags);
}

export function buildIndexView(docs: readonly IndexEntry[], format: Format, context: IndexContext): Record<string, unknown> {
  const text = format === 'md' ? escapeMarkdown : (s: string) => s;
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
    frontMatter: format === 'md' ? `---\n${stringify({ title: district ? `${district.board} Policy Manual` : 'Sample Policy Manual', edition: context.edition })}---\n` : '',
  };
}

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

function reportRuntimeError(e: unknown, templates: FormatTemplates, diags: Diagnostics): void {
  const err = e as { message?: string; lineNumber?: number; column?: number };
  const message = String(err.message ?? e).replace(/ - \d+:\d+$/, '');
  const notDefined = /^"(.+)" not defined in/.exec(message);
  // Handlebars reports the line and column but not the template (main or partial)
  // they are in: take the one whose text at that place names the missing value,
  // else the first that names it anywhere.
  const line = err.lineNumber;
  const at = (x: { text: string }) => (typeof line === 'number' ? offsetOf(x.text, line, err.column ?? 0) : 0);
  const all = [templates.main, ...templates.partials.values()];
  let t = templates.main;
  if (notDefined) {
    const name = notDefined[1]!;
    // The path at that line and column ("txt", "policy.txt", "../txt") ends with the name.
    const mustache = (x: { text: string }) => {
      const path = /^[^\s}]*/.exec(x.text.slice(at(x)))![0];
      return path === name || path.endsWith(`.${name}`) || path.endsWith(`/${name}`);
    };
    t = all.find(mustache) ?? all.find((x) => x.text.includes(name)) ?? templates.main;
  }
  const start = at(t);
  diags.error(notDefined ? 'template-missing-value' : 'template-error', notDefined ? `Template uses {{${notDefined[1]}}}, which the data does not have` : `Template failed: ${message}`, {
    file: t.file,
    range: [start, start + (notDefined?.[1]?.length ?? 1)],
    hint: 'The data each template receives is listed in docs/templates.md.',
  });
}

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
function tidyHtml(s: string): string {
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
  labels: { cf: 'leaf', legal: 'leaf', alternative: 'leaf', optional: 'leaf' },
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

function markdownBody(md: string, context: RenderContext): string {
  return context.sentencePerLine ? sentencePerLine(md) : md;
}

/** YAML for front matter: js-yaml's writer is fast and quotes anything a YAML 1.1 reader (Jekyll) could misread. */
function stringify(value: Record<string, unknown>): string {
  let out = '';
  for (const [key, v] of Object.entries(value)) out += frontMatterLine(key, v);
  return out;
}

const DUMP_OPTIONS: jsyaml.DumpOptions = { lineWidth: -1, schema: jsyaml.CORE_SCHEMA, quotingType: '"', noRefs: true };

/**
 * Words js-yaml quotes although they start with a letter: YAML's null and
 * booleans, and YAML 1.1's yes/no/on/off booleans.
 */
const QUOTED_WORDS = new Set(
  'null Null NULL true True TRUE false False FALSE y Y yes Yes YES n N no No NO on On ON off Off OFF'.split(' '),
);
/** Letters first, then only characters that mean nothing to YAML inside a block scalar: js-yaml writes these plain. */
const PLAIN = /^[A-Za-z][A-Za-z0-9 .,'()/-]*$/;
/** Whole and decimal numbers: js-yaml double-quotes them, or they would read back as numbers. */
const NUMBER = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/**
 * One key of the front matter as js-yaml writes it. The usual values (titles,
 * names, policy numbers) are written here; anything else goes to js-yaml,
 * which is the reference (a differential test compares the two).
 */
export function frontMatterLine(key: string, value: unknown): string {
  if (/^[a-z_]+$/.test(key)) {
    if (value === true) return `${key}: true\n`;
    if (typeof value === 'string') {
      if (PLAIN.test(value) && value.at(-1) !== ' ' && !QUOTED_WORDS.has(value)) return `${key}: ${value}\n`;
      if (NUMBER.test(value)) return `${key}: "${value}"\n`;
    }
  }
  return jsyaml.dump({ [key]: value }, DUMP_OPTIONS);
}

const KIND_TITLES = { policy: 'Policy', regulation: 'Regulation', bylaw: 'Bylaw', exhibit: 'Exhibit' } as const;

export function buildView(doc: Document, format: Format, context: RenderContext = NO_LINKS): Record<string, unknown> {
  const isMd = format === 'md';
  const text = isMd ? escapeMarkdown : (s: string) => s;
  const safe = isMd ? (s: string) => s : (s: string) => new (loadRuntime().SafeString)(s);
  // The main part sits under the page's h1; later parts have their own h2, so their sub-headings start one level lower.
  const headingBase = (p: DocPart) => (p.heading ? 2 : 1);
  const district = doc.district
    ? { name: text(doc.district.name), board: text(doc.district.board), town: text(doc.district.town), state: text(doc.district.state) }
    : null;
  const parts = doc.parts.map((p) => ({
    id: p.id,
    kind: p.kind,
    kindTitle: KIND_TITLES[p.kind],
    title: p.heading ? text(p.title) : null,
    heading: p.heading ? text(p.heading) : null,
    body: safe(isMd ? markdownBody(blocksToMarkdown(p.blocks, headingBase(p)), context) : blocksToHtml(p.blocks, headingBase(p))),
    cf: p.cf.map((c) => ({ number: text(c.number), title: text(c.title), href: context.link(c.number) ?? null })),
    legal: p.legal,
    legalSection: safe(isMd ? legalToMarkdown(p, doc) : legalToHtml(p, doc)),
    history: p.history.map((h) => ({ event: h.event, label: text(h.label), date: text(h.date), iso: h.iso })),
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
    labels: { cf: text(doc.labels.cf), legal: text(doc.labels.legal), alternative: text(doc.labels.alternative), optional: text(doc.labels.optional) },
    parts,
    referencedBy: context.referencedBy.map((r) => ({ number: text(r.number), title: text(r.title), href: context.link(r.number) ?? null })),
    index: context.index ?? null,
    frontMatter: isMd ? frontMatter(doc) : '',
  };
  return view;
}

function frontMatter(doc: Document): string {
  const fm: Record<string, unknown> = {
    title: `${doc.number} ${doc.title}`,
    number: doc.number,
    policy_title: doc.title,
    series: doc.series.number,
    series_title: doc.series.title,
  };
  if (doc.category !== undefined) fm.category = doc.category;
  fm.kind = doc.kind;
  if (doc.status !== undefined) fm.status = doc.status;
  fm.edition = doc.edition;
  // Static-site generators (Jekyll, Hugo) leave drafts unpublished.
  if (doc.draft) fm.draft = true;
  if (doc.district) fm.district = doc.district.name;
  const main = doc.parts[0];
  if (main) {
    for (const key of ['adopted', 'approved', 'revised', 'reviewed'] as const) {
      const dates = main.history.filter((h) => h.iso && h.event === key).map((h) => h.iso);
      if (dates.length === 1 && (key === 'adopted' || key === 'approved')) fm[key] = dates[0];
      else if (dates.length) fm[key] = dates;
    }
  }
  return `---\n${stringify(fm)}---\n`;
}

function legalToMarkdown(part: DocPart, doc: Document): string {
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push(list.join('\n'));
    list = [];
  };
  const entry = (e: DocLegal, indent: string) => {
    if (e.text !== undefined) list.push(`${indent}- ${escapeMarkdown(e.text)}`);
    const childIndent = e.text !== undefined ? `${indent}  ` : indent;
    for (const c of e.items) entry(c, childIndent);
  };
  part.legal.forEach((e, i) => {
    if (e.group !== undefined) {
      if (i === 0) out.push(`${escapeMarkdown(doc.labels.legal)} ${escapeMarkdown(e.group)}`);
      else {
        flush();
        out.push(escapeMarkdown(e.group));
      }
    } else if (i === 0) out.push(escapeMarkdown(doc.labels.legal));
    entry(e, '');
  });
  flush();
  return out.join('\n\n');
}

function legalToHtml(part: DocPart, doc: Document): string {
  const out: string[] = ['<section class="legal" aria-label="Legal references">'];
  let open = false;
  const items = (e: DocLegal): string => {
    const children = e.items.length ? `\n<ul>\n${e.items.map(items).join('\n')}\n</ul>\n` : '';
    return e.text !== undefined ? `<li>${escapeHtml(e.text)}${children}</li>` : e.items.map(items).join('\n');
  };
  part.legal.forEach((e, i) => {
    if (e.group !== undefined || i === 0) {
      if (open) out.push('</ul>');
      const heading = i === 0 ? `<strong class="label">${escapeHtml(doc.labels.legal)}</strong>${e.group !== undefined ? ` ${escapeHtml(e.group)}` : ''}` : escapeHtml(e.group ?? '');
      out.push(`<p>${heading}</p>`, '<ul class="legal">');
      open = true;
    }
    out.push(items(e));
  });
  if (open) out.push('</ul>');
  out.push('</section>');
  return out.join('\n');
}
