// Static checks of Handlebars templates against the data they receive.
// Strict mode catches a missing value only when it is printed, and never in
// {{#if x}} / {{#unless x}} arguments: a misspelt condition would silently
// change the output. So every path in every template is checked here, at
// load, against the documented shape of the view (docs/templates.md).
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { TemplateSource } from './template-source.js';

/** A shape: a leaf, an object of shapes, a list of a shape, or anything (not checked). */
export type Shape = 'leaf' | 'any' | { [key: string]: Shape } | [Shape];

export const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

/** Built-in block helpers that take exactly one value, and how to write them. */
const BLOCK_ARITY: Partial<Record<string, string>> = {
  each: 'Name the list to go through, e.g. {{#each parts}} … {{/each}}.',
  with: 'Name the value to go into, e.g. {{#with district}} … {{/with}}.',
  if: 'Name the one value to test, e.g. {{#if district}} … {{/if}}; nest two {{#if}} blocks to test two.',
  unless: 'Name the one value to test, e.g. {{#unless sample}} … {{/unless}}.',
};

/** Report an error unless the same one is already there: policy and index templates share partials. */
export function errorOnce(diags: Diagnostics, code: DiagnosticCode, message: string, init: { file: string; range: readonly [number, number]; hint?: string }): void {
  const dup = diags.items.some((d) => d.code === code && d.file === init.file && d.range?.[0] === init.range[0] && d.message === message);
  if (!dup) diags.error(code, message, init);
}

interface Ctx {
  shape: Shape;
  parent?: Ctx;
}

type Node = {
  type: string;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } };
  [k: string]: unknown;
};

interface PathNode extends Node {
  type: 'PathExpression';
  original: string;
  parts: string[];
  depth: number;
  data: boolean;
  this?: boolean;
}

export interface TemplateCheckInput {
  main: TemplateSource;
  partials: Map<string, TemplateSource>;
  /** Parsed ASTs by template name ('' for the main template). */
  asts: Map<string, { body: Node[] }>;
  helpers: ReadonlySet<string>;
  root: Shape;
}

