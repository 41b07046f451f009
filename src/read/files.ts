// load: the only stage that reads input files. It turns a path into text or a
// diagnostic; everything after it works on strings.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostic.js';
import type { Format } from '../model/model.js';
import { stampOf } from '../incremental/stamp.js';
import type { FileStamp, InputStamp, SourceFile } from '../model/source.js';
import type { PrecompiledSet, TemplateKind, TemplateSource } from '../render/templates.js';
import { sha256 } from '../model/hash.js';

export type { InputStamp, SourceFile };

/** Policies are a few kilobytes; anything this large is a mistake or an attack. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What a text file holds, for the words of its diagnostics. */
export type TextKind = 'yaml' | 'template' | 'sample';

const KIND_WORDS: Record<TextKind, { text: string; folder: string; size: string }> = {
  yaml: { text: 'YAML text', folder: 'Give the path of a .yaml file inside it.', size: 'Policy and config files are a few kilobytes.' },
  template: { text: 'template text', folder: 'A template is a .hbs file.', size: 'Templates are a few kilobytes.' },
  sample: { text: 'text', folder: 'Give the path of a sample policy file inside it.', size: 'A sample policy is a few kilobytes.' },
};

const DOCX_WORDS = { folder: 'Give the path of a .docx file inside it.', size: 'A sample policy is a few pages.' };

export function loadText(absPath: string, path: string, diags: Diagnostics, kind: TextKind = 'yaml'): SourceFile | undefined {
  const read = loadBytes(absPath, path, diags, kind);
  if (!read) return undefined;
  const file = decodeSource(read.bytes, absPath, path, diags, kind);
  if (file) file.stamp = { hash: sha256(read.bytes), ...read.stamp };
  return file;
}

/**
 * A regular file's bytes, within a size limit (a Word sample holds pictures and
 * styles besides its text, so it may be larger), with its stamp; a folder, a
 * device, a file too large or unreadable is reported.
 */
export function loadBytes(absPath: string, path: string, diags: Diagnostics, kind: TextKind | 'docx' = 'yaml'): { bytes: Buffer; stamp: FileStamp } | undefined {
  const words = kind === 'docx' ? DOCX_WORDS : KIND_WORDS[kind];
  const limit = kind === 'docx' ? 10 * MAX_FILE_BYTES : MAX_FILE_BYTES;
  let stamp: FileStamp;
  // Taken before the file is looked at: see isRacy.
  const at = Date.now();
  try {
    const st = statSync(absPath);
    if (st.isDirectory()) {
      diags.error('not-a-file', `${path} is a folder, not a file`, {
        file: path,
        hint: words.folder,
      });
      return undefined;
    }
    if (!st.isFile()) {
      diags.error('not-a-file', `${path} is not a regular file`, { file: path });
      return undefined;
    }
    stamp = stampOf(st, at);
  } catch (e) {
    reportFsError(e, path, diags);
    return undefined;
  }
  if (stamp.size > limit) {
    diags.error('file-too-large', `${path} is ${formatBytes(stamp.size)}; the limit is ${formatBytes(limit)}`, {
      file: path,
      hint: `${words.size} Check that this is the file you meant.`,
    });
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(absPath);
  } catch (e) {
    reportFsError(e, path, diags);
    return undefined;
  }
  return { bytes, stamp };
}

export function decodeSource(bytes: Uint8Array, absPath: string, path: string, diags: Diagnostics, kind: TextKind = 'yaml'): SourceFile | undefined {
  // UTF-16 (what Windows tools call "Unicode") holds a NUL in every ASCII character.
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 || bytes.includes(0)) {
    diags.error('not-text', utf16 ? `${path} is UTF-16 text; sro-policy reads UTF-8` : `${path} is a binary file, not ${KIND_WORDS[kind].text}`, {
      file: path,
      hint: utf16 ? 'Save the file as UTF-8 (most editors offer "UTF-8" in Save As; Notepad calls UTF-16 "Unicode").' : 'Save the file as plain UTF-8 text.',
    });
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    // Show where: decode leniently (bad bytes become U+FFFD) so the reporter can
    // give the line and column of the first character that is not UTF-8.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const at = firstInvalid(lenient, bytes);
    diags.addSource(path, lenient);
    diags.error('not-text', `${path} is not valid UTF-8 text`, {
      file: path,
      ...(at === undefined ? {} : { range: [at, at + 1] as const }),
      hint: 'The file was probably saved as Latin-1 or Windows-1252. Save it as UTF-8 (most editors offer "UTF-8" in Save As).',
    });
    return undefined;
  }
  // TextDecoder already drops a leading BOM, so offsets match what editors show.
  diags.addSource(path, text);
  return { path, absPath, text };
}

export function reportFsError(e: unknown, path: string, diags: Diagnostics): void {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') {
    diags.error('file-not-found', `${path} does not exist`, { file: path, hint: 'Check the spelling and the folder you run the command from.' });
  } else if (code === 'EACCES' || code === 'EPERM') {
    diags.error('unreadable', `${path} cannot be read (permission denied)`, { file: path, hint: 'Ask for read access to the file or copy it somewhere you can read.' });
  } else if (code === 'EISDIR') {
    diags.error('not-a-file', `${path} is a folder, not a file`, { file: path });
  } else if (code === 'ELOOP') {
    diags.error('unreadable', `${path} cannot be read: it is a symbolic link that leads back to itself`, {
      file: path,
      hint: 'Point the link at the real file, or replace it with the file.',
    });
  } else if (code === 'ENOTDIR') {
    diags.error('file-not-found', `${path} does not exist: part of its path is a file, not a folder`, { file: path, hint: 'Check each folder name in the path.' });
  } else {
    // Node's own message repeats the absolute path and the system call; the code is enough.
    diags.error('unreadable', `${path} cannot be read (${code ?? (e as Error)?.message ?? String(e)})`, { file: path });
  }
}

