// read: the styles part of a district's Word file (output.docx.reference),
// read synchronously as the config is, with the zip library the Word pages
// are written with (loaded only when a config names such a file).
import { zipLib } from '../render/docx/lib.js';

/** A styles part is tens of kilobytes; anything past this is not one. */
const MAX_STYLES_XML = 16 * 1024 * 1024;

/** A Word file's styles part (word/styles.xml); undefined when the bytes are no Word file or have none. */
export function docxStyles(bytes: Uint8Array): string | undefined {
  try {
    const files = zipLib().unzipSync(bytes, { filter: (f) => f.name === 'word/styles.xml' && f.originalSize <= MAX_STYLES_XML });
    const styles = files['word/styles.xml'];
    return styles ? new TextDecoder().decode(styles) : undefined;
  } catch {
    return undefined;
  }
}
