// The district config. Like the clause format, this zod schema is the single
// source of the TypeScript types and of schema/district.schema.json, from which
// the validator that checks configs first is generated.
import type { FileSchema } from './file-schema.js';
import { policySchemas } from './policy.js';
import { validateDistrictConfig } from './validators.generated.js';
import { once, zod } from './zod.js';
import type { z } from 'zod';
import { EDITIONS, FORMAT_NAMES } from '../model/names.js';


export const DEVIATION_ACTIONS = [
  'replace',
  'insert-before',
  'insert-after',
  'omit',
  'move',
  'restyle',
  'lead-in',
  'rename',
  'add-cf',
  'remove-cf',
  'add-legal',
  'remove-legal',
] as const;

type Schemas = ReturnType<typeof districtSchemas>;
export type DistrictConfigInput = z.infer<Schemas['DistrictConfig']>;
export type PolicySettingsInput = z.infer<Schemas['PolicySettings']>;
export type HistoryEntryInput = z.infer<Schemas['HistoryEntry']>;
export type DeviationInput = z.infer<Schemas['Deviation']>;
export type { Edition, Format } from '../model/names.js';

export const DistrictConfig: FileSchema<DistrictConfigInput> = { accepts: validateDistrictConfig, zod: () => districtSchemas().DistrictConfig };

