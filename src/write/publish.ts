// Atomic publishing (build --atomic): the output folder is a symbolic link that
// sro-policy makes to a complete version of the manual, and a build swaps it
// to the next version with one rename. A reader (a web server, a sync job)
// that opens the folder sees the old manual or the new one, never a mix.
//
//   out -> .out.sro-versions/<version>      the published manual
//   .out.sro-versions/<version>/            one folder per build; the current
//                                            and the previous one are kept
//
// Pages a build did not change are hard links to the previous version's
// (files are always replaced by rename, never changed in place, so sharing is
// safe), so a version costs the pages that changed.
import { randomBytes } from 'node:crypto';
import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import { OLD_CACHE_FILES } from '../incremental/cache-dir.js';
import { sha256 } from '../model/hash.js';
import { readNoFollow, removeLeftovers, stagingOwner } from './staging.js';
import { MANIFEST_NAME, readManifest } from './manifest.js';

/** The folder beside the output link that holds its versions. */
export function versionsFolder(link: string): string {
  return join(dirname(link), `.${basename(link)}.sro-versions`);
}

const VERSION_NAME = /^[0-9a-z]{8,12}-[0-9a-f]{8}$/;

/** Files sro-policy writes into a version besides the pages its manifest lists (and its cache, before 0.2). */
const OWN_FILES = new Set<string>([MANIFEST_NAME, ...OLD_CACHE_FILES]);

/**
 * The version folder an output link points at, when the link is one
 * sro-policy made (a relative link to a version in its versions folder);
 * undefined for anything else.
 */
export function publishedVersion(link: string): string | undefined {
  try {
    if (!lstatSync(link).isSymbolicLink()) return undefined;
    const target = readlinkSync(link);
    const prefix = `.${basename(link)}.sro-versions/`;
    if (!target.startsWith(prefix) || !VERSION_NAME.test(target.slice(prefix.length))) return undefined;
    const version = join(dirname(link), target);
    const versions = lstatSync(versionsFolder(link));
    return versions.isDirectory() && lstatSync(version).isDirectory() ? version : undefined;
  } catch {
    return undefined;
  }
}

/** A build being published atomically: where its pages go, and what is published now. */
export interface Publication {
  link: string;
  shown: string;
  /** The new version, made empty for this build. */
  next: string;
  /** The version published now (the link's target, or the plain folder an atomic build replaces). */
  current?: string;
  /** The output folder is a plain folder, made a link by this build. */
  migrates: boolean;
}

/**
 * Start an atomic build of `link`: check what is there now and make an empty
 * version folder for the new pages. Undefined, with an error, when the output
 * path holds something sro-policy did not make.
 */
