// The parse trees of the files a stage read, kept apart from the model: the
// stages after reading refer to places in files by JSON pointer (Place), and
// the Diagnostics that store their findings resolve those places here.
import type { Locate, Place, Range } from '../diagnostics/diagnostic.js';
import { spanAt, type ParsedFile } from './yaml.js';

/** The range of a place in a parsed file (see Place: a key, a value, or words inside a value). */
export function placeIn(parsed: ParsedFile, place: Place): Range {
  const span = place.span ?? spanAt(parsed, place.pointer, place.part);
  if (place.find === undefined || place.find === '') return span;
  const slice = parsed.file.text.slice(span[0], span[1]);
  const i = place.last ? slice.lastIndexOf(place.find) : slice.indexOf(place.find);
  return i < 0 ? span : [span[0] + i, span[0] + i + place.find.length];
}

/** Parse trees by the path diagnostics show their file under. */
export class SourceTrees {
  private readonly trees = new Map<string, ParsedFile>();

  add(parsed: ParsedFile): void {
    this.trees.set(parsed.file.path, parsed);
  }

  get(path: string): ParsedFile | undefined {
    return this.trees.get(path);
  }

  delete(path: string): void {
    this.trees.delete(path);
  }

  readonly locate: Locate = (file, place) => {
    const tree = this.trees.get(file);
    return tree ? placeIn(tree, place) : undefined;
  };
}
