// The cross-references of a policy against the manual: a target that is not in
// it, or whose title is not the one cited. Pure.
import type { Diagnostics, Place } from '../diagnostics/diagnostic.js';
import type { CrossReference, Policy } from '../model/model.js';

/**
 * Cross-references of one policy against the manual's titles: missing targets
 * are reported once per citing policy, titles that differ from the target's
 * own title are reported each.
 */
export function checkLinks(policy: Policy, titles: ReadonlyMap<string, string>, diags: Diagnostics): void {
  const missing: CrossReference[] = [];
  for (const part of policy.parts) {
    for (const c of part.cf) {
      const title = titles.get(c.number);
      if (title === undefined) {
        missing.push(c);
        continue;
      }
      // A reference printed without a title cannot go out of date.
      if (c.title && title !== c.title) {
        diags.warn('cross-reference-title', `Policy ${policy.number} cites ${c.number} as "${c.title}", but its title is "${title}"`, {
          file: policy.file.path,
          at: { pointer: `${c.pointer}/title`, ...(c.at ? { span: c.at.title } : {}) },
          expected: title,
          actual: c.title,
          hint: 'One of the two titles is out of date; correct the cross-reference (a recorded deviation for a publisher\'s policy) or the policy title.',
        });
      }
    }
  }
  if (missing.length) reportMissing(policy, missing, diags);
}

/** Where a cross-reference's number is: its range, when noted before the file's positions were let go. */
function numberPlace(c: CrossReference): Place {
  return { pointer: `${c.pointer}/number`, ...(c.at ? { span: c.at.number } : {}) };
}

function reportMissing(policy: Policy, missing: CrossReference[], diags: Diagnostics): void {
  const first = missing[0]!;
  const numbers = missing.map((c) => c.number);
  diags.warn(
    'missing-cross-reference',
    missing.length === 1
      ? `Policy ${policy.number} cross-references policy ${first.number}, which is not in the manual`
      : `Policy ${policy.number} cross-references ${missing.length} policies that are not in the manual: ${numbers.join(', ')}`,
    {
      file: policy.file.path,
      at: numberPlace(first),
      hint: 'They are printed as plain text, without a link. Add the policies to the manual, or record a deviation that removes the reference.',
      related: missing.slice(1).map((c) => ({ file: policy.file.path, at: numberPlace(c), message: `cf. ${c.number}` })),
    },
  );
}
