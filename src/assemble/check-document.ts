// Checks on an assembled district edition: adopted policies have been
// published with "Alternative language:" or an unresolved "(alternate – …)"
// still in them. This proves neither happened.
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostics, Place } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, PolicySettings, DocBlock, DocItem, DocList, Document, ListItem, Policy, Run } from '../model/model.js';
import { CONTINUED, endsContinued } from '../model/lists.js';
import { runsToPlain } from '../render/runs.js';
import { assertNever } from '../model/walk.js';

const SAMPLE_LABEL = /\b(alternat(?:e|ive) language|optional language)\s*:/i;
const CHOICE_MARKER = /\((?:alternate|alternative|optional)\b[^)]*\)|\[choose:|\[fill in:/i;

export function checkDocument(
  doc: Document,
  policy: Policy,
  config: DistrictConfig,
  settings: PolicySettings | undefined,
  draft: boolean,
  diags: Diagnostics,
): void {
  const file = config.file.path;
  // Where the config adopts the policy.
  const adoptedAt = (): { at?: Place } => (settings ? { at: { pointer: settings.pointer, part: 'key' } } : {});
  const seen = new Set<string>();
  const inspect = (runs: readonly Run[] | undefined, where: string, id: string) => {
    if (!runs) return;
    for (const r of runs) {
      if (r.kind === 'placeholder') {
        // Reported already as unresolved-choice / missing-variable.
        continue;
      }
      if (r.kind === 'del') {
        report('unresolved-marker', `Policy ${doc.number}: struck text "${r.text}" is still in the district edition (${where})`, id, r.text);
        continue;
      }
      // District values are the district's own words; only publisher text can carry sample markup.
      if (r.kind !== 'md') continue;
      const label = SAMPLE_LABEL.exec(r.text);
      if (label) report('sample-label-leak', `Policy ${doc.number}: the sample label "${label[0]}" would be published in the district edition (${where})`, id, label[0]);
      const marker = CHOICE_MARKER.exec(r.text);
      if (marker && !draft) report('unresolved-marker', `Policy ${doc.number}: "${marker[0]}" looks like an unresolved sample choice (${where})`, id, marker[0]);
    }
  };
  const report = (code: DiagnosticCode, message: string, id?: string, found?: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    // The words to fix are in the clause file: point there (at the block or item when
    // folded text does not hold them verbatim), and at the config entry that adopts
    // the policy as a note. Without a block, the config entry is the place.
    const entry = id === undefined ? undefined : policy.ids.get(id);
    const where = entry
      ? {
          file: policy.file.path,
          at: { pointer: entry.pointer, ...(found ? { find: found } : {}) },
          related: [{ file, ...adoptedAt(), message: `policy ${doc.number} is adopted here` }],
        }
      : { file, ...adoptedAt(), related: [{ file: policy.file.path, message: 'in this clause file' }] };
    diags.error(code, message, {
      ...where,
      hint:
        code === 'sample-label-leak'
          ? 'Labels belong to the sample edition: remove the label from the clause text (the template prints it), or fix the text with a recorded deviation.'
          : 'Make the choice in the config, or mark the phrase as an inline choice in the clause file.',
    });
  };
  const items = (list: DocItem[], where: string) => {
    for (const it of list) {
      inspect(it.text, `item "${it.id}"`, it.id);
      if (it.children) items(it.children.items, where);
    }
  };
  const block = (b: DocBlock) => {
    switch (b.kind) {
      case 'label':
        report('sample-label-leak', `Policy ${doc.number}: the sample label "${b.text}" would be published in the district edition`);
        break;
      case 'heading':
      case 'paragraph':
      case 'note':
        inspect(b.text, `block "${b.id}"`, b.id);
        break;
      case 'list':
        inspect(b.leadIn, `lead-in of "${b.id}"`, b.id);
        items(b.list.items, b.id);
        break;
      case 'definitions':
        inspect(b.leadIn, `lead-in of "${b.id}"`, b.id);
        for (const d of b.items) {
          inspect(d.term, `definition "${d.id}"`, d.id);
          inspect(d.text, `definition "${d.id}"`, d.id);
        }
        break;
      case 'table':
        for (const r of b.rows) for (const c of r.cells) inspect(c, `row "${r.id}"`, r.id);
        break;
      case 'annotation':
        // The annotated edition's own notes: sro-policy's words, not the sample's.
        break;
      default:
        assertNever(b, 'block kind');
    }
  };
  for (const part of doc.parts) for (const b of part.blocks) block(b);

  // Leaving out optional items can make an item last whose text ends as the
  // sample's middle items do ("…;", "…; and"). The words are the publisher's,
  // so this is a warning: a recorded deviation fixes the ending.
  const sampleItems = (id: string): readonly ListItem[] | undefined => {
    const e = policy.ids.get(id);
    if (e?.kind === 'block') return e.block.kind === 'list' ? e.block.items : undefined;
    return e?.kind === 'item' && 'items' in e.item ? e.item.items : undefined;
  };
  const endings = (list: DocList, owner: string) => {
    const last = list.items[list.items.length - 1];
    const sample = sampleItems(owner);
    const sampleLast = sample?.[sample.length - 1];
    // A sample whose own last item ends with ";" has no other ending for a list to lose.
    if (last && sampleLast && sampleLast.id !== last.id && !endsContinued(sampleLast.text)) {
      const ending = CONTINUED.exec(runsToPlain(last.text).trimEnd())?.[1];
      if (ending) {
        diags.warn('list-punctuation', `Policy ${doc.number}: the list "${owner}" now ends with item "${last.id}", which ends with "${ending}"`, {
          ...endingAt(last.id, ending),
          expected: 'the last item to end as a list ends, e.g. with a full stop',
          actual: ending,
          hint: `The items left out made "${last.id}" the last one. Record a deviation that replaces its text with the ending the board adopts.`,
        });
      }
    }
    for (const it of list.items) if (it.children) endings(it.children, it.id);
  };
  /** Where an item's ending is written: the deviation that replaces its text, or the clause file. */
  const endingAt = (id: string, ending: string) => {
    const replaced = settings?.deviations.find((d) => d.input.replace === id);
    if (replaced) return { file, at: { pointer: `${replaced.pointer}/text` } };
    const entry = policy.ids.get(id);
    // The item's own text, not its nested items'; a large manual noted where it is before letting go of the file's positions.
    const item = entry?.kind === 'item' && 'items' in entry.item ? entry.item : undefined;
    if (!item) return { file, ...adoptedAt() };
    const at: Place = { pointer: `${item.pointer}/text`, find: ending, last: true, ...(item.textAt ? { span: item.textAt } : {}) };
    return { file: policy.file.path, at, related: [{ file, ...adoptedAt(), message: 'the items left out are chosen here' }] };
  };
  for (const part of doc.parts) for (const b of part.blocks) if (b.kind === 'list') endings(b.list, b.id);
}
