// The clause file format, version 1. This zod schema is the one source of truth:
// the TypeScript types are inferred from it and schema/policy.schema.json is
// generated from it (scripts/gen-schema.mjs; a test keeps the two in step).
// The validator that checks clause files first is generated from that JSON
// Schema (scripts/gen-validators.mjs); zod runs only to explain a rejection.
import type { FileSchema } from './file-schema.js';
import { validatePolicyFile } from './validators.generated.js';
import { once, zod } from './zod.js';
import type { z } from 'zod';

/** The key that tells one kind of block from another. */
export const BLOCK_KINDS = ['heading', 'paragraph', 'list', 'note', 'definitions', 'table', 'alternatives', 'section'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** A district decision that text depends on (see docs/clause-format.md, "Linked decisions"). */
export type ConditionInput =
  | { choice: string; is: string | string[]; label?: string | undefined }
  | { option: string; kept?: boolean | undefined; label?: string | undefined }
  | { alternative: string; is: string | string[]; label?: string | undefined }
  | { all: ConditionInput[]; label?: string | undefined }
  | { any: ConditionInput[]; label?: string | undefined }
  | { not: ConditionInput; label?: string | undefined };

export interface ListItemInput {
  id: string;
  text: string;
  optional?: 'included' | 'excluded' | undefined;
  when?: ConditionInput | undefined;
  paragraphs?: string[] | undefined;
  items?: ListItemInput[] | undefined;
  'items-style'?: string | undefined;
}

export interface AlternativeMemberInput {
  id: string;
  label?: string | undefined;
  prompt?: string | undefined;
  blocks: BlockInput[];
}

export interface AlternativesBlockInput {
  id: string;
  optional?: 'included' | 'excluded' | undefined;
  when?: ConditionInput | undefined;
  prompt?: string | undefined;
  alternatives: 'one-of' | 'any-of';
  default?: string | string[];
  label?: string | undefined;
  members: AlternativeMemberInput[];
}

export interface SectionBlockInput {
  id: string;
  optional?: 'included' | 'excluded' | undefined;
  when?: ConditionInput | undefined;
  prompt?: string | undefined;
  section: BlockInput[];
}

export type BlockInput =
  | z.infer<Leaves['HeadingBlock']>
  | z.infer<Leaves['ParagraphBlock']>
  | z.infer<Leaves['ListBlock']>
  | z.infer<Leaves['NoteBlock']>
  | z.infer<Leaves['DefinitionsBlock']>
  | z.infer<Leaves['TableBlock']>
  | AlternativesBlockInput
  | SectionBlockInput;

export interface LegalEntryInput {
  id: string;
  text?: string | undefined;
  group?: string | undefined;
  footnote?: string | undefined;
  items?: LegalEntryInput[] | undefined;
}

type Leaves = ReturnType<typeof leafSchemas>;
type Schemas = ReturnType<typeof policySchemas>;
export type PolicyFileInput = z.infer<Schemas['PolicyFile']>;
export type PartInput = z.infer<Schemas['Part']>;
export type ChoiceInput = z.infer<Schemas['Choice']>;
export type VariableInput = z.infer<Schemas['Variable']>;
export type CrossReferenceInput = z.infer<Schemas['CrossReference']>;

export const PolicyFile: FileSchema<PolicyFileInput> = { accepts: validatePolicyFile, zod: () => policySchemas().PolicyFile };

// Built on first use, so that only a file the generated validator rejects loads
// zod. The schemas without blocks are built apart from the rest: BlockInput is
// inferred from them, which would be circular inside one function.
const leafSchemas = once(() => {
  const z = zod();
  const Id = z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and hyphens, starting with a letter or digit')
    .max(80)
    .meta({ description: 'A stable id: lower-case letters, digits and hyphens (e.g. "duties-investigating").' });

  const PolicyNumber = z
    .string()
    .min(1)
    .max(40)
    .meta({ description: 'The policy number as printed, always a string: "5142.4", "5132R", "2:90", "BP 5142".' });

  const Text = z
    .string()
    .meta({ description: 'Policy text. Inline Markdown is allowed; {{name}} inserts a variable or an inline choice.' });

  const Optional = z
    .enum(['included', 'excluded'])
    .meta({ description: 'Makes this optional language; the value is the default when a district says nothing.' });

  const ListStyle = z
    .string()
    .regex(
      /^(bullet|outline|none|checkbox|[1aAiI][.)]|\([1aAiI]\))$/,
      'a list style is bullet, none, outline, checkbox or a numbering pattern such as "1.", "A.", "(1)", "a.", "I."',
    )
    .meta({
      description:
        'bullet, none, outline (1. A. (1) a. by level), checkbox (the sample prints "[ ]" before each item, each the board may check: optional, left out unless it says otherwise; kept items print as bullets), or a numbering pattern: "1.", "1)", "(1)", "A.", "a.", "(a)", "I.", "i.".',
    });

  const label = z.string().optional().meta({ description: 'How the sample edition introduces the text that depends on this, e.g. "If the Board elects a Vice-Chairperson:".' });
  const Ids = z.union([Id, z.array(Id).min(1)]);
  const Condition: z.ZodType<ConditionInput> = z
    .union([
      z.strictObject({ choice: Id, is: Ids.meta({ description: 'The value (or any of the values) the choice must have.' }), label }),
      z.strictObject({ option: Id, kept: z.boolean().optional().meta({ description: 'true (the default): the optional language is kept; false: left out.' }), label }),
      z.strictObject({ alternative: Id, is: Ids.meta({ description: 'The member (or any of the members) that must be chosen.' }), label }),
      z.strictObject({
        get all() {
          return z.array(Condition).min(1);
        },
        label,
      }),
      z.strictObject({
        get any() {
          return z.array(Condition).min(1);
        },
        label,
      }),
      z.strictObject({
        get not() {
          return Condition;
        },
        label,
      }),
    ])
    .meta({ description: 'A district decision: a choice has a value, an option is kept, an alternative member is chosen; combined with all, any and not.' });
  const When = Condition.optional().meta({ description: 'Printed only when this decision holds: one question drives every place it affects.' });

  const ListItem: z.ZodType<ListItemInput> = z.strictObject({
    id: Id,
    text: Text,
    optional: Optional.optional(),
    when: When,
    paragraphs: z.array(Text).min(1).optional().meta({ description: 'Paragraphs that continue this item, printed under its text and before its nested list.' }),
    get items() {
      return z.array(ListItem).optional().meta({ description: 'A nested list under this item.' });
    },
    'items-style': ListStyle.optional().meta({ description: 'Numbering of the nested list (defaults by level).' }),
  });

  const common = {
    id: Id,
    optional: Optional.optional(),
    when: When,
    prompt: z.string().optional().meta({ description: 'Question shown to the district for an optional block.' }),
  };

  const HeadingBlock = z.strictObject({
    ...common,
    heading: Text,
    level: z.number().int().min(1).max(4).optional().meta({ description: 'Sub-heading level inside the part, 1 to 4.' }),
  });

  const ParagraphBlock = z.strictObject({ ...common, paragraph: Text });

  const ListBlock = z.strictObject({
    ...common,
    list: ListStyle,
    'lead-in': Text.optional().meta({ description: 'The sentence that introduces the list; dropped when no item is left.' }),
    items: z.array(ListItem).min(1),
    styles: z.array(ListStyle).max(6).optional().meta({ description: 'Numbering per nesting level, outermost first.' }),
  });

  const NoteBlock = z.strictObject({
    ...common,
    note: Text,
    audience: z
      .enum(['board', 'published'])
      .meta({ description: 'board: guidance for the board, never in a district edition. published: part of the policy text.' }),
  });

  const DefinitionItem = z.strictObject({
    id: Id,
    term: Text,
    text: Text,
    optional: Optional.optional(),
    when: When,
  });

  const DefinitionsBlock = z.strictObject({
    ...common,
    definitions: z.array(DefinitionItem).min(1),
    'lead-in': Text.optional(),
    style: z
      .string()
      .regex(/^(terms|bullet|[1aAiI][.)]|\([1aAiI]\))$/, 'a definitions style is terms, bullet or a numbering pattern such as "A." or "1."')
      .optional()
      .meta({ description: 'terms (the default): each term with its text, as a definition list in HTML; or a list style ("A.", "1.", bullet): a list whose items read "Term: text".' }),
  });

  const TableRow = z.strictObject({
    id: Id,
    cells: z.array(Text).min(1),
    optional: Optional.optional(),
    when: When,
  });

  const TableBlock = z.strictObject({
    ...common,
    table: z.strictObject({
      caption: Text.optional(),
      columns: z.array(Text).min(1),
      rows: z.array(TableRow).min(1),
    }),
  });

  return { Id, PolicyNumber, Text, Optional, ListStyle, ListItem, Condition, common, HeadingBlock, ParagraphBlock, ListBlock, NoteBlock, DefinitionsBlock, TableBlock };
});

