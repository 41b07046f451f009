// The Handlebars runtime alone: enough to run precompiled templates (small, so loaded with the CLI).
import type Handlebars from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';

export function loadRuntime(): typeof Handlebars {
  return HandlebarsRuntime as unknown as typeof Handlebars;
}
