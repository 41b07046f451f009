// Types of the module scripts/gen-validators.mjs writes beside this file on every
// build (npm run build), compiled by ajv from schema/*.json.
/** Whether the data is a valid clause file. */
export declare function validatePolicyFile(data: unknown): boolean;
/** Whether the data is a valid district config. */
export declare function validateDistrictConfig(data: unknown): boolean;