export function startPublication(link: string, shown: string, force: boolean, diags: Diagnostics): Publication | undefined {
  let kind: 'missing' | 'link' | 'folder' | 'other' = 'missing';
  try {
    const st = lstatSync(link);
    kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'folder' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') kind = 'other';
  }
  const current = kind === 'link' ? publishedVersion(link) : kind === 'folder' ? link : undefined;
  if (kind === 'link' && !current) {
    diags.error('output-symlink', `The output folder ${shown} is a symbolic link that sro-policy did not make`, {
      file: shown,
      hint: 'An atomic build publishes the output folder as a link of its own to a version folder beside it. Remove the link, or choose another output folder.',
    });
    return undefined;
  }
  if (kind === 'other') {
    diags.error('output-not-a-folder', `The output folder ${shown} is a file`, { file: shown, hint: 'Choose another folder with --out or "output.folder".' });
    return undefined;
  }
  // Everything published now must be sro-policy's: what is not would silently vanish from the published folder.
  if (current && !force) {
    const foreign = foreignFiles(current);
    if (foreign.length) {
      diags.error('foreign-file', `${join(shown, foreign[0]!)}${foreign.length > 1 ? ` and ${foreign.length - 1} more` : ''} ${foreign.length > 1 ? 'were' : 'was'} not written by sro-policy, and an atomic build publishes only the manual`, {
        file: join(shown, foreign[0]!),
        hint: 'Move them away, or pass --force to leave them behind in the previous version (they are then no longer published).',
      });
      return undefined;
    }
  }
  const versions = versionsFolder(link);
  // A link a stopped atomic build made and did not put in place.
  removeLeftovers(dirname(link));
  try {
    mkdirSync(versions, { recursive: true });
    if (!lstatSync(versions).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const next = join(versions, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);
    // Fails when the name exists: a version folder is always new.
    mkdirSync(next);
    return { link, shown, next, ...(current ? { current } : {}), migrates: kind === 'folder' };
  } catch (e) {
    diags.error('output-unwritable', `Cannot make a new version of ${shown} in ${join(dirname(shown), basename(versions))}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: shown,
      hint: 'An atomic build writes its versions beside the output folder: check that folder\'s permissions.',
    });
    return undefined;
  }
}

/** Files in a published folder that sro-policy did not write. */
function foreignFiles(folder: string): string[] {
  const listed = new Set(Object.keys(readManifest(folder)?.files ?? {}));
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.filter((n) => !listed.has(n) && !OWN_FILES.has(n) && stagingOwner(n) === undefined).sort();
}

/**
 * Give the new version the pages the build did not render again (the build
 * cache vouched for them in the current version): hard links, or copies where
 * the file system has none.
 */
export function carryOver(p: Publication, names: readonly string[]): void {
  if (!p.current) return;
  for (const name of names) {
    const from = join(p.current, name);
    const to = join(p.next, name);
    try {
      linkSync(from, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw e;
      copyFileSync(from, to, constants.COPYFILE_EXCL);
    }
  }
}

/**
 * Publish the new version: point the link at it with one rename, then remove
 * versions older than the one it replaces (kept for readers that opened it a
 * moment ago). A plain output folder becomes a version first: between that
 * rename and the link's, the folder is briefly absent, once.
 */
export function publish(p: Publication, diags: Diagnostics): boolean {
  const dir = dirname(p.link);
  const versions = versionsFolder(p.link);
  const target = `${basename(versions)}/${basename(p.next)}`;
  let previous = p.current;
  try {
    const tmpLink = join(dir, `.${basename(p.link)}.${process.pid}-${randomBytes(6).toString('hex')}.sro-tmp`);
    symlinkSync(target, tmpLink);
    try {
      if (p.migrates && p.current) {
        previous = join(versions, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);
        renameSync(p.current, previous);
      }
      renameSync(tmpLink, p.link);
    } catch (e) {
      rmSync(tmpLink, { force: true });
      throw e;
    }
  } catch (e) {
    diags.error('output-unwritable', `Cannot publish the new version of ${p.shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file: p.shown,
      hint: "The manual published before is unchanged. Check the permissions of the folder that holds it, and build again.",
    });
    return false;
  }
  pruneVersions(versions, new Set([basename(p.next), ...(previous ? [basename(previous)] : [])]));
  return true;
}

/** Pages of the published version, among `names`, whose content is no longer what sro-policy wrote. */
export function editedPages(current: string, names: readonly string[]): string[] {
  const recorded = readManifest(current)?.files ?? {};
  const out: string[] = [];
  for (const name of names) {
    const hash = recorded[name];
    if (hash === undefined) continue;
    let bytes: Buffer | undefined;
    try {
      bytes = readNoFollow(join(current, name));
    } catch {
      out.push(name);
      continue;
    }
    if (bytes && sha256(bytes) !== hash) out.push(name);
  }
  return out;
}

/** Remove the new version of a build that failed: it holds only what this build wrote. */
export function abandon(p: Publication): void {
  rmSync(p.next, { recursive: true, force: true });
}

/**
 * Remove old versions: only what sro-policy wrote in them (the files their
 * manifest lists, its own records, staging files). A version that holds
 * anything else is left as it is.
 */
function pruneVersions(versions: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(versions);
  } catch {
    return;
  }
  for (const name of names) {
    if (keep.has(name) || !VERSION_NAME.test(name)) continue;
    const folder = join(versions, name);
    try {
      if (!lstatSync(folder).isDirectory()) continue;
      const manifest = readManifest(folder);
      // A version without a manifest was never complete, so never published: all of it is this tool's.
      if (!manifest) {
        rmSync(folder, { recursive: true, force: true });
        continue;
      }
      const ours = new Set([...Object.keys(manifest.files), ...Object.keys(manifest.replacing ?? {}), ...OWN_FILES]);
      for (const entry of readdirSync(folder)) {
        if (ours.has(entry) || stagingOwner(entry) !== undefined) rmSync(join(folder, entry), { force: true });
      }
      rmdirSync(folder);
    } catch {
      // Something not ours is in it, or it cannot be removed now: the next build tries again.
    }
  }
}
