// Typed data passed between the stages. Library side: Policy (a validated clause
// file). District side: District (a validated config). Assembled side: Document
// (one edition of one policy, every choice resolved), which the renderer turns
// into text.
import type { Range } from '../diagnostics/diagnostic.js';
import type { SourceRef } from './source.js';
import type { DeviationInput } from '../schema/district.js';

// ---------------------------------------------------------------- inline text

/** Clause text split into literal text and {{name}} placeholders. */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; name: string; sample?: string; range: Range };

// ---------------------------------------------------------------- library

export type OptionalDefault = 'included' | 'excluded';

/**
 * A district decision that text depends on: a choice has one of some values,
 * optional language is kept (or left out), an alternative member is chosen;
 * and all, any and not of others. `label` is how the sample edition introduces
 * what depends on it.
 */
export type Condition = (
  | { kind: 'choice'; id: string; values: string[] }
  | { kind: 'option'; id: string; kept: boolean }
  | { kind: 'alternative'; id: string; members: string[] }
  | { kind: 'all' | 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition }
) & { pointer: string; label?: string };

/** Decisions that go together: when `if` holds, `requires` must hold too and `conflicts` must not. */
export interface DecisionRule {
  if: Condition;
  requires?: Condition;
  conflicts?: Condition;
  message?: string;
  pointer: string;
}

interface BlockBase {
  id: string;
  pointer: string;
  optional?: OptionalDefault;
  when?: Condition;
  prompt?: string;
}

export interface ListItem {
  id: string;
  pointer: string;
  text: Inline[];
  /**
   * Where its text is, kept when the file's position index is let go (a large
   * manual) for an item that ends as a middle item does ("…;"): list-punctuation
   * points there when the district's choices make the item last.
   */
  textAt?: Range;
  optional?: OptionalDefault;
  when?: Condition;
  /** Paragraphs that continue the item, under its text and before its nested items. */
  paragraphs?: Inline[][];
  items: ListItem[];
  itemsStyle?: string;
}

export interface DefinitionItem {
  id: string;
  pointer: string;
  term: Inline[];
  text: Inline[];
  optional?: OptionalDefault;
  when?: Condition;
}

export interface TableRow {
  id: string;
  pointer: string;
  cells: Inline[][];
  optional?: OptionalDefault;
  when?: Condition;
}

export interface AlternativeMember {
  id: string;
  pointer: string;
  label?: string;
  prompt?: string;
  blocks: Block[];
}

export type Block =
  | (BlockBase & { kind: 'heading'; text: Inline[]; level: number })
  | (BlockBase & { kind: 'paragraph'; text: Inline[] })
  | (BlockBase & { kind: 'list'; style: string; styles?: string[]; leadIn?: Inline[]; items: ListItem[] })
  | (BlockBase & { kind: 'note'; text: Inline[]; audience: 'board' | 'published' })
  | (BlockBase & { kind: 'definitions'; leadIn?: Inline[]; items: DefinitionItem[]; /** A list style: printed as a list of "Term: text" items. */ style?: string })
  | (BlockBase & { kind: 'table'; caption?: Inline[]; columns: Inline[][]; rows: TableRow[] })
  /** Blocks kept or left out, or printed under a condition, as one unit. */
  | (BlockBase & { kind: 'section'; blocks: Block[] })
  | (BlockBase & {
      kind: 'alternatives';
      mode: 'one-of' | 'any-of';
      defaults: string[];
      label?: string;
      members: AlternativeMember[];
    });

export interface CrossReference {
  number: string;
  /** As the sample prints it; empty when it prints the number alone ("(cf. 5114)"). */
  title: string;
  /** The block it is printed after, when the sample prints it in the body rather than at the end. */
  after?: string;
  /** The title with its placeholders, when it has any (variables only). */
  titleInline?: Inline[];
  pointer: string;
  /**
   * Where its number and title are, kept when the file's position index is let
   * go (a large manual): a missing or retitled target is the most common
   * warning, and finding it again would mean parsing the file again.
   */
  at?: { number: Range; title: Range };
}

export interface LegalEntry {
  id: string;
  pointer: string;
  text?: string;
  group?: string;
  /** The footnote marker ("[1]") by which the text cites it. */
  footnote?: string;
  /** The text and group with their placeholders, when they have any (variables only). */
  inline?: { text?: Inline[]; group?: Inline[] };
  items: LegalEntry[];
}

export type PartKind = 'policy' | 'regulation' | 'bylaw' | 'exhibit';

export interface Part {
  id: string;
  kind: PartKind;
  /** Its own number ("5145.12R"), when the sample prints one; else the policy's. */
  number?: string;
  /** A further part printed only when a decision holds. */
  when?: Condition;
  /** History lines the sample itself prints with dates, for the sample edition (ISO dates). */
  /** The sample's own dated lines; `label` as it prints the words before the date ("Issued:"), when not the kind and event's. */
  sampleHistory?: { event: 'adopted' | 'approved' | 'revised' | 'reviewed'; date: string; label?: string; sameLine?: string }[];
  pointer: string;
  title?: string;
  /** Its heading as the sample prints it ("R 2340 Field Trips"), in place of "Regulation 2340R: Title". */
  heading?: string;
  body: Block[];
  cf: CrossReference[];
  legal: LegalEntry[];
  approval: 'adopted' | 'approved' | 'none';
}

