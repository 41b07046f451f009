// The output folder as a whole: which folders may be one, making it, and an
// atomic build's write into a new version of it (publish.ts).
import { lstatSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { projectFolder, realPathOf } from '../read/files.js';
import { carryOver, editedPages, type Publication } from './publish.js';
import { writeOutputs, type OutputFile, type WriteResult } from './write.js';

/** Why a folder may not be an output folder: the root of the file system, or the home folder or one above it. */
export function refusedOutputFolder(outDir: string): string | undefined {
  const real = realPathOf(outDir);
  if (dirname(real) === real) return 'the root of the file system';
  const home = realPathOf(homedir());
  if (real === home) return 'the home folder';
  if (home.startsWith(`${real}${sep}`)) return 'a folder that holds the home folder';
  return undefined;
}

/**
 * The output folder is the manual's: never the root or a home folder, and,
 * when the config names it (`configFile`), inside the config's project (its
 * git repository, or its folder). Out there, a typo such as "../.." builds
 * into, and with --clean removes from, somebody else's files.
 */
export function checkOutputFolder(outDir: string, configFile: { path: string; absPath: string } | undefined, diags: Diagnostics): void {
  const at = configFile ? { file: configFile.path, at: { pointer: '/output/folder' } } : {};
  const refused = refusedOutputFolder(outDir);
  if (refused) {
    diags.error('output-folder-refused', `The output folder ${outDir} is ${refused}`, {
      ...at,
      hint: 'Give the manual a folder of its own, such as "out" beside the config ("output.folder" or --out).',
    });
    return;
  }
  if (!configFile) return;
  const project = projectFolder(configFile.absPath);
  const real = realPathOf(outDir);
  if (real !== project && !real.startsWith(`${project}${sep}`)) {
    diags.warn('output-outside-project', `The output folder ${outDir} is outside the project of ${configFile.path} (${project})`, {
      ...at,
      hint: 'Keep the manual in a folder of the project, such as "out"; to build elsewhere on purpose, pass --out on the command line.',
    });
  }
}

/** Make the output folder (and missing parents); the first folder made, undefined when it was there, false when it cannot be made. */
export function makeFolder(dir: string): string | undefined | false {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch {
    return false;
  }
}

/** Remove `dir` and its parents up to `top`, as long as they are empty. */
export function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

/**
 * An atomic build's write: pages rendered anew are checked against what is
 * published now (a page edited by hand is not dropped unnoticed), pages the
 * cache vouched for are carried over from the published version, and all of
 * them are put in place in the new version.
 */
export function writeVersion(pub: Publication, files: OutputFile[], shownOut: string, force: boolean, diags: Diagnostics): WriteResult[] | undefined {
  if (!force && pub.current) {
    const edited = editedPages(pub.current, files.filter((f) => f.kind !== 'cached').map((f) => f.name));
    for (const name of edited) {
      diags.error('edited-output', `${join(shownOut, name)} was edited by hand since sro-policy wrote it`, {
        hint: 'Record the change as a deviation in the district config, then pass --force to replace the file.',
      });
    }
    if (edited.length) return undefined;
  }
  try {
    carryOver(pub, files.filter((f) => f.kind === 'cached').map((f) => f.name));
  } catch (e) {
    diags.error('output-unwritable', `Cannot carry the unchanged pages of ${shownOut} over to its new version: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: 'Nothing was published. Build again; if it fails again, pass --force.',
    });
    return undefined;
  }
  return writeOutputs(pub.next, shownOut, files, { force }, diags);
}

/** Remove these files of sro-policy's own from a folder, those that are plain files (never a link); the names removed. */
export function removeOwnFiles(dir: string, names: readonly string[]): string[] {
  return names.filter((name) => {
    try {
      if (!lstatSync(join(dir, name)).isFile()) return false;
      rmSync(join(dir, name), { force: true });
      return true;
    } catch {
      return false;
    }
  });
}