/** Built on first use, like the clause file's schemas. */
export const districtSchemas = once(() => {
  const z = zod();
  const { Block, CrossReference, Id, ListItem, ListStyle, PolicyNumber } = policySchemas();

  const IsoDate = z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, 'a date is written YYYY-MM-DD, or YYYY-MM for a month')
    .meta({ description: 'A date as YYYY-MM-DD, or YYYY-MM when only the month is known.' });

  const HistoryEntry = z
    .strictObject({
      adopted: IsoDate.optional(),
      approved: IsoDate.optional(),
      revised: IsoDate.optional(),
      reviewed: IsoDate.optional(),
      part: Id.optional().meta({ description: 'The part the date belongs to (default: the main part).' }),
    })
    .meta({ description: 'One history line, e.g. { adopted: 2019-04-23 } or { approved: 2019-05, part: regulation }.' });

  const Format = z.enum(FORMAT_NAMES);
  const Edition = z.enum(EDITIONS);

  const Deviation = z
    .strictObject({
      reason: z.string().min(1).meta({ description: 'Why the district departs from the sample: shown in the annotated edition and in redlines.' }),
      'sample-hash': z
        .string()
        .regex(/^[0-9a-f]{8}$/, 'a sample hash is 8 hexadecimal characters, as sro-policy prints it')
        .optional()
        .meta({ description: 'Hash of the sample text this deviation was written against (sro-policy suggests it); outdated reports when the sample changes.' }),
      replace: Id.optional().meta({ description: 'Replace the text of this block or list item with "text".' }),
      'insert-before': Id.optional().meta({ description: 'Insert "block" (or "item", in a list) before this block or item.' }),
      'insert-after': Id.optional().meta({ description: 'Insert "block" (or "item", in a list) after this block or item.' }),
      omit: Id.optional().meta({ description: 'Leave out this block or item, even required text (say why in "reason").' }),
      move: Id.optional().meta({ description: 'Move this block or item to "before" or "after" another.' }),
      restyle: Id.optional().meta({ description: 'Change the numbering style of this list to "style".' }),
      'lead-in': Id.optional().meta({ description: 'Replace the lead-in of this list with "text" (empty text removes it).' }),
      rename: z.string().min(1).optional().meta({ description: 'Replace this exact phrase with "to" everywhere in the policy text.' }),
      'add-cf': CrossReference.optional().meta({ description: 'Add a cross-reference (number and title).' }),
      'remove-cf': PolicyNumber.optional().meta({ description: 'Remove the cross-reference to this policy number.' }),
      'add-legal': z
        .strictObject({ id: Id, text: z.string().min(1), after: Id.optional() })
        .optional()
        .meta({ description: 'Add a legal reference (verbatim text), at the end or after the entry with id "after".' }),
      'remove-legal': Id.optional().meta({ description: 'Remove the legal reference with this id.' }),
      text: z.string().optional(),
      to: z.string().optional(),
      before: Id.optional(),
      after: Id.optional(),
      style: ListStyle.optional(),
      get block() {
        return Block.optional();
      },
      item: ListItem.optional(),
    })
    .meta({ description: 'A recorded departure from the sample text: one action, its target by id, and the reason.' });

  const PolicySettings = z.strictObject({
    alternatives: z
      .record(Id, z.union([Id, z.array(Id)]))
      .optional()
      .meta({ description: 'Alternative group id → the member kept (or members, for any-of groups).' }),
    options: z
      .record(Id, z.boolean())
      .optional()
      .meta({ description: 'Optional block or list item id → true to include it, false to leave it out.' }),
    choices: z
      .record(Id, z.union([Id, z.array(Id)]))
      .optional()
      .meta({ description: 'Inline choice id → the value chosen (a list for multiple choices).' }),
    variables: z.record(Id, z.string()).optional().meta({ description: 'Blank id → the district\'s text.' }),
    history: z.array(HistoryEntry).optional().meta({ description: 'Adoption, approval, revision and review dates, in the order printed.' }),
    formats: z.array(Format).min(1).optional().meta({ description: 'Output formats for this policy (default: output.formats).' }),
    deviations: z.array(Deviation).optional().meta({ description: 'The district\'s recorded departures from the sample text, applied in order.' }),
  });

  const DistrictConfig = z
    .strictObject({
      district: z.strictObject({
        name: z.string().min(1).meta({ description: 'The district\'s full name, e.g. "Maple Hollow Public Schools".' }),
        board: z.string().min(1).meta({ description: 'The board\'s name, e.g. "Maple Hollow Board of Education".' }),
        town: z.string().min(1),
        state: z.string().min(1),
      }),
      library: z
        .string()
        .optional()
        .meta({ description: 'One folder of clause files, relative to this file (default: the policies shipped with sro-policy). Use "libraries" for several.' }),
      libraries: z
        .array(
          z.union([
            z.string(),
            z.strictObject({
              path: z.string().meta({ description: 'Folder of clause files, relative to this file; "sro-policy" is the library shipped with sro-policy.' }),
              include: z
                .enum(['all', 'listed'])
                .optional()
                .meta({ description: 'all: every policy of this library is in the manual. listed (default): only those under "policies:".' }),
            }),
          ]),
        )
        .min(1)
        .optional()
        .meta({ description: 'Folders of clause files, searched in order: the publisher\'s library first, then the district\'s own policies.' }),
      replaces: z
        .array(z.string())
        .optional()
        .meta({ description: 'Policy numbers whose policy in a later library (the district\'s own) replaces the one in an earlier library.' }),
      templates: z
        .string()
        .optional()
        .meta({ description: 'Folder of the district\'s own templates, relative to this file; each file in it overrides the default of the same name.' }),
      output: z
        .strictObject({
          folder: z.string().min(1).optional().meta({ description: 'Output folder, relative to this file (default "out").' }),
          formats: z.array(Format).min(1).optional().meta({ description: 'md, html and json (one manual.json for the whole manual).' }),
          edition: Edition.optional(),
          'sentence-per-line': z
            .boolean()
            .optional()
            .meta({ description: 'Write each sentence of the Markdown on its own line, so that git diffs show the sentence that changed.' }),
          index: z.boolean().optional().meta({ description: 'Write index.md / index.html listing the manual (default true).' }),
          docx: z
            .strictObject({
              reference: z.string().min(1).optional().meta({ description: 'A Word file of the district\'s own, relative to this file, whose styles (fonts, sizes, spacing, colours) the Word pages use instead of the built-in ones, as Pandoc\'s --reference-doc does.' }),
            })
            .optional(),
        })
        .optional(),
      style: z
        .strictObject({
          'serial-comma': z.boolean().optional().meta({ description: 'Write "high, middle, and elementary" (true) or "high, middle and elementary" (false, default).' }),
        })
        .optional(),
      variables: z.record(Id, z.string()).optional().meta({ description: 'Values shared by every policy, e.g. police-department.' }),
      policies: z
        .record(z.string(), PolicySettings)
        .optional()
        .meta({ description: 'Policy number → the district\'s choices for it. Every policy listed is part of the manual.' }),
    })
    .meta({ title: 'sro-policy district config', description: 'A district\'s choices for the sample policies it adopts.' });

  return { HistoryEntry, Format, Deviation, PolicySettings, DistrictConfig };
});