export interface VariableDecl {
  id: string;
  prompt: string;
  default?: string;
  sample?: string;
}

export interface ChoiceDecl {
  id: string;
  prompt: string;
  /** Value ids in declared order. */
  values: string[];
  texts: Map<string, string>;
  /** Values (and the sample, under "") that hold placeholders, split: variables only. */
  inline?: Map<string, Inline[]>;
  defaults?: string[];
  multiple: boolean;
  conjunction: string;
  serialComma?: boolean;
  revision?: { struck: string; inserted: string };
  sample?: string;
  separator: string;
  /** Another choice whose answer this one takes, value for value. */
  follows?: string;
}

export interface Labels {
  alternative: string;
  optional: string;
  /** Sample edition: printed after an alternative group and after a run of optional language, where the text every district adopts goes on. */
  alternativeEnd: string;
  optionalEnd: string;
  /** Sample edition: printed before the first member of an alternative group ("[CHOOSE ONE]"); empty for none. */
  alternativeLead: string;
  legal: string;
  cf: string;
  /** Between a cross-reference's number and title: "(cf. 5114 - Title)". */
  cfSeparator: string;
  /** When not empty, cross-references are printed under this heading ("Cross References:"), one "5114 - Title" a line, instead of "(cf. 5114 - Title)" lines. */
  cfHeading: string;
  boardNote: string;
}

/** A library folder's library.yaml: what its clause files share, unless a file says otherwise. */
export interface LibrarySettings {
  /** Content hash of the file: the pages of its policies depend on it. */
  hash: string;
  labels: Partial<Labels>;
  markers?: string[];
  listPunctuation?: 'sentence' | 'none';
  optionalLabels?: 'run' | 'each';
}

export interface Policy {
  number: string;
  title: string;
  series: { number: string; title: string };
  category?: string;
  kind: PartKind;
  status?: 'required' | 'recommended' | 'optional';
  sample?: { publisher: string; edition?: string; date?: string };
  labels: Labels;
  /** The labels the clause file sets itself, which win over its library's (LibrarySettings). */
  ownLabels?: Partial<Labels>;
  /** Editorial markers the clause file declares: never in an adopted page (assemble/leftovers.ts). */
  markers?: string[];
  /** 'none': the sample's list items stand alone, and list-punctuation does not check them. */
  listPunctuation?: 'sentence' | 'none';
  /** 'each': the sample edition labels every optional block and item, not once per run. */
  optionalLabels?: 'run' | 'each';
  /** How the sample prints the dates of its own history lines ("M/D/YYYY"); "MONTH D, YYYY" when not set. */
  dateFormat?: string;
  variables: Map<string, VariableDecl>;
  choices: Map<string, ChoiceDecl>;
  rules?: DecisionRule[];
  parts: Part[];
  /** Every block, member, item, row and legal entry by id. */
  ids: Map<string, IdEntry>;
  /** The clause file it was read from (its parse tree stays with the stage that read it). */
  file: SourceRef;
}

export type IdEntry =
  | { kind: 'block'; block: Block; pointer: string }
  | { kind: 'member'; member: AlternativeMember; group: Block & { kind: 'alternatives' }; pointer: string }
  | { kind: 'item'; item: ListItem | DefinitionItem | TableRow; pointer: string }
  | { kind: 'legal'; entry: LegalEntry; pointer: string }
  | { kind: 'part'; part: Part; pointer: string };

export interface LibraryRef {
  folder: string;
  /** Every policy of this library is in the manual. */
  includeAll: boolean;
  pointer: string;
}

export interface Library {
  folders: string[];
  policies: Map<string, Policy>;
  /** Folder each policy came from. */
  origin: Map<string, string>;
  /** Numbers of clause files that have errors (already reported). */
  broken?: Set<string>;
}

// ---------------------------------------------------------------- district

export type { Edition, Format } from './names.js';
import type { Edition, Format } from './names.js';

export interface HistoryLine {
  event: 'adopted' | 'approved' | 'revised' | 'reviewed';
  date: string;
  part?: string;
  pointer: string;
}

export interface PolicySettings {
  number: string;
  pointer: string;
  /** `list`: the config wrote the members (values) as a list, not as one. */
  alternatives: Map<string, { members: string[]; pointer: string; list: boolean }>;
  options: Map<string, { include: boolean; pointer: string }>;
  choices: Map<string, { values: string[]; pointer: string; list: boolean }>;
  variables: Map<string, { value: string; pointer: string }>;
  history: HistoryLine[];
  formats?: Format[];
  deviations: DeviationSettings[];
}