/** Offset in the leniently decoded text of the first byte sequence that is not UTF-8. */
function firstInvalid(lenient: string, bytes: Uint8Array): number | undefined {
  // The decoder drops a leading byte order mark from the text but not from the bytes.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = lenient.indexOf('\uFFFD'); i >= 0; i = lenient.indexOf('\uFFFD', i + 1)) {
    // Up to the first bad byte, characters and bytes agree; a U+FFFD written as
    // EF BF BD in the file is a real character, not the error.
    const b = bom + Buffer.byteLength(lenient.slice(0, i));
    if (!(bytes[b] === 0xef && bytes[b + 1] === 0xbf && bytes[b + 2] === 0xbd)) return i;
  }
  return undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

/**
 * Read the templates of one format. Folders are searched in order, so a
 * district's own template folder overrides the defaults file by file.
 */
export function loadTemplates(
  folders: readonly string[],
  format: Format,
  kind: TemplateKind,
  cwd: string,
  diags: Diagnostics,
  /** Files already read (null: refused): the policy and index templates of a format share their partials. */
  seen: Map<string, SourceFile | null> = new Map(),
): { main?: TemplateSource; partials: Map<string, TemplateSource> } {
  const partials = new Map<string, TemplateSource>();
  // Read as the config and clause files are: UTF-8 only, at most MAX_FILE_BYTES, a regular file.
  const read = (path: string, name: string): TemplateSource | undefined => {
    let file = seen.get(path);
    if (file === undefined) {
      // A file refused once is reported once.
      file = loadText(path, displayPath(path, cwd), diags, 'template') ?? null;
      seen.set(path, file);
    }
    return file ? { name, file: file.path, text: file.text } : undefined;
  };
  const mainName = `${kind}.hbs`;
  let main: TemplateSource | undefined;
  for (const folder of folders) {
    const dir = join(folder, format);
    if (!main && existsSync(join(dir, mainName))) main = read(join(dir, mainName), kind);
    let names: string[];
    try {
      names = readdirSync(join(dir, 'partials')).filter((n) => n.endsWith('.hbs')).sort();
    } catch {
      names = [];
    }
    for (const n of names) {
      const name = n.slice(0, -4);
      if (partials.has(name)) continue;
      const t = read(join(dir, 'partials', n), name);
      if (t) partials.set(name, t);
    }
  }
  if (!main) {
    diags.error('template-missing', `No ${format}/${mainName} template in ${folders.map((f) => displayPath(f, cwd)).join(' or ')}`, {
      hint: 'A template folder holds md/policy.hbs and html/policy.hbs, and partials in md/partials/ and html/partials/.',
    });
  }
  return main ? { main, partials } : { partials };
}

export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

/** The clause files of a library folder, in name order (its library.yaml holds the library's settings, and is not one). */
export function listPolicyFiles(folder: string, cwd: string, diags: Diagnostics): string[] {
  try {
    const st = statSync(folder);
    if (!st.isDirectory()) {
      diags.error('not-a-folder', `The library ${displayPath(folder, cwd)} is not a folder`, {
        hint: 'Set "library:" (or the entry of "libraries:") to the folder that holds the policy .yaml files; it is relative to the config file.',
      });
      return [];
    }
    return readdirSync(folder)
      .filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.') && !/^library\.ya?ml$/i.test(n))
      .sort()
      .map((n) => join(folder, n));
  } catch (e) {
    // Say that it is the library that is missing: a bare "polices does not exist",
    // reported against a file that is not there, does not tell where to look.
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') {
      diags.error('file-not-found', `The library folder ${displayPath(folder, cwd)} does not exist`, {
        hint: 'Check "library:" (or "libraries:") in the config; the folder is relative to the config file.',
      });
    } else {
      reportFsError(e, displayPath(folder, cwd), diags);
    }
    return [];
  }
}

/** The samples a folder holds for import (text, HTML, Markdown), in name order; a file is itself. */
export function expandSamples(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
  } catch {
    // A missing file is reported when it is read.
    return [path];
  }
  return readdirSync(path)
    .filter((n) => /\.(?:txt|text|html?|md|markdown|docx)$/i.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(path, n));
}

/** The precompiled shipped templates; none (everything compiles at run time) when the file is missing or unreadable. */
export function loadPrecompiled(path: string): Record<string, PrecompiledSet> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, PrecompiledSet>;
  } catch {
    return {};
  }
}

/**
 * The project a config belongs to: the nearest folder above it that holds a
 * git repository (".git"), or the config's own folder.
 */
export function projectFolder(configPath: string): string {
  const start = dirname(configPath);
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return realPathOf(d);
    if (dirname(d) === d) return realPathOf(start);
  }
}

/** A path with every link in the part of it that exists resolved (the rest as it is). */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      return join(realpathSync(p), ...missing.reverse());
    } catch {
      if (dirname(p) === p) return resolve(path);
      missing.push(basename(p));
    }
  }
}

/** The nearest folder, from `start` up, that holds an entry called `name`. */
export function folderWith(start: string, name: string): string | undefined {
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, name))) return d;
    if (dirname(d) === d) return undefined;
  }
}
