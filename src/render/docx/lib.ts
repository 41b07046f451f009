// DOCX, the libraries: docx (the document's parts) and fflate (the zip), loaded
// when a Word file is first rendered, as markdown-it is (render/runs.ts): a
// build without --format docx, and every start-up, loads neither.
import { createRequire } from 'node:module';
import type * as Docx from 'docx';
import type * as Fflate from 'fflate';

const require = createRequire(import.meta.url);
let docx: typeof Docx | undefined;
let fflate: typeof Fflate | undefined;

export const docxLib = (): typeof Docx => (docx ??= require('docx') as typeof Docx);
export const zipLib = (): typeof Fflate => (fflate ??= require('fflate') as typeof Fflate);
