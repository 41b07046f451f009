// The library as a library: a manual's policies (list), one policy's choice
// points (explain), and which policies cite a number or a statute (refs).
import { resolve } from 'node:path';
import { choicePoints, type ChoicePoints } from '../assemble/choice-points.js';
import { DEFAULT_LIBRARY, loadConfig, loadLibraries, manualPolicies } from '../build/pipeline.js';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Library, Policy } from '../model/model.js';
import { finish, type Report } from './report.js';

export interface LibraryOptions {
  /** A district config; without one, the library shipped with sro-policy. */
  config?: string;
  /** The folder relative paths are resolved from, and shown relative to in diagnostics (default: the working directory). */
  cwd?: string;
}

export interface PoliciesResult extends Report {
  policies: Policy[];
  library?: Library;
}

/**
 * The policies of a config's manual, or every policy of the shipped library;
 * with `wholeLibrary`, every policy of the config's libraries.
 */
export function loadManual(options: LibraryOptions & { wholeLibrary?: boolean }): PoliciesResult {
  const cwd = resolve(options.cwd ?? '.');
  const diags = new Diagnostics();
  let policies: Policy[] = [];
  let library: Library | undefined;
  if (options.config === undefined) {
    library = loadLibraries({ libraries: [{ folder: DEFAULT_LIBRARY, includeAll: true, pointer: '' }], replaces: new Map() }, cwd, diags);
    policies = [...library.policies.values()];
  } else {
    const config = loadConfig(options.config, cwd, diags);
    if (config) {
      library = loadLibraries(config, cwd, diags);
      policies = options.wholeLibrary ? [...library.policies.values()] : manualPolicies(config, library, diags).map((m) => m.policy);
    }
  }
  return { ...finish(diags), policies, ...(library ? { library } : {}) };
}

export interface ExplainResult extends Report {
  policy?: Policy;
  /** Every choice point of the policy and the config key that sets it. */
  choices?: ChoicePoints;
  /** When there is no such policy: the closest number the library has. */
  suggestion?: string;
}

/** Every choice point of one policy (of the config's libraries, or the shipped one). */
export function explain(options: LibraryOptions & { number: string }): ExplainResult {
  const loaded = loadManual({ ...options, wholeLibrary: true });
  if (loaded.exitCode !== 0 || !loaded.library) return loaded;
  const policy = loaded.library.policies.get(options.number);
  if (!policy) {
    const guess = didYouMean(options.number, loaded.library.policies.keys());
    return { ...loaded, exitCode: 1, notes: [`No policy ${options.number} in the library.${guess ? ` Did you mean ${guess}?` : ''}`], ...(guess ? { suggestion: guess } : {}) };
  }
  return { ...loaded, policy, choices: choicePoints(policy) };
}
