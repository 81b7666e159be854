/** Parsing HTML with cheerio: the fast htmlparser2 back end by default, parse5 as the browser-exact fallback. */
import { load, type CheerioAPI } from 'cheerio';

/** Which parser built the tree. */
export type ParserMode = 'htmlparser2' | 'parse5';

/**
 * Parses an HTML page. htmlparser2 is about four times cheaper than parse5 but does not repair the tree
 * the way browsers do (most visibly: no implied `<tbody>`), so selectors copied from browser dev tools
 * are retried on a parse5 tree when they match nothing.
 */
export function loadDocument(html: string, mode: ParserMode = 'htmlparser2'): CheerioAPI {
  if (mode === 'parse5') return load(html);
  return load(html, { xml: { xmlMode: false, decodeEntities: true } });
}
