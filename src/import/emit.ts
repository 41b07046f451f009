// import, third step: the draft as clause-file YAML, in the layout the
// hand-written library uses, with each review note as a "# review:" comment
// above what it concerns. Strings are written as JSON strings (valid YAML
// double-quoted scalars), so no text can become YAML syntax. Pure.
import { REVIEW, type Draft, type DraftValue } from './recognise.js';

const PLAIN_KEY = /^[a-z][a-z0-9-]*$/;

function key(k: string): string {
  return PLAIN_KEY.test(k) ? k : JSON.stringify(k);
}

function scalar(v: string | number | boolean): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const isDraft = (v: DraftValue): v is Draft => typeof v === 'object' && !Array.isArray(v);

/** A mapping that fits on one line ({ number: "5114", title: "…" }): two scalars at most. */
function inline(d: Draft): string | undefined {
  const entries = Object.entries(d);
  if (d[REVIEW] || entries.length > 2 || entries.some(([, v]) => typeof v === 'object')) return undefined;
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${scalar(v as string)}`).join(', ')} }`;
}

function comments(d: Draft, indent: string): string[] {
  return (d[REVIEW] ?? []).map((c) => `${indent}# ${c}`);
}

function mapping(d: Draft, indent: string, out: string[], first = ''): void {
  let lead = first;
  for (const [k, v] of Object.entries(d)) {
    const pad = lead || indent;
    lead = '';
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push(`${pad}${key(k)}: []`);
        continue;
      }
      if (v.every((x) => typeof x !== 'object')) {
        out.push(`${pad}${key(k)}: [${v.map((x) => scalar(x as string)).join(', ')}]`);
        continue;
      }
      out.push(`${pad}${key(k)}:`);
      for (const x of v) item(x, `${indent}  `, out);
    } else if (isDraft(v)) {
      const one = inline(v);
      if (one !== undefined) {
        out.push(`${pad}${key(k)}: ${one}`);
        continue;
      }
      out.push(...comments(v, indent));
      out.push(`${pad}${key(k)}:`);
      mapping(v, `${indent}  `, out);
    } else out.push(`${pad}${key(k)}: ${scalar(v)}`);
  }
}

function item(x: DraftValue, indent: string, out: string[]): void {
  if (!isDraft(x)) return void out.push(`${indent}- ${scalar(x as string)}`);
  const one = inline(x);
  if (one !== undefined) return void out.push(`${indent}- ${one}`);
  out.push(...comments(x, indent));
  mapping(x, `${indent}  `, out, `${indent}- `);
}

export function emitClauseFile(draft: Draft, source: string): string {
  const out = [`# Imported by sro-policy from ${source}. Review each "# review:" comment, then delete it.`];
  out.push(...comments(draft, ''));
  mapping(draft, '', out);
  return `${out.join('\n')}\n`;
}
