// YAML front matter of Markdown pages (static site generators read it).
import jsyaml from 'js-yaml';
import type { Document } from '../model/model.js';

/** YAML for front matter: js-yaml's writer is fast and quotes anything a YAML 1.1 reader (Jekyll) could misread. */
export function stringify(value: Record<string, unknown>): string {
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

export function frontMatter(doc: Document): string {
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
