// The command line. main() takes its streams, arguments and working folder as
// values and returns an exit code, so tests run it in-process and through the
// real bin alike. Nothing here calls process.exit.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { Diagnostics, InternalError } from './diagnostics.js';
import type { Edition, Format } from './model.js';
import { PACKAGE_ROOT, planBuild } from './pipeline.js';
import { formatGithub, formatJson, formatText, type ReporterName } from './report.js';
import { writeOutputs } from './write.js';

export interface Io {
  argv: string[];
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_CONTENT = 1;
export const EXIT_USAGE = 2;

/** Failures of the machine or the command line rather than of the policy content. */
const IO_CODES = new Set([
  'file-not-found',
  'not-a-file',
  'not-a-folder',
  'unreadable',
  'output-not-a-folder',
  'output-unwritable',
  'template-missing',
]);

export function version(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

interface CommonOptions {
  reporter: ReporterName;
  strict?: boolean;
  debug?: boolean;
}

interface BuildOptions extends CommonOptions {
  out?: string;
  format?: string;
  edition?: Edition;
  draft?: boolean;
  force?: boolean;
}

export async function main(io: Io): Promise<number> {
  let exitCode = EXIT_OK;
  const color = Boolean(io.stderr.isTTY) && !('NO_COLOR' in io.env && io.env.NO_COLOR !== undefined);
  const program = new Command();
  program
    .name('sro-policy')
    .description('Assemble a district\'s adopted policies from sample policies and render them as Markdown and HTML.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const reporterOption = () =>
    new Option('--reporter <name>', 'how to print problems: text, json or github (Actions annotations)').choices(['text', 'json', 'github']).default('text');
  const editionOption = () => new Option('--edition <name>', 'district (the adopted text) or sample (as the publisher prints it)').choices(['district', 'sample']);

  program
    .command('build')
    .description('check the config and write each policy as Markdown and HTML')
    .argument('<config>', 'district config (YAML)')
    .option('-o, --out <dir>', 'output folder (default: output.folder in the config, relative to it)')
    .option('-f, --format <list>', 'comma-separated formats: md,html,json')
    .addOption(editionOption())
    .option('--draft', 'print unresolved choices and missing values as visible placeholders (warnings, not errors)')
    .option('--strict', 'treat warnings as errors')
    .option('--force', 'replace output files that sro-policy did not write or that were edited by hand')
    .addOption(reporterOption())
    .option('--debug', 'show internal stack traces')
    .action((config: string, opts: BuildOptions) => {
      exitCode = runBuild(config, opts, io, color, true);
    });

  program
    .command('check')
    .description('validate the library, the config and the templates; write nothing')
    .argument('<config>', 'district config (YAML)')
    .addOption(editionOption())
    .option('--draft', 'accept unresolved choices and missing values (as warnings)')
    .option('--strict', 'treat warnings as errors')
    .addOption(reporterOption())
    .option('--debug', 'show internal stack traces')
    .action((config: string, opts: BuildOptions) => {
      exitCode = runBuild(config, opts, io, color, false);
    });

  if (io.argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      if (e.code === 'commander.executeSubCommandAsync') return EXIT_OK;
      return EXIT_USAGE;
    }
    return reportBug(e, io, io.argv.includes('--debug'));
  }
  return exitCode;
}

function parseFormats(list: string | undefined, diags: Diagnostics): Format[] | undefined {
  if (list === undefined) return undefined;
  const formats = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = formats.filter((f) => f !== 'md' && f !== 'html' && f !== 'json');
  if (bad.length || formats.length === 0) {
    diags.error('usage', `Unknown format ${bad.map((b) => `"${b}"`).join(', ') || '(none)'}`, { expected: 'a comma-separated list of md, html and json' });
    return undefined;
  }
  return [...new Set(formats)] as Format[];
}

function runBuild(config: string, opts: BuildOptions, io: Io, color: boolean, write: boolean): number {
  const diags = new Diagnostics();
  try {
    const formats = parseFormats(opts.format, diags);
    const plan = diags.hasErrors() ? undefined : planBuild(
      { config, cwd: io.cwd, out: opts.out, formats, edition: opts.edition, draft: opts.draft ?? false },
      diags,
    );
    if (opts.strict) {
      for (const d of diags.items) d.severity = 'error';
    }
    if (!plan || diags.hasErrors()) {
      print(diags, opts.reporter, io, color);
      if (write && plan) io.stderr.write('Nothing was written.\n');
      return exitFor(diags);
    }
    if (!write) {
      print(diags, opts.reporter, io, color);
      if (opts.reporter === 'text') {
        io.stdout.write(`${plan.policies.length} ${plan.policies.length === 1 ? 'policy' : 'policies'} checked: no errors\n`);
      }
      return EXIT_OK;
    }
    const shownOut = relative(io.cwd, plan.outDir) || '.';
    const results = writeOutputs(plan.outDir, shownOut, plan.files, { force: opts.force ?? false }, diags);
    print(diags, opts.reporter, io, color);
    if (!results) {
      io.stderr.write('Nothing was written.\n');
      return exitFor(diags);
    }
    if (opts.reporter === 'text') {
      for (const r of results) {
        io.stdout.write(`${r.status === 'written' ? 'wrote    ' : r.status === 'unchanged' ? 'unchanged' : 'removed  '} ${join(shownOut, r.name)} (${plan.edition} edition)\n`);
      }
    }
    return EXIT_OK;
  } catch (e) {
    return reportBug(e, io, opts.debug ?? false);
  }
}

function print(diags: Diagnostics, reporter: ReporterName, io: Io, color: boolean): void {
  if (reporter === 'json') {
    io.stdout.write(formatJson(diags.items, diags.sources));
  } else if (reporter === 'github') {
    io.stdout.write(formatGithub(diags.items, diags.sources));
  } else if (diags.items.length) {
    io.stderr.write(formatText(diags.items, diags.sources, { color }));
  }
}

function exitFor(diags: Diagnostics): number {
  if (!diags.hasErrors()) return EXIT_OK;
  const errors = diags.items.filter((d) => d.severity === 'error');
  return errors.every((d) => IO_CODES.has(d.code) || d.code === 'usage') ? EXIT_USAGE : EXIT_CONTENT;
}

function reportBug(e: unknown, io: Io, debug: boolean): number {
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`sro-policy: internal error: ${err.message}\n`);
  if (debug) io.stderr.write(`${err.stack ?? ''}\n`);
  else io.stderr.write('This is a bug in sro-policy, not in your files. Run again with --debug and report the output.\n');
  if (!(e instanceof InternalError) && debug) io.stderr.write('(unexpected exception)\n');
  return EXIT_USAGE;
}
