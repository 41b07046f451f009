// The output formats, by name. (Each format's module and what it declares
// are registered in registry.ts; this list is what the config schema and the
// command line accept.)
export const FORMAT_NAMES = ['md', 'html', 'json'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