export function checkTemplates(input: TemplateCheckInput, diags: Diagnostics): void {
  const reported = new Set<string>();
  const visiting = new Set<string>();

  const report = (t: TemplateSource, node: Node, code: DiagnosticCode, message: string, hint?: string) => {
    const loc = node.loc;
    const start = loc ? offsetOf(t.text, loc.start.line, loc.start.column) : 0;
    const end = loc ? offsetOf(t.text, loc.end.line, loc.end.column) : start;
    const key = `${t.file}:${start}:${code}`;
    if (reported.has(key)) return;
    reported.add(key);
    errorOnce(diags, code, message, { file: t.file, range: [start, Math.max(end, start + 1)], ...(hint ? { hint } : {}) });
  };

  const resolve = (t: TemplateSource, path: PathNode, ctx: Ctx, blockParams: Map<string, Shape>): Shape | undefined => {
    if (path.data) {
      const head = path.parts[0];
      if (path.original.startsWith('@root')) return walk(t, path, path.parts.slice(1), { shape: input.root }, input.root);
      if (head === 'index' || head === 'first' || head === 'last' || head === 'key' || head === 'level') return 'leaf';
      report(t, path, 'template-unknown-value', `Template uses @${head}, which Handlebars does not provide here`, 'Known: @index, @first, @last, @key, @root.');
      return undefined;
    }
    let c: Ctx | undefined = ctx;
    for (let d = 0; d < path.depth; d++) c = c?.parent;
    if (!c) {
      report(t, path, 'template-unknown-value', `Template goes up ("../") past the top of the data in ${path.original}`);
      return undefined;
    }
    if (path.parts.length === 0) return c.shape; // {{this}} or {{.}}
    const first = path.parts[0]!;
    if (path.depth === 0 && !path.this && blockParams.has(first)) return walk(t, path, path.parts.slice(1), c, blockParams.get(first)!);
    return walk(t, path, path.parts, c, c.shape);
  };

  const walk = (t: TemplateSource, path: PathNode, parts: string[], _ctx: Ctx, start: Shape): Shape | undefined => {
    let shape: Shape = start;
    for (const part of parts) {
      if (shape === 'any') return 'any';
      if (Array.isArray(shape)) {
        if (part === 'length') return 'leaf';
        if (/^\d+$/.test(part)) {
          shape = shape[0];
          continue;
        }
      }
      if (shape === 'leaf' || Array.isArray(shape) || typeof shape !== 'object' || !Object.hasOwn(shape, part)) {
        const keys = shape && typeof shape === 'object' && !Array.isArray(shape) ? Object.keys(shape) : [];
        const guess = didYouMean(part, keys);
        report(
          t,
          path,
          'template-unknown-value',
          `Template uses {{${path.original}}}, but the data has no "${part}" there`,
          guess ? `Did you mean "${guess}"? The data is listed in docs/templates.md.` : 'The data each template receives is listed in docs/templates.md.',
        );
        return undefined;
      }
      shape = shape[part]!;
    }
    return shape;
  };

  const expr = (t: TemplateSource, node: Node, ctx: Ctx, bp: Map<string, Shape>): Shape | undefined => {
    if (node.type === 'PathExpression') return resolve(t, node as PathNode, ctx, bp);
    if (node.type === 'SubExpression') {
      call(t, node, ctx, bp);
      return 'any';
    }
    return 'leaf';
  };

  /** A mustache, block or sub-expression: a helper call, or a plain value. */
  const call = (t: TemplateSource, node: Node, ctx: Ctx, bp: Map<string, Shape>): void => {
    const path = node.path as PathNode;
    const params = (node.params as Node[] | undefined) ?? [];
    const hash = ((node.hash as { pairs?: { value: Node }[] } | undefined)?.pairs ?? []).map((p) => p.value);
    const isHelperCall = params.length > 0 || hash.length > 0 || node.type === 'SubExpression';
    const name = path.original;
    if (isHelperCall && path.type === 'PathExpression' && path.parts.length === 1 && !path.data && path.depth === 0) {
      if (!input.helpers.has(name)) {
        const guess = didYouMean(name, input.helpers);
        report(t, path, 'unknown-helper', `Template calls a helper "${name}" that does not exist`, guess ? `Did you mean "${guess}"?` : `Helpers available: ${[...input.helpers].sort().join(', ')}.`);
      }
    } else if (path.type === 'PathExpression' && !(path.parts.length === 1 && input.helpers.has(name) && !path.data)) {
      resolve(t, path, ctx, bp);
    }
    for (const p of params) expr(t, p, ctx, bp);
    for (const h of hash) expr(t, h, ctx, bp);
    if (name === 'lookup' && params.length === 2) lookupKey(t, params, ctx, bp);
  };

  /** {{lookup value "key"}} with a written key is checked like {{value.key}}; a key only JavaScript's objects have is refused in any case. */
  const lookupKey = (t: TemplateSource, params: Node[], ctx: Ctx, bp: Map<string, Shape>): void => {
    const [target, key] = params as [Node, Node & { value?: unknown; original?: unknown }];
    if (key.type !== 'StringLiteral' && key.type !== 'NumberLiteral') return;
    const k = String(key.value ?? key.original);
    if (k in Object.prototype || k === '__proto__' || k === 'prototype') {
      report(t, key, 'template-unknown-value', `Template looks up "${k}", which is JavaScript's object machinery, not part of the data`, 'The data each template receives is listed in docs/templates.md.');
      return;
    }
    const shape = target.type === 'PathExpression' ? resolve(t, target as PathNode, ctx, bp) : undefined;
    if (shape && shape !== 'any' && shape !== 'leaf' && !Array.isArray(shape) && !Object.hasOwn(shape, k)) {
      const guess = didYouMean(k, Object.keys(shape));
      report(t, key, 'template-unknown-value', `Template looks up "${k}", but the data has no "${k}" there`, guess ? `Did you mean "${guess}"? The data is listed in docs/templates.md.` : 'The data each template receives is listed in docs/templates.md.');
    }
  };

  const program = (t: TemplateSource, prog: { body: Node[] } | undefined, ctx: Ctx, bp: Map<string, Shape>): void => {
    if (!prog) return;
    for (const node of prog.body) statement(t, node, ctx, bp);
  };

  const statement = (t: TemplateSource, node: Node, ctx: Ctx, bp: Map<string, Shape>): void => {
    switch (node.type) {
      case 'MustacheStatement':
        call(t, node, ctx, bp);
        return;
      case 'BlockStatement': {
        const path = node.path as PathNode;
        const params = (node.params as Node[] | undefined) ?? [];
        const name = path.original;
        const prog = node.program as { body: Node[]; blockParams?: string[] } | undefined;
        const inverse = node.inverse as { body: Node[] } | undefined;
        // Handlebars checks these arguments only while rendering, and its error
        // there ("Must pass iterator to #each") carries no position.
        if (Object.hasOwn(BLOCK_ARITY, name) && params.length !== 1 && path.parts.length === 1 && !path.data && path.depth === 0) {
          report(t, path, 'template-syntax', `{{#${name}}} needs exactly one value, found ${params.length}`, BLOCK_ARITY[name]);
        }
        if (name === 'each' || name === 'with') {
          const target = params[0] ? expr(t, params[0], ctx, bp) : undefined;
          let inner: Shape = 'any';
          if (target !== undefined) {
            if (name === 'each') inner = Array.isArray(target) ? target[0] : target === 'any' ? 'any' : typeof target === 'object' ? 'any' : 'any';
            else inner = target;
          }
          const nbp = new Map(bp);
          const names = prog?.blockParams ?? [];
          if (names[0]) nbp.set(names[0], inner);
          if (names[1]) nbp.set(names[1], 'leaf');
          program(t, prog, names.length ? ctx : { shape: inner, parent: ctx }, nbp);
          program(t, inverse, ctx, bp);
          return;
        }
        if (name === 'if' || name === 'unless') {
          for (const p of params) expr(t, p, ctx, bp);
          program(t, prog, ctx, bp);
          program(t, inverse, ctx, bp);
          return;
        }
        call(t, node, ctx, bp);
        program(t, prog, ctx, bp);
        program(t, inverse, ctx, bp);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const nameNode = node.name as Node & { original?: string; value?: string };
        const params = (node.params as Node[] | undefined) ?? [];
        const hashPairs = (node.hash as { pairs?: { key: string; value: Node }[] } | undefined)?.pairs ?? [];
        if (nameNode.type !== 'PathExpression' && nameNode.type !== 'StringLiteral') {
          expr(t, nameNode, ctx, bp);
          return; // dynamic partial: its name is only known at run time
        }
        const pname = String(nameNode.original ?? nameNode.value);
        const partial = input.partials.get(pname);
        if (!partial) {
          const guess = didYouMean(pname, input.partials.keys());
          report(t, nameNode, 'unknown-partial', `Template includes a partial "${pname}" that does not exist`, guess ? `Did you mean "${guess}"?` : `Partials available: ${[...input.partials.keys()].sort().join(', ')}.`);
          return;
        }
        let shape: Shape = params[0] ? expr(t, params[0], ctx, bp) ?? 'any' : ctx.shape;
        if (hashPairs.length) {
          const extra: Record<string, Shape> = {};
          for (const p of hashPairs) extra[p.key] = expr(t, p.value, ctx, bp) ?? 'any';
          shape = shape && typeof shape === 'object' && !Array.isArray(shape) ? { ...shape, ...extra } : extra;
        }
        const key = `${pname}|${JSON.stringify(shape).slice(0, 2000)}`;
        if (visiting.has(key)) return; // recursive partial, already being checked with this data
        visiting.add(key);
        program(partial, input.asts.get(pname), { shape, parent: ctx.parent }, new Map());
        visiting.delete(key);
        if (node.type === 'PartialBlockStatement') program(t, node.program as { body: Node[] }, ctx, bp);
        return;
      }
      default:
        return;
    }
  };

  program(input.main, input.asts.get(''), { shape: input.root }, new Map());
}

/** Offset of a Handlebars position (1-based line, 0-based column) in the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let idx = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', idx);
    if (nl < 0) return text.length;
    idx = nl + 1;
  }
  return Math.min(idx + column, text.length);
}

