// The command line. main() takes its streams, arguments and working folder as
// values and returns an exit code, so tests run it in-process and through the
// real bin alike. Nothing here calls process.exit.
import { Command, CommanderError, Option } from 'commander';
import { version } from '../read/version.js';
import { FORMAT_NAMES } from '../model/names.js';
import { EXIT_OK, EXIT_USAGE, type BuildFlags, type CommonFlags, type DiffFlags, type Io } from './options.js';

export { EXIT_CONTENT, EXIT_OK, EXIT_USAGE, type Io } from './options.js';

/** The commands load YAML, Handlebars and markdown-it (and zod, for a file with errors): only when one runs. */
const commands = {
  build: () => import('./commands/build.js'),
  watch: () => import('./commands/watch.js'),
  diff: () => import('./commands/diff.js'),
  outdated: () => import('./commands/outdated.js'),
  init: () => import('./commands/init.js'),
  library: () => import('./commands/library.js'),
  bug: () => import('./commands/bug.js'),
  import: () => import('./commands/import.js'),
};

export { version };

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
  const editionOption = () =>
    new Option('--edition <name>', 'district (the adopted text), sample (as the publisher prints it) or annotated (district text with each choice and deviation marked)').choices([
      'district',
      'sample',
      'annotated',
    ]);

  program
    .command('build')
    .description('check the config and write each policy as Markdown and HTML')
    .argument('<config>', 'district config (YAML)')
    .option('-o, --out <dir>', 'output folder (default: output.folder in the config, relative to it)')
    .option('-f, --format <list>', `comma-separated formats: ${FORMAT_NAMES.join(',')}`)
    .addOption(editionOption())
    .option('--draft', 'print unresolved choices and missing values as visible placeholders (warnings, not errors)')
    .option('--strict', 'treat warnings as errors')
    .option('--force', 'replace output files that sro-policy did not write or that were edited by hand')
    .option('--check', 'write nothing; exit 1 and name the files when the output folder is not up to date')
    .option('--clean', 'also remove files an earlier build wrote that this build no longer produces')
    .option('--atomic', 'publish the output folder as a link to a complete new version, swapped in with one rename: a reader sees the old manual or the new one, never a mix')
    .option('--watch', 'build, then rebuild whenever the config, a policy or a template changes')
    .option('--update-lock', 'accept the library as it is now: rewrite the lock file beside the config (see "outdated")')
    .option('--cache-dir <dir>', 'folder of the build cache (default: node_modules/.cache/sro-policy of the project, else .sro-policy-cache beside the config; also SRO_POLICY_CACHE_DIR)')
    .option('--no-cache', 'build everything afresh, and keep no cache')
    .addOption(reporterOption())
    .option('--debug', 'show internal stack traces')
    .action(async (config: string, opts: BuildFlags) => {
      exitCode = opts.watch
        ? await (await commands.watch()).watchBuild(config, opts, io, color)
        : await (await commands.build()).runBuild(config, opts, io, color, opts.check ? 'compare' : 'write');
    });

  program
    .command('check')
    .description('validate the library, the config and the templates; write nothing')
    .argument('<config>', 'district config (YAML)')
    .addOption(editionOption())
    .option('--draft', 'accept unresolved choices and missing values (as warnings)')
    .option('--strict', 'treat warnings as errors')
    .addOption(reporterOption())
    .option('--cache-dir <dir>', 'folder of the build cache, which check reads (see build)')
    .option('--no-cache', 'check everything afresh, without the build cache')
    .option('--debug', 'show internal stack traces')
      .action(async (config: string, opts: BuildFlags) => {
      exitCode = await (await commands.build()).runBuild(config, opts, io, color, 'check');
    });

  program
    .command('diff')
    .description('word-level redline of the assembled policies: two configs, two git revisions, or the sample against the district edition')
    .argument('<config>', 'district config (YAML); the old side when a second config is given')
    .argument('[new-config]', 'a second config: the new side')
    .option('--from <rev>', 'compare <config> as it was at this git revision…')
    .option('--to <rev>', '…with this revision (default: the working tree)')
    .addOption(new Option('--against <edition>', 'compare the sample edition with the district edition (what the district changed)').choices(['sample']))
    .option('-o, --out <dir>', 'folder for the redlines', 'redline')
    .option('-f, --format <list>', 'comma-separated formats: md,html,docx (docx: the changes as Word tracked changes)', 'md,html')
    .option('--exit-code', 'exit 1 when anything changed')
    .addOption(reporterOption())
    .option('--debug', 'show internal stack traces')
    .action(async (config: string, other: string | undefined, opts: DiffFlags) => {
      exitCode = await (await commands.diff()).runDiff(config, other, opts, io, color);
    });

  program
    .command('outdated')
    .description('what changed in the library since the lock file: changed clauses, removed or new choices, stale deviations, references')
    .argument('<config>', 'district config (YAML); its lock file sits beside it')
    .addOption(reporterOption())
    .option('--debug', 'show internal stack traces')
    .action(async (config: string, opts: CommonFlags) => {
      exitCode = await (await commands.outdated()).runOutdated(config, opts, io, color);
    });

  program
    .command('init')
    .description('write a complete, commented district config: every policy and every choice, with defaults filled in')
    .option('-o, --out <file>', 'where to write it ("-" for standard output)', 'district.yaml')
    .option('-l, --library <folder...>', 'clause libraries to list ("sro-policy" is the shipped one)', ['sro-policy'])
    .option('--force', 'overwrite the file if it exists')
    .option('--debug', 'show internal stack traces')
    .action(async (opts: { out: string; library: string[]; force?: boolean; debug?: boolean }) => {
      exitCode = (await commands.init()).runInit(opts, io, color);
    });

  program
    .command('list')
    .description('list the policies of a manual (or of the shipped library): number, title, kind, status')
    .argument('[config]', 'district config (YAML); without it, the shipped library')
    .option('--debug', 'show internal stack traces')
    .action(async (config: string | undefined, opts: { debug?: boolean }) => {
      exitCode = (await commands.library()).runList(config, io, color, opts.debug ?? false);
    });

  program
    .command('explain')
    .description('show every choice point of one policy and the config key that sets it')
    .argument('<number>', 'policy number, e.g. 5142.4')
    .argument('[config]', 'district config (YAML); without it, the shipped library')
    .option('--debug', 'show internal stack traces')
    .action(async (number: string, config: string | undefined, opts: { debug?: boolean }) => {
      exitCode = (await commands.library()).runExplain(number, config, io, color, opts.debug ?? false);
    });

  program
    .command('refs')
    .description('which policies of the manual cite a policy number or a statute')
    .argument('<config>', 'district config (YAML)')
    .argument('[reference]', 'a policy number (exact) or words of a legal reference, e.g. "10-233a"; omit to list every reference')
    .option('--debug', 'show internal stack traces')
    .action(async (config: string, reference: string | undefined, opts: { debug?: boolean }) => {
      exitCode = (await commands.library()).runRefs(config, reference, io, color, opts.debug ?? false);
    });

  program
    .command('import')
    .description('turn publisher sample policies (text, HTML, Markdown, Word) into clause files, each proved by building its sample edition and comparing it word for word')
    .argument('<file...>', 'sample policies (.txt, .html, .md, .docx), or folders of them')
    .option('-o, --out <folder>', 'write the clause files here (created if need be; existing files are never overwritten); without it, print the clause file')
    .option('--keep-partial', 'write a clause file whose round trip is not exact too, marked as needing review')
    .option('--library <folder>', "the library the samples join: its library.yaml's labels and settings are not repeated in each clause file (and prove with them), and a number it has already is reported")
    .addOption(reporterOption())
    .option('--debug', 'show internal stack traces')
    .action(async (files: string[], opts: { out?: string; keepPartial?: boolean; library?: string; reporter: 'text' | 'json' | 'github'; debug?: boolean }) => {
      exitCode = await (await commands.import()).runImport(files, opts, io, color);
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
    return (await commands.bug()).reportBug(e, io, io.argv.includes('--debug'));
  }
  return exitCode;
}