export const policySchemas = once(() => {
  const z = zod();
  const { Id, PolicyNumber, ListStyle, ListItem, Condition, common, HeadingBlock, ParagraphBlock, ListBlock, NoteBlock, DefinitionsBlock, TableBlock } = leafSchemas();

  const AlternativeMember: z.ZodType<AlternativeMemberInput> = z.strictObject({
    id: Id,
    label: z.string().optional().meta({ description: 'Label printed before this member in the sample edition.' }),
    prompt: z.string().optional().meta({ description: 'Short description of this alternative for the questionnaire.' }),
    get blocks() {
      return z.array(Block).min(1);
    },
  });

  const AlternativesBlock: z.ZodType<AlternativesBlockInput> = z.strictObject({
    ...common,
    alternatives: z.enum(['one-of', 'any-of']).meta({
      description: 'one-of: the district keeps exactly one member. any-of: at least one, several allowed.',
    }),
    default: z
      .union([Id, z.array(Id).min(1)])
      .optional()
      .meta({ description: 'The member (or members) kept when the district says nothing. Without one (a sample that says "[CHOOSE ONE]"), the district must choose.' }),
    label: z.string().optional().meta({ description: 'Label for the sample edition; defaults to the policy\'s alternative label.' }),
    members: z.array(AlternativeMember).min(2),
  });

  const SectionBlock: z.ZodType<SectionBlockInput> = z.strictObject({
    ...common,
    get section() {
      return z.array(Block).min(1).meta({ description: 'Blocks kept or left out as one unit: a sub-heading with its paragraphs and lists.' });
    },
  });

  const Block: z.ZodType<BlockInput> = z.union([
    HeadingBlock,
    ParagraphBlock,
    ListBlock,
    NoteBlock,
    DefinitionsBlock,
    TableBlock,
    AlternativesBlock,
    SectionBlock,
  ]);

  const CrossReference = z.strictObject({
    number: PolicyNumber,
    title: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The cited policy\'s title as the sample prints it; none for a sample that prints the number alone ("(cf. 5114)").' }),
    after: Id.optional().meta({ description: 'The block of the body this reference supports, as services that print "(cf. …)" right after a paragraph do: printed after that block, not at the end (at the end, should that block be left out).' }),
  });

  const LegalEntry: z.ZodType<LegalEntryInput> = z.strictObject({
    id: Id,
    text: z.string().optional().meta({ description: 'The reference, verbatim.' }),
    group: z.string().optional().meta({ description: 'A heading for the entries under it (e.g. "Connecticut General Statutes").' }),
    footnote: z
      .string()
      .regex(/^\d{1,3}$/, 'a footnote is a number, such as "1"')
      .optional()
      .meta({ description: 'The number of the footnote marker ("[1]") by which the policy text cites this reference: printed before it, and the marker in the text is not taken for an editorial one.' }),
    get items() {
      return z.array(LegalEntry).optional().meta({ description: 'Entries under this one.' });
    },
  });

  const Variable = z.strictObject({
    prompt: z.string().meta({ description: 'What the district is asked to fill in.' }),
    default: z.string().optional().meta({ description: 'Text used in a district edition when the district gives no value.' }),
    sample: z
      .string()
      .optional()
      .meta({ description: 'How the sample prints the blank, e.g. "____________"; an occurrence may override it with sample="…".' }),
  });

  const Choice = z.strictObject({
    prompt: z.string(),
    values: z
      .record(Id, z.string())
      .meta({ description: 'The possible values in order: value id → text inserted in the policy.' }),
    default: z.union([Id, z.array(Id)]).optional(),
    multiple: z.boolean().optional().meta({ description: 'Any non-empty selection of values, joined as a list.' }),
    conjunction: z.string().optional().meta({ description: 'Word joining the last two selected values (default "and").' }),
    'serial-comma': z.boolean().optional(),
    revision: z
      .strictObject({ struck: Id, inserted: Id })
      .optional()
      .meta({ description: 'The sample prints the struck value crossed out and the inserted value as new text.' }),
    sample: z.string().optional().meta({ description: 'How the sample prints this choice, verbatim.' }),
    separator: z.string().optional().meta({ description: 'For multiple choices: how the sample joins the values (default "/").' }),
    follows: Id.optional().meta({ description: 'Another choice of this policy whose answer this one takes (value for value): one question that drives several phrases.' }),
  });

  const Rule = z
    .strictObject({
      if: Condition,
      requires: Condition.optional(),
      conflicts: Condition.optional(),
      message: z.string().optional().meta({ description: 'Why, in words a board clerk understands: printed with the error.' }),
    })
    .meta({ description: 'Decisions that go together: when "if" holds, "requires" must hold too, and "conflicts" must not.' });

  const Labels = z.strictObject({
    alternative: z.string().optional(),
    optional: z.string().optional(),
    'alternative-end': z.string().optional(),
    'alternative-lead': z
      .string()
      .optional()
      .meta({ description: 'Printed in the sample edition before the first member of each alternative group ("[CHOOSE ONE]"), as some publishers print it; none by default.' }),
    'optional-end': z.string().optional(),
    legal: z.string().optional(),
    cf: z.string().optional(),
    'cf-heading': z.string().optional().meta({ description: 'Print cross-references under this heading ("Cross References:"), one "5114 - Title" a line, instead of as "(cf. 5114 - Title)" lines.' }),
    'cf-separator': z.string().optional().meta({ description: 'What stands between a cross-reference\'s number and its title (default " - "; " " or " – " for other services).' }),
    'board-note': z.string().optional(),
  });

  const PartKind = z.enum(['policy', 'regulation', 'bylaw', 'exhibit']);

  const SampleDate = z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, 'a date is written YYYY-MM-DD, or YYYY-MM for a month');
  const SampleHistory = z
    .strictObject({
      adopted: SampleDate.optional(),
      approved: SampleDate.optional(),
      revised: SampleDate.optional(),
      reviewed: SampleDate.optional(),
      label: z.string().min(1).optional().meta({ description: 'The words before the date as the sample prints them ("Issued:", "Last Reviewed:"); by default the kind and the event ("Policy adopted:").' }),
      'same-line': z
        .string()
        .optional()
        .meta({ description: 'Printed on the line before, after this text ("; "), as a sample that prints "Adopted: 1/12/2010; Revised: 3/3/2021" on one line.' }),
    })
    .meta({ description: 'A history line the sample itself prints, e.g. { adopted: 2022-11 }: printed in the sample edition in place of the blank approval line.' });

  const partFields = {
    body: z.array(Block).min(1),
    history: z.array(SampleHistory).min(1).optional().meta({ description: 'The history lines the sample prints with dates (its publisher\'s own); a district\'s history is in its config.' }),
    cf: z.array(CrossReference).optional(),
    legal: z.array(LegalEntry).optional(),
    approval: z
      .enum(['adopted', 'approved', 'none'])
      .optional()
      .meta({ description: 'Who approves this part: adopted by the board (default for policies and bylaws), approved by the superintendent (regulations).' }),
  };

  const Part = z.strictObject({
    id: Id,
    kind: PartKind,
    number: PolicyNumber.optional().meta({ description: 'The part\'s own number, when the sample prints one: "5145.12R" for the regulation, "5145.12E" for an exhibit.' }),
    when: Condition.optional().meta({ description: 'Printed only when this decision holds (an exhibit that goes with one alternative, say).' }),
    title: z.string().optional().meta({ description: 'Title of this part, when it differs from the policy title.' }),
    heading: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The part\'s heading as the sample prints it, word for word ("R 2340 Field Trips"), in place of "Regulation 2340R: Title".' }),
    ...partFields,
  });

  const PolicyFile = z
    .strictObject({
      format: z.literal(1).optional().meta({ description: 'Clause file format version.' }),
      number: PolicyNumber,
      title: z.string().min(1),
      series: z.strictObject({ number: PolicyNumber, title: z.string().min(1) }),
      category: z.string().optional(),
      kind: PartKind,
      status: z.enum(['required', 'recommended', 'optional']).optional(),
      sample: z
        .strictObject({
          publisher: z.string(),
          edition: z.string().optional(),
          date: z.string().optional(),
        })
        .optional(),
      labels: Labels.optional(),
      'optional-labels': z
        .enum(['run', 'each'])
        .optional()
        .meta({ description: 'run (the default): the sample edition labels a run of optional language once; each: before every optional block and item, as some publishers print "Optional:".' }),
      'date-format': z
        .string()
        .regex(/YYYY/, 'a date format holds the year as YYYY, e.g. "M/D/YYYY"')
        .optional()
        .meta({ description: 'How the sample prints the dates of its own history lines: MONTH, MM or M, DD or D, YYYY ("M/D/YYYY" for 1/12/2010); by default "MONTH D, YYYY" (January 12, 2010). A month alone drops the day.' }),
      'list-punctuation': z
        .enum(['sentence', 'none'])
        .optional()
        .meta({ description: 'sentence (the default): a list whose items end "…;" and "; and" before the last reads as one sentence, and must still after the district\'s choices; none: the sample\'s items stand alone, and their endings are not checked.' }),
      markers: z
        .array(z.string().min(2))
        .optional()
        .meta({ description: 'Editorial markers of this sample that must never reach an adopted page, such as "[or designee]" or "(if applicable)": a district page that still holds one fails to build.' }),
      variables: z.record(Id, Variable).optional(),
      choices: z.record(Id, Choice).optional(),
      rules: z.array(Rule).optional().meta({ description: 'Combinations of district decisions the sample marks as inconsistent: a config that makes one fails to build.' }),
      ...partFields,
      parts: z.array(Part).optional().meta({ description: 'Further parts after the main one, e.g. the administrative regulation.' }),
    })
    .meta({ title: 'sro-policy clause file', description: 'A sample policy: its text, alternatives, options, choices and references.' });

  return { Id, PolicyNumber, ListStyle, ListItem, Block, CrossReference, Variable, Choice, Part, PolicyFile, Labels };
});
