// Placeholders resolved for one edition: a variable's value (or the sample's
// blank), a choice's chosen words (or, in the sample edition, every value, its
// revision mark or its own sample text), each as runs that keep the district's
// words apart from the publisher's Markdown. Pure.
import type { Edition, Inline, Policy, Run, Selections } from '../model/model.js';
import { joinGrammatical, joinRuns } from './wording.js';

const BLANK = /^_+$/;

export class InlineResolver {
  private readonly sample: boolean;
  private readonly annotate: boolean;

  constructor(
    private readonly policy: Policy,
    edition: Edition,
    private readonly sel: Selections,
    private readonly serialComma: boolean,
  ) {
    this.sample = edition === 'sample';
    this.annotate = edition === 'annotated';
  }

  /** Resolve placeholders to runs of text for this edition. */
  runs(inline: Inline[], annotate = this.annotate): Run[] {
    const out: Run[] = [];
    const push = (r: Run) => {
      if (r.text === '') return;
      const last = out[out.length - 1];
      if (last && last.kind === r.kind && (r.kind === 'md' || r.kind === 'value')) last.text += r.text;
      else out.push({ ...r });
    };
    for (const node of inline) {
      if (node.kind === 'text') {
        push({ kind: 'md', text: node.text });
        continue;
      }
      const variable = this.policy.variables.get(node.name);
      if (variable) {
        if (this.sample) {
          const s = node.sample ?? variable.sample ?? variable.default ?? '____________';
          push(BLANK.test(s) ? { kind: 'blank', text: s } : { kind: 'value', text: s });
        } else {
          const v = this.sel.variables[node.name];
          push(v === undefined ? { kind: 'placeholder', text: `[fill in: ${variable.prompt}]` } : { kind: 'value', text: v });
          if (annotate && v !== undefined) {
            push({ kind: 'md', text: ' ' });
            push({ kind: 'annotation', text: `[variable "${node.name}"${v === variable.default ? ', the sample default' : ''}]` });
          }
        }
        continue;
      }
      const choice = this.policy.choices.get(node.name);
      if (!choice) continue; // reported by validation
      // A value's own placeholders (variables only) are expanded as the text's are.
      const value = (v: string): Run[] => {
        const split = choice.inline?.get(v);
        return split ? this.runs(split, annotate) : [{ kind: 'md', text: v === '' ? choice.sample ?? '' : choice.texts.get(v)! }];
      };
      const plain = (v: string): string => {
        const split = choice.inline?.get(v);
        return split ? this.plain(split) : choice.texts.get(v)!;
      };
      if (this.sample) {
        if (choice.revision) {
          push({ kind: 'del', text: plain(choice.revision.struck) });
          push({ kind: 'md', text: ' ' });
          push({ kind: 'ins', text: plain(choice.revision.inserted) });
        } else if (choice.sample !== undefined) {
          value('').forEach(push);
        } else {
          const sep = choice.multiple ? choice.separator : ' / ';
          choice.values.forEach((v, i) => {
            if (i > 0) push({ kind: 'md', text: sep });
            value(v).forEach(push);
          });
        }
        continue;
      }
      const chosen = this.sel.choices[node.name];
      if (!chosen || chosen.length === 0) {
        push({ kind: 'placeholder', text: `[choose: ${choice.values.map((v) => choice.texts.get(v)!).join(' / ')}]` });
        continue;
      }
      const serial = choice.serialComma ?? this.serialComma;
      if (!choice.inline) {
        const texts = chosen.map((v) => choice.texts.get(v)!);
        push({ kind: 'md', text: choice.multiple ? joinGrammatical(texts, choice.conjunction, serial) : texts[0]! });
      } else {
        joinRuns(chosen.map(value), choice.multiple ? choice.conjunction : '', serial).forEach(push);
      }
      if (annotate) {
        const isDefault = choice.defaults !== undefined && choice.defaults.length === chosen.length && chosen.every((c) => choice.defaults!.includes(c));
        push({ kind: 'md', text: ' ' });
        push({ kind: 'annotation', text: `[choice "${node.name}": ${chosen.join(', ')}${isDefault ? ', the sample default' : ''}]` });
      }
    }
    return out;
  }

  /** Placeholders resolved to plain text, for fields printed as literal text (legal references, cf. titles). */
  plain(inline: Inline[]): string {
    return this.runs(inline, false)
      .map((r) => r.text)
      .join('');
  }
}
