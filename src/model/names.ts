// The names the config and the command line take for editions and output
// formats: one list each, which the schema, the command line and the types
// follow (each format's module is in render/formats/).

export const EDITIONS = ['district', 'sample', 'annotated'] as const;
export type Edition = (typeof EDITIONS)[number];

export const FORMAT_NAMES = ['md', 'html', 'json', 'docx'] as const;
export type Format = (typeof FORMAT_NAMES)[number];
