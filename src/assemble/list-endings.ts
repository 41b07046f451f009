// List punctuation over a whole list: a sample list written as one sentence
// ("…;" for each item, "; and" before the last, "." at the end) must still read
// as one after the district's choices leave items out: no last item ending
// "; and", no "and" lost with the item that carried it.
import type { Diagnostics, Place } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, DocList, Document, Inline, ListItem, Policy, PolicySettings } from '../model/model.js';
import { CONTINUED, endsContinued } from '../model/lists.js';
import { runsToPlain } from '../render/runs.js';

/** An ending that joins the last item on: "; and", ", or", "and". */
const CONJOINED = /(?:[;,]\s*|\b)(?:and|or)\s*$/;

function literalEnd(text: readonly Inline[]): string | undefined {
  const last = text[text.length - 1];
  return last?.kind === 'text' ? last.text.trimEnd() : undefined;
}

export function checkListEndings(doc: Document, policy: Policy, config: DistrictConfig, settings: PolicySettings | undefined, diags: Diagnostics): void {
  if (policy.listPunctuation === 'none') return;
  const file = config.file.path;
  const adoptedAt = (): { at?: Place } => (settings ? { at: { pointer: settings.pointer, part: 'key' } } : {});
  const sampleItems = (id: string): readonly ListItem[] | undefined => {
    const e = policy.ids.get(id);
    if (e?.kind === 'block') return e.block.kind === 'list' ? e.block.items : undefined;
    return e?.kind === 'item' && 'items' in e.item ? e.item.items : undefined;
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
  const endings = (list: DocList, owner: string) => {
    const sample = sampleItems(owner);
    const sampleLast = sample?.[sample.length - 1];
    const last = list.items[list.items.length - 1];
    // A sample whose own last item ends with ";" has no other ending for a list to lose.
    if (sample && last && sampleLast && !endsContinued(sampleLast.text)) {
      const ending = CONTINUED.exec(runsToPlain(last.text).trimEnd())?.[1];
      const lastContinued = ending !== undefined;
      if (ending && sampleLast.id !== last.id) {
        diags.warn('list-punctuation', `Policy ${doc.number}: the list "${owner}" now ends with item "${last.id}", which ends with "${ending}"`, {
          ...endingAt(last.id, ending),
          expected: 'the last item to end as a list ends, e.g. with a full stop',
          actual: ending,
          hint: `The items left out made "${last.id}" the last one. Record a deviation that replaces its text with the ending the board adopts.`,
        });
      }
      // The sample joins its last item on with "and" or "or": the district's list must too.
      const samplePenultimate = sample[sample.length - 2];
      const conjoined = samplePenultimate !== undefined && sample.slice(0, -1).every((it) => endsContinued(it.text)) && CONJOINED.test(literalEnd(samplePenultimate.text) ?? '');
      const penultimate = list.items[list.items.length - 2];
      // A last item that ends "; and" was reported above: the "and" is misplaced, not lost.
      if (conjoined && penultimate && !lastContinued) {
        const text = runsToPlain(penultimate.text).trimEnd();
        const ending = CONTINUED.exec(text)?.[1];
        if (ending && !CONJOINED.test(text)) {
          const word = /(and|or)\s*$/.exec(literalEnd(samplePenultimate.text) ?? '')?.[1] ?? 'and';
          diags.warn('list-punctuation', `Policy ${doc.number}: the list "${owner}" lost its "${word}" before the last item: "${penultimate.id}" now comes before the last and ends with "${ending}"`, {
            ...endingAt(penultimate.id, ending),
            expected: `the second-to-last item to end with "; ${word}", as the sample's does`,
            actual: ending,
            hint: `The item that carried "; ${word}" is left out. Record a deviation that replaces the text of "${penultimate.id}" with the ending the board adopts ("…; ${word}").`,
          });
        }
      }
    }
    for (const it of list.items) if (it.children) endings(it.children, it.id);
  };
  for (const part of doc.parts) for (const b of part.blocks) if (b.kind === 'list') endings(b.list, b.id);
}