/** A deviation as the config records it, with the clause text it brings read already (see BuiltClause). */
export interface DeviationSettings {
  input: DeviationInput;
  pointer: string;
  /** The text of a replace or lead-in (as an item), or the block or item an insert brings. */
  built?: BuiltClause;
}

/** Clause text written in the config (a deviation's), read as clause files are: its blocks or items, their ids and placeholders. */
export interface BuiltClause {
  block?: Block;
  item?: ListItem;
  ids: Map<string, IdEntry>;
  refs: Extract<Inline, { kind: 'ref' }>[];
}

export interface District {
  name: string;
  board: string;
  town: string;
  state: string;
}

export interface DistrictConfig {
  district: District;
  /** Clause libraries in search order. */
  libraries: LibraryRef[];
  /** Policy numbers whose later-library policy replaces an earlier one. */
  replaces: Map<string, string>;
  sentencePerLine: boolean;
  index: boolean;
  /** output.docx.reference: a Word file whose styles the Word pages use; its path (absolute and as shown), its styles part, and its content hash. */
  docxReference?: { absPath: string; path: string; styles: string; hash: string };
  /** Absolute folder of the district's own templates, which override the defaults file by file. */
  templates?: string;
  outFolder: string;
  formats: Format[];
  edition: Edition;
  serialComma: boolean;
  variables: Map<string, { value: string; pointer: string }>;
  policies: PolicySettings[];
  /** The config file (its parse tree stays with the stage that read it). */
  file: SourceRef;
}

// ---------------------------------------------------------------- assembled

/** A run of resolved inline content. `md` is publisher Markdown; the others are literal text. */
export type Run =
  | { kind: 'md'; text: string }
  | { kind: 'value'; text: string }
  | { kind: 'blank'; text: string }
  | { kind: 'del'; text: string }
  | { kind: 'ins'; text: string }
  | { kind: 'placeholder'; text: string }
  /** Annotated edition only: which choice or deviation produced the text before it. */
  | { kind: 'annotation'; text: string };

export interface DocItem {
  id: string;
  marker: string;
  /** Numeric value of the marker for ordered lists (HTML value attribute). */
  ordinal: number;
  text: Run[];
  /** Sample edition: label printed before this item (e.g. "Optional Language:"). */
  label?: string;
  optional: boolean;
  /** Paragraphs that continue the item, before its nested list. */
  paragraphs?: Run[][];
  children?: DocList;
}

export interface DocList {
  style: string;
  items: DocItem[];
}

export type DocBlock =
  | { kind: 'label'; text: string; for: string }
  | { kind: 'annotation'; text: string; for: string }
  | { kind: 'heading'; id: string; level: number; text: Run[] }
  | { kind: 'paragraph'; id: string; text: Run[] }
  | { kind: 'list'; id: string; leadIn?: Run[]; list: DocList }
  | { kind: 'note'; id: string; audience: 'board' | 'published'; label?: string; text: Run[] }
  | { kind: 'definitions'; id: string; leadIn?: Run[]; items: { id: string; term: Run[]; text: Run[]; /** Sample edition: label printed before this definition. */ label?: string }[] }
  | { kind: 'table'; id: string; caption?: Run[]; columns: Run[][]; rows: { id: string; cells: Run[][]; /** Sample edition: label printed in a row of its own before this row. */ label?: string }[] }
  /** Cross-references printed in the body, after the block they support ("(cf. 5114 - Title)"), with the policy's label and separator. */
  | { kind: 'cf'; for: string; label: string; separator: string; entries: { number: string; title: string }[] };

export interface DocLegal {
  id: string;
  text?: string;
  group?: string;
  items: DocLegal[];
}

export interface DocHistory {
  event: 'adopted' | 'approved' | 'revised' | 'reviewed';
  label: string;
  /** As printed ("April 23, 2019"); empty in the sample edition. */
  date: string;
  /** As written in the config ("2019-04-23"); empty in the sample edition. */
  iso: string;
  /** Printed on the line before, after this text (a sample's own "…; Revised: …"). */
  joined?: string;
}

export interface DocPart {
  id: string;
  kind: PartKind;
  title: string;
  /** A further part's heading: "Regulation 2340R", printed with its title; or the sample's own (`verbatim`), printed alone. */
  heading?: string;
  verbatim?: boolean;
  blocks: DocBlock[];
  cf: { number: string; title: string }[];
  legal: DocLegal[];
  history: DocHistory[];
}

export interface Selections {
  alternatives: Record<string, string[]>;
  options: Record<string, boolean>;
  choices: Record<string, string[]>;
  variables: Record<string, string>;
}

export interface Document {
  edition: Edition;
  /** Built with --draft: unresolved choices may show as placeholders. */
  draft: boolean;
  number: string;
  title: string;
  series: { number: string; title: string };
  category?: string;
  kind: PartKind;
  status?: string;
  sample?: { publisher: string; edition?: string; date?: string };
  labels: Labels;
  district?: District;
  parts: DocPart[];
  selections: Selections;
}
