// Every diagnostic code, with its exit class: a closed list, so that a code
// that is not here (a typo, a new check nobody documented) does not compile.
// Each is documented in docs/diagnostics.md, and a test holds the two lists
// equal. 'io': the machine or the command line is at fault, not the policy
// content (exit code 2); 'content': the config, a clause file or a template
// (exit code 1).
export const CODES = {
  // Reading files
  'file-not-found': 'io',
  'not-a-file': 'io',
  'not-a-folder': 'io',
  'unreadable': 'io',
  'file-too-large': 'content',
  'not-text': 'content',
  'empty-file': 'content',
  // YAML
  'yaml-syntax': 'content',
  'duplicate-key': 'content',
  'forbidden-key': 'content',
  'alias-limit': 'content',
  'too-deep': 'content',
  // Settings: keys, types and values
  'unknown-key': 'content',
  'missing-key': 'content',
  'conflicting-keys': 'content',
  'wrong-type': 'content',
  'invalid-value': 'content',
  'invalid-id': 'content',
  'invalid-number': 'content',
  'invalid-date': 'content',
  'control-character': 'content',
  'line-break': 'content',
  // The district config and the policies
  'unknown-policy': 'content',
  'empty-manual': 'content',
  'unknown-alternative': 'content',
  'too-many-selections': 'content',
  'no-selection': 'content',
  'unknown-option': 'content',
  'not-optional': 'content',
  'unknown-choice': 'content',
  'unknown-choice-value': 'content',
  'unresolved-choice': 'content',
  'unknown-variable': 'content',
  'missing-variable': 'content',
  'invalid-history': 'content',
  'unknown-part': 'content',
  'emptied-list': 'content',
  'list-punctuation': 'content',
  'sample-label-leak': 'content',
  'unresolved-marker': 'content',
  'unexpanded-placeholder': 'content',
  'sample-blank': 'content',
  'editorial-marker': 'content',
  'doubled-text': 'content',
  'empty-lead-in': 'content',
  'deselected-option': 'content',
  'deselected-target': 'content',
  'decision-conflict': 'content',
  // Recorded deviations
  'unknown-target': 'content',
  'invalid-deviation': 'content',
  'rename-unmatched': 'content',
  'deviation-stale': 'content',
  'deviation-unhashed': 'content',
  // Library changes (`outdated`)
  'outdated-clause': 'content',
  'outdated-removed': 'content',
  'outdated-renamed': 'content',
  'outdated-new-choice': 'content',
  'outdated-deviation': 'content',
  'outdated-reference': 'content',
  'lock-missing': 'io',
  'lock-unreadable': 'io',
  'lock-outdated': 'content',
  // Clause files
  'duplicate-policy': 'content',
  'duplicate-id': 'content',
  'invalid-default': 'content',
  'table-shape': 'content',
  'unknown-placeholder': 'content',
  'invalid-condition': 'content',
  'sample-on-choice': 'content',
  'clause-template': 'content',
  'unsafe-link': 'content',
  'blank-line': 'content',
  'unused-declaration': 'content',
  'duplicate-cross-reference': 'content',
  'missing-cross-reference': 'content',
  'cross-reference-title': 'content',
  // Templates
  'template-missing': 'io',
  'template-syntax': 'content',
  'template-unknown-value': 'content',
  'unknown-helper': 'content',
  'unknown-partial': 'content',
  'template-missing-value': 'content',
  'template-error': 'content',
  // Writing the output (`build`)
  'foreign-file': 'io',
  'edited-output': 'io',
  'output-collision': 'content',
  'output-symlink': 'io',
  'output-folder-refused': 'io',
  'output-outside-project': 'content',
  'output-not-a-folder': 'io',
  'output-unwritable': 'io',
  // Importing samples (`import`)
  'import-mismatch': 'content',
  'import-exists': 'io',
  // The command line
  'usage': 'io',
} as const satisfies Record<string, 'io' | 'content'>;

export type DiagnosticCode = keyof typeof CODES;

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(CODES, code);
}
