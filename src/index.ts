// sro-policy as a library: build, check, diff, outdated and explain a
// district's manual from its config (docs/api.md). Nothing here prints or
// touches the process; every result carries its diagnostics as values.
export { build, check, type BuildOptions, type BuildResult, type CheckOptions, type CheckResult } from './api/build.js';
export { diff, type DiffOptions, type DiffResult } from './api/diff.js';
export { explain, loadManual, type ExplainResult, type LibraryOptions, type PoliciesResult } from './api/library.js';
export { outdated, type OutdatedOptions, type OutdatedResult } from './api/outdated.js';
export type { Report } from './api/report.js';
export type { Diagnostic, Place, Range, Related, Severity } from './diagnostics/diagnostic.js';
export { formatGithub, formatJson, formatText } from './diagnostics/reporters.js';
export type { Edition, Format } from './model/model.js';
