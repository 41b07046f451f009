// import: publisher samples in, clause files out, each proved by its own
// round trip. A sample is read, recognised into a clause file with its
// guesses marked for review, and the clause file's sample edition is compared
// with the sample word for word (and list number for list number). A file that
// does not come back exactly is written only when the caller asks for it
// (keepPartial), marked as needing review.
import { basename, join, resolve } from 'node:path';
import { Diagnostics } from '../diagnostics/diagnostic.js';
import { assemble } from '../assemble/assemble.js';
import { displayPath, expandSamples, loadText } from '../read/files.js';
import { loadDocx } from '../read/docx.js';
import { parseAndValidate } from '../read/clause-file.js';
import { recognise } from '../import/recognise.js';
import { withoutEndMarkers, withoutFurniture } from '../import/paragraphs.js';
import { HtmlTooDeep, htmlToSampleText, markdownToSampleText, MAX_HTML_DEPTH } from '../import/html.js';
import { emitClauseFile } from '../import/emit.js';
import { differences, documentWords, sampleWords, type Difference } from '../import/prove.js';
import { numberSlug } from '../model/number.js';
import { writeNewFile } from '../write/new-file.js';
import { lineOfWord } from '../import/prove.js';
import { finish, type Report } from './report.js';
import { libraryNumbers, loadLibrarySettings } from '../read/library-settings.js';
import { ownLabels } from '../read/policy.js';
import { withLibrarySettings } from '../assemble/library.js';
import type { Draft } from '../import/recognise.js';
import type { Labels, LibrarySettings } from '../model/model.js';

export interface ImportOptions {
  files: readonly string[];
  /** Folder the clause files are written to; none: nothing is written (a dry run). */
  out?: string;
  cwd: string;
  /** Write a clause file whose round trip is not exact too, marked as needing review. */
  keepPartial?: boolean;
  /**
   * The library folder the samples join: what its library.yaml sets is not
   * repeated in each clause file (and the proof prints with it), and a sample
   * whose number the library has already is reported.
   */
  library?: string;
}

export interface ImportedFile {
  source: string;
  number?: string;
  title?: string;
  /** Where the clause file was written, if it was. */
  written?: string;
  exact: boolean;
  differences: Difference[];
  found: Record<string, number>;
  guesses: string[];
  /** Page furniture left out (page numbers, running headers, copyright lines). */
  dropped?: string[];
  /** The clause file's text. */
  clause?: string;
}

export interface ImportResult extends Report {
  files: ImportedFile[];
}

export async function importSamples(options: ImportOptions): Promise<ImportResult> {
  const diags = new Diagnostics();
  const files: ImportedFile[] = [];
  const library = options.library === undefined ? undefined : libraryOf(resolve(options.cwd, options.library), options.cwd, diags);
  // A folder stands for the samples in it.
  for (const abs of options.files.flatMap((f) => expandSamples(resolve(options.cwd, f)))) {
    const shown = displayPath(abs, options.cwd);
    // Word, HTML and Markdown are read as the text a reader sees, and proved against that text.
    const docx = /\.docx$/i.test(abs);
    const file = docx ? undefined : loadText(abs, shown, diags, 'sample');
    const html = docx ? await loadDocx(abs, shown, diags) : undefined;
    const raw = html ?? file?.text;
    if (raw !== undefined && raw.trim() === '') diags.error('empty-file', `${shown} is empty`, { file: shown, hint: 'Give the text of a sample policy, as a policy site or Word\'s "save as text" gives it.' });
    if (raw === undefined || raw.trim() === '') {
      files.push({ source: shown, exact: false, differences: [], found: {}, guesses: [] });
      continue;
    }
    let text: string;
    try {
      text = docx || /\.html?$/i.test(abs) ? htmlToSampleText(raw) : /\.(?:md|markdown)$/i.test(abs) ? markdownToSampleText(raw) : raw;
    } catch (e) {
      if (!(e instanceof HtmlTooDeep)) throw e;
      diags.error('too-deep', `${shown} nests its elements ${e.depth} deep; sro-policy reads at most ${MAX_HTML_DEPTH}`, { file: shown, hint: 'A policy page nests a few levels. Check that this is the file you meant.' });
      files.push({ source: shown, exact: false, differences: [], found: {}, guesses: [] });
      continue;
    }
    const result = importText(text, shown, diags, library?.settings);
    const there = result.number === undefined ? undefined : library?.numbers.get(result.number);
    if (there) {
      diags.warn('duplicate-policy', `Policy ${result.number} (${shown}) is in the library already, as ${there}`, {
        file: shown,
        range: [0, 0],
        hint: 'Two files with one number stop a build (duplicate-policy): replace the library\'s file by hand after review, or give the sample its own number.',
      });
    }
    if (options.out !== undefined && result.clause !== undefined && (result.exact || options.keepPartial)) {
      const name = `${numberSlug(result.number ?? basename(abs))}.yaml`;
      const target = join(resolve(options.cwd, options.out), name);
      const text = result.exact ? result.clause : `# review: the round trip is NOT exact; see the import report.\n${result.clause}`;
      if (writeNewFile(target, text, displayPath(target, options.cwd), diags)) result.written = displayPath(target, options.cwd);
    }
    files.push(result);
  }
  const unwritten = options.out !== undefined && !options.keepPartial && files.some((f) => f.clause !== undefined && !f.exact);
  const report = finish(diags, unwritten ? ['A sample whose round trip is not exact was not written (use --keep-partial to write it for review).'] : []);
  // Not exact is a content failure, as a clause file with an error is.
  const exitCode = report.exitCode === 0 && files.some((f) => !f.exact) ? 1 : report.exitCode;
  return { ...report, exitCode, files };
}

