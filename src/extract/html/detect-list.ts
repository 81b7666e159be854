/**
 * Seam for automatic list detection (a later issue): given a parsed page, propose the selectors of the
 * repeated headline block. Until that lands it finds nothing, and a source without `items:` fails with
 * EXTRACT_NO_CONTAINER and a hint to configure it.
 */
import type { CheerioAPI } from 'cheerio';
import type { ChosenSelectors } from '../../model.js';

/** Proposes selectors for the page's headline list; undefined when none is found. */
export function detectListSelectors($: CheerioAPI): ChosenSelectors | undefined {
  void $; // Automatic detection is not implemented yet; the parameter is the contract the later work fills in.
  return undefined;
}
