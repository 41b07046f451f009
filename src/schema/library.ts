// library.yaml: what every clause file of one library folder shares, as the
// publisher prints it: its labels (the cf. form among them), its editorial
// markers and its list punctuation. A clause file's own settings win.
import type { FileSchema } from './file-schema.js';
import { once, zod } from './zod.js';
import { policySchemas } from './policy.js';
import type { z } from 'zod';

/** The name of the settings file in a library folder; never read as a clause file. */
export const LIBRARY_SETTINGS_FILE = 'library.yaml';

export const librarySchemas = once(() => {
  const z = zod();
  const { Labels } = policySchemas();
  const LibrarySettingsFile = z
    .strictObject({
      format: z.literal(1).optional().meta({ description: 'Library settings format version.' }),
      publisher: z.string().optional().meta({ description: 'The policy service that publishes these samples.' }),
      labels: Labels.optional().meta({ description: 'The publisher\'s labels, for every clause file of the folder that does not set its own.' }),
      markers: z.array(z.string().min(2)).optional().meta({ description: 'Editorial markers that must never reach an adopted page, added to each clause file\'s own.' }),
      'optional-labels': z.enum(['run', 'each']).optional().meta({ description: 'How the publisher labels optional language, for every clause file that does not say: once per run, or before each.' }),
      'list-punctuation': z.enum(['sentence', 'none']).optional().meta({ description: 'The publisher\'s list punctuation, for every clause file that does not set its own.' }),
    })
    .meta({ title: 'sro-policy library settings', description: 'Settings every clause file of one library folder shares.' });
  return { LibrarySettingsFile };
});

export type LibrarySettingsInput = z.infer<ReturnType<typeof librarySchemas>['LibrarySettingsFile']>;

// Read rarely (one small file per library), so zod itself decides: no generated validator.
export const LibrarySettingsFile: FileSchema<LibrarySettingsInput> = {
  accepts: (data) => librarySchemas().LibrarySettingsFile.safeParse(data).success,
  zod: () => librarySchemas().LibrarySettingsFile,
};
