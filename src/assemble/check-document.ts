// The publishability gate: every district and annotated page is checked, after
// assembly, for anything that must not be adopted: sample labels and choice
// markers, placeholders nobody expanded, blanks, editorial brackets and the
// markers a clause file declares, doubled words or spaces where a choice left
// nothing, an empty lead-in, and list punctuation the district's choices broke
// (list-endings.ts). Each finding is an error at the clause that made the text.
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostics, Place } from '../diagnostics/diagnostic.js';
import type { DistrictConfig, PolicySettings, DocBlock, DocItem, Document, Inline, LegalEntry, Policy, Run } from '../model/model.js';
import { assertNever } from '../model/walk.js';
import { leftoversIn, seamsIn, type Leftover } from './leftovers.js';
import { checkListEndings } from './list-endings.js';

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
  const markers = policy.markers ?? [];
  // "[1]" in the text, where a legal reference is footnote 1: the policy's own citation, not a publisher's marker.
  const footnotes = new Set<string>();
  const collect = (ls: readonly LegalEntry[]): void => {
    for (const l of ls) {
      if (l.footnote !== undefined) footnotes.add(`[${l.footnote}]`);
      collect(l.items);
    }
  };
  for (const part of policy.parts) collect(part.legal);

  /**
   * The words to fix are in the clause file: point there (at the block or item
   * when folded text does not hold them verbatim), and at the config entry that
   * adopts the policy as a note. Without a place in the clause file, the config
   * entry is the place.
   */
  const report = (code: DiagnosticCode, message: string, hint: string, pointer?: string, found?: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    const where =
      pointer !== undefined
        ? {
            file: policy.file.path,
            at: { pointer, ...(found ? { find: found } : {}) },
            related: [{ file, ...adoptedAt(), message: `policy ${doc.number} is adopted here` }],
          }
        : { file, ...adoptedAt(), related: [{ file: policy.file.path, message: 'in this clause file' }] };
    diags.error(code, message, { ...where, hint });
  };
  const pointerOf = (id: string) => policy.ids.get(id)?.pointer;
  const leadInAt = (id: string) => {
    const pointer = pointerOf(id);
    return pointer === undefined ? undefined : `${pointer}/lead-in`;
  };
  // An exhibit is a form: its blanks are for whoever fills it in.
  let form = false;
  const found = (l: Leftover, where: string, pointer: string | undefined) => {
    if (l.code === 'unresolved-marker' && draft) return;
    if (l.code === 'sample-blank' && form) return;
    report(l.code, `Policy ${doc.number}: ${l.message} (${where})`, l.hint, pointer, l.found);
  };

  /** Publisher text of a block or item; `clause` is its text as the clause file writes it. */
  const inspect = (runs: readonly Run[] | undefined, where: string, id: string, clause?: readonly Inline[]) => {
    if (!runs) return;
    const pointer = pointerOf(id);
    for (const r of runs) {
      // A placeholder run was reported already as unresolved-choice / missing-variable.
      if (r.kind === 'del') {
        report('unresolved-marker', `Policy ${doc.number}: struck text "${r.text}" is still in the district edition (${where})`, 'Make the choice in the config, or mark the phrase as an inline choice in the clause file.', pointer, r.text);
      }
      // District values are the district's own words; only publisher text can carry sample markup.
      // Braces left in expanded text were escaped on purpose (\{{): only a title can hold an unexpanded placeholder.
      if (r.kind === 'md') for (const l of leftoversIn(r.text, markers, footnotes)) if (l.code !== 'unexpanded-placeholder') found(l, where, pointer);
    }
    for (const l of seamsIn(textOf(runs), clause)) found(l, where, pointer);
  };
  /**
   * Text fields that are not Markdown (titles, legal references, cf. titles): no
   * editorial brackets, which legal citations use. Titles take no placeholders
   * (they name the policy in indexes and cross-references); legal references
   * and cf. titles had theirs expanded, so braces left there were escaped.
   */
  const inspectField = (text: string | undefined, where: string, pointer: string | undefined, title = false) => {
    if (text === undefined) return;
    for (const l of leftoversIn(text, markers)) {
      // Citations bracket words and titles name programmes "(Alternative …)": only declared markers count there.
      if (l.guess || l.code === 'unresolved-marker') continue;
      if (title || l.code !== 'unexpanded-placeholder') found(l, where, pointer);
    }
  };
  const leadIn = (runs: readonly Run[] | undefined, id: string, clause: readonly Inline[] | undefined) => {
    if (!runs) return;
    // A placeholder (a draft's unresolved choice) is words to come, reported already.
    if (textOf(runs).trim() === '' && !runs.some((r) => r.kind === 'placeholder')) {
      report('empty-lead-in', `Policy ${doc.number}: the lead-in of "${id}" is empty in the district edition`, 'Give the choice that makes the lead-in a value with words, or remove the lead-in with a recorded deviation ("lead-in": "").', leadInAt(id));
      return;
    }
    inspect(runs, `lead-in of "${id}"`, id, clause);
  };
  const items = (list: readonly DocItem[]) => {
    for (const it of list) {
      const e = policy.ids.get(it.id);
      const clause = e?.kind === 'item' && 'items' in e.item ? e.item : undefined;
      // A definition printed as a list item reads "**Term**: text" (assemble.ts).
      const definition = e?.kind === 'item' && 'term' in e.item ? [{ kind: 'text' as const, text: '**' }, ...e.item.term, { kind: 'text' as const, text: '**: ' }, ...e.item.text] : undefined;
      inspect(it.text, `item "${it.id}"`, it.id, clause?.text ?? definition);
      it.paragraphs?.forEach((p, i) => inspect(p, `item "${it.id}"`, it.id, clause?.paragraphs?.[i]));
      if (it.children) items(it.children.items);
    }
  };
  const clauseText = (id: string): readonly Inline[] | undefined => {
    const e = policy.ids.get(id);
    return e?.kind === 'block' && 'text' in e.block ? e.block.text : undefined;
  };
  const clauseLeadIn = (id: string): readonly Inline[] | undefined => {
    const e = policy.ids.get(id);
    return e?.kind === 'block' && (e.block.kind === 'list' || e.block.kind === 'definitions') ? e.block.leadIn : undefined;
  };
  const block = (b: DocBlock) => {
    switch (b.kind) {
      case 'label':
        report('sample-label-leak', `Policy ${doc.number}: the sample label "${b.text}" would be published in the district edition`, 'Labels belong to the sample edition: remove the label from the clause text (the template prints it), or fix the text with a recorded deviation.');
        break;
      case 'heading':
      case 'paragraph':
      case 'note':
        inspect(b.text, `block "${b.id}"`, b.id, clauseText(b.id));
        break;
      case 'list':
        leadIn(b.leadIn, b.id, clauseLeadIn(b.id));
        items(b.list.items);
        break;
      case 'definitions':
        leadIn(b.leadIn, b.id, clauseLeadIn(b.id));
        for (const d of b.items) {
          const e = policy.ids.get(d.id);
          const def = e?.kind === 'item' && 'term' in e.item ? e.item : undefined;
          inspect(d.term, `definition "${d.id}"`, d.id, def?.term);
          inspect(d.text, `definition "${d.id}"`, d.id, def?.text);
        }
        break;
      case 'table': {
        const e = policy.ids.get(b.id);
        const table = e?.kind === 'block' && e.block.kind === 'table' ? e.block : undefined;
        inspect(b.caption, `caption of "${b.id}"`, b.id, table?.caption);
        b.columns.forEach((c, i) => inspect(c, `columns of "${b.id}"`, b.id, table?.columns[i]));
        for (const r of b.rows) {
          const row = policy.ids.get(r.id);
          const cells = row?.kind === 'item' && 'cells' in row.item ? row.item.cells : undefined;
          r.cells.forEach((c, i) => inspect(c, `row "${r.id}"`, r.id, cells?.[i]));
        }
        break;
      }
      case 'annotation':
        // The annotated edition's own notes: sro-policy's words, not the sample's.
        break;
      case 'cf': {
        // Printed in the body, checked as those at the end are.
        const source = policy.parts.flatMap((p) => p.cf);
        for (const e of b.entries) inspectField(e.title, `cross-reference to ${e.number}`, source.find((c) => c.number === e.number)?.pointer);
        break;
      }
      default:
        assertNever(b, 'block kind');
    }
  };
  inspectField(doc.title, 'title', '/title', true);
  doc.parts.forEach((part, i) => {
    const source = policy.parts.find((p) => p.id === part.id);
    form = part.kind === 'exhibit';
    if (i > 0) inspectField(part.title, `title of part "${part.id}"`, source ? `${source.pointer}/title` : undefined, true);
    for (const b of part.blocks) block(b);
    part.cf.forEach((c, k) => inspectField(c.title, `cross-reference to ${c.number}`, source?.cf[k]?.pointer));
    const legal = (entries: typeof part.legal) => {
      for (const e of entries) {
        inspectField(e.group, `legal reference "${e.id}"`, pointerOf(e.id));
        inspectField(e.text, `legal reference "${e.id}"`, pointerOf(e.id));
        legal(e.items);
      }
    };
    legal(part.legal);
  });
  checkListEndings(doc, policy, config, settings, diags);
}

/**
 * The words of runs as a reader sees them, without the annotated edition's
 * notes (and the space the note brought, so that a note does not read as a
 * doubled space).
 */
function textOf(runs: readonly Run[]): string {
  let out = '';
  let skipped = false;
  for (const r of runs) {
    if (r.kind === 'annotation' || r.kind === 'placeholder') {
      skipped = true;
      continue;
    }
    out += skipped && out.endsWith(' ') && r.text.startsWith(' ') ? r.text.slice(1) : r.text;
    skipped = false;
  }
  return out;
}