/** A library folder's settings (library.yaml) and the numbers of its clause files, by number. */
function libraryOf(folder: string, cwd: string, diags: Diagnostics): { settings: LibrarySettings | undefined; numbers: Map<string, string> } {
  return { settings: loadLibrarySettings(folder, cwd, diags), numbers: libraryNumbers(folder, cwd, diags) };
}

/** One sample's text, recognised and proved (with its library's settings, when it joins one). */
export function importText(input: string, source: string, diags: Diagnostics, library?: LibrarySettings): ImportedFile {
  // Page numbers, running headers and the like are the page, not the policy: dropped, reported, and not proved.
  const { text, dropped } = withoutFurniture(input);
  const recognised = recognise(text);
  if (dropped.length) recognised.found['page furniture dropped'] = dropped.length;
  // A header and no text: nothing a clause file could hold.
  if ((recognised.draft.body as unknown[]).length === 0) {
    diags.error('import-mismatch', 'The sample has no policy text after its header', { file: source, range: [0, 0], hint: 'Import the sample with its text: what a policy site or Word shows of the policy.' });
    return { source, number: recognised.number, exact: false, differences: [], found: recognised.found, guesses: recognised.guesses };
  }
  if (library) inheritFrom(recognised.draft, library);
  const clause = emitClauseFile(recognised.draft, source);
  const local = new Diagnostics();
  const policy = parseAndValidate({ path: `${source} (imported)`, absPath: source, text: clause }, local)?.policy;
  // The importer wrote something the clause format refuses: a bug of sro-policy's, never the sample's fault.
  if (!policy) throw new Error(`the clause file imported from ${source} is not valid: ${local.items.map((d) => d.message).join('; ')}`);
  const doc = assemble({ policy: withLibrarySettings(policy, library), edition: 'sample' }, new Diagnostics());
  // End markers are compared on neither side: the sample edition adds its own where the format says.
  const proved = withoutEndMarkers(text);
  const diff = differences(sampleWords(proved), documentWords(doc));
  for (const d of diff) {
    const line = lineOfWord(proved, d.at);
    diags.error('import-mismatch', `The imported clause file does not give back the sample here: "${d.expected}" comes back as "${d.actual}"`, {
      file: source,
      range: line,
      expected: d.expected,
      actual: d.actual,
      hint: 'The importer could not express this stretch exactly. Write the clause file by hand for it (docs/clause-format.md), or import with --keep-partial and fix the written file.',
    });
  }
  return { source, number: recognised.number, title: policy.title, ...(dropped.length ? { dropped } : {}), exact: diff.length === 0, differences: diff, found: recognised.found, guesses: recognised.guesses, clause };
}

/** What the library's library.yaml sets, the clause file need not say again: labels, optional labels, list punctuation equal to the library's. */
function inheritFrom(draft: Draft, library: LibrarySettings): void {
  const labels = draft.labels as Record<string, string> | undefined;
  if (labels) {
    for (const key of Object.keys(labels)) {
      const [model] = Object.keys(ownLabels({ [key]: labels[key] })) as (keyof Labels)[];
      if (model !== undefined && library.labels[model] === labels[key]) delete labels[key];
    }
    if (Object.keys(labels).length === 0) delete draft.labels;
  }
  if (draft['optional-labels'] === library.optionalLabels) delete draft['optional-labels'];
  if (draft['list-punctuation'] !== undefined && draft['list-punctuation'] === library.listPunctuation) delete draft['list-punctuation'];
}
