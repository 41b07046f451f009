// Compare two builds (two configs, two revisions, or sample and district
// editions) policy by policy, and lay the redlines out as files. Pure.
import type { Format } from '../model/model.js';
import { numberSlug } from '../model/number.js';
import { comparePolicyNumbers } from '../model/number.js';
import type { BuildPlan } from '../build/pipeline.js';
import { redline, type PolicyRedline } from './redline.js';
import { redlineHtml, redlineMarkdown, summaryHtml, summaryMarkdown, type RedlineMeta, type SummaryEntry } from './render.js';
import { redlineDocx } from './docx.js';
import { dateOf } from '../render/docx/package.js';
import type { OutputFile } from '../write/write.js';

export interface Comparison {
  redlines: PolicyRedline[];
  files: OutputFile[];
}

export function comparePlans(oldPlan: BuildPlan, newPlan: BuildPlan, formats: readonly Format[], meta: RedlineMeta): Comparison {
  const olds = new Map(oldPlan.policies.map((p) => [p.number, p.document]));
  const news = new Map(newPlan.policies.map((p) => [p.number, p.document]));
  const numbers = [...new Set([...olds.keys(), ...news.keys()])].sort(comparePolicyNumbers);
  const redlines = numbers.map((n) => redline(olds.get(n), news.get(n))).filter((r) => r.changed);
  const files: OutputFile[] = [];
  const entries: SummaryEntry[] = [];
  for (const r of redlines) {
    const stem = `${numberSlug(r.number)}.redline`;
    const entry: SummaryEntry = { redline: r, md: `${stem}.md`, html: `${stem}.html` };
    entries.push(entry);
    if (formats.includes('md')) files.push({ kind: 'content', name: entry.md, content: redlineMarkdown(r, meta) });
    if (formats.includes('html')) files.push({ kind: 'content', name: entry.html, content: redlineHtml(r, meta) });
    // In Word, as tracked changes by the district, dated as the newer text is (its latest history date).
    if (formats.includes('docx')) files.push({ kind: 'content', name: `${stem}.docx`, content: redlineDocx(r, meta, newPlan.config.district.name, dateOf((news.get(r.number)?.parts ?? []).flatMap((p) => p.history))) });
  }
  if (redlines.length) {
    if (formats.includes('md')) files.push({ kind: 'content', name: 'redline.md', content: summaryMarkdown(entries, meta) });
    if (formats.includes('html')) files.push({ kind: 'content', name: 'redline.html', content: summaryHtml(entries, meta) });
  }
  return { redlines, files };
}

