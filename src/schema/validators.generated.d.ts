// Types of the module scripts/gen-validators.mjs writes beside this file on every
// build (npm run build), compiled by ajv from schema/*.json.
/** Whether the data is a valid clause file. */
export declare function validatePolicyFile(data: unknown): boolean;
/** Whether the data is a valid district config. */
export declare function validateDistrictConfig(data: unknown): boolean;
/** Whether the data is a build cache's entry for one policy (src/schema/cache.schema.json). */
export declare function validateCachedPolicy(data: unknown): boolean;
export declare function validateCachedIndex(data: unknown): boolean;
/** Whether the data is a build cache's entry for a clause file outside the manual. */
export declare function validateLibraryFile(data: unknown): boolean;
/** Whether the data is a last-build record of inputs, apart from its version. */
export declare function validateLastBuild(data: unknown): boolean;
/** Whether the data is a last build's report (its pages and diagnostics), apart from its version. */
export declare function validateLastReport(data: unknown): boolean;
