// The file names of a manual's pages.
import type { Edition, Format } from '../model/model.js';
import { numberSlug } from '../model/number.js';

/** File name of one policy's page. The district edition is the plain name. */
export function pageName(number: string, edition: Edition, format: Format | 'diff.md' | 'diff.html'): string {
  return `${numberSlug(number)}${edition === 'district' ? '' : `.${edition}`}.${format}`;
}

/** File name of the manual's index page in one format. */
export function indexName(edition: Edition, format: Format): string {
  return `index${edition === 'district' ? '' : `.${edition}`}.${format}`;
}
