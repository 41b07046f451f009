// A policy as its library prints it: the library's settings (library.yaml)
// under the clause file's own. Pure.
import type { Labels, LibrarySettings, Policy } from '../model/model.js';

export function withLibrarySettings(policy: Policy, library: LibrarySettings | undefined): Policy {
  if (!library) return policy;
  const labels = { ...policy.labels };
  for (const key of Object.keys(library.labels) as (keyof Labels)[]) {
    if (policy.ownLabels?.[key] === undefined) labels[key] = library.labels[key]!;
  }
  const markers = [...(library.markers ?? []), ...(policy.markers ?? [])];
  const listPunctuation = policy.listPunctuation ?? library.listPunctuation;
  const optionalLabels = policy.optionalLabels ?? library.optionalLabels;
  return { ...policy, labels, ...(markers.length ? { markers } : {}), ...(listPunctuation ? { listPunctuation } : {}), ...(optionalLabels ? { optionalLabels } : {}) };
}
