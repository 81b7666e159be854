/** Facts about an HTML page as a whole: title, language, icon, advertised feeds and its base URL. */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { PageInfo } from '../../model.js';
import { resolveLink } from '../url/canonicalize-url.js';
import { readText } from './field-selector.js';

/** Feed media types a page may advertise with `<link rel="alternate">` (not plain JSON/XML: those are oEmbed or APIs). */
export const FEED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
]);

/** Page facts plus the URL relative links resolve against. */
export interface PageFacts {
  page: PageInfo;
  /** `<base href>` resolved against the final URL, or the final URL. */
  baseUrl: string;
}

/** Reads title, `<html lang>`, icon, alternate feeds and `<base href>` in one pass over the document. */
export function readPageFacts($: CheerioAPI, finalUrl: string): PageFacts {
  const nodes = $('html[lang], title, base[href], link[href][rel]').toArray();
  let baseUrl = finalUrl;
  const base = nodes.find((node) => node.name === 'base');
  if (base) baseUrl = resolveLink(base.attribs.href, finalUrl) ?? finalUrl;
  const page: PageInfo = { alternateFeeds: [] };
  for (const node of nodes) readNode(node, baseUrl, page);
  return { page, baseUrl };
}

// --- Internal helpers ---

function readNode(node: Element, baseUrl: string, page: PageInfo): void {
  if (node.name === 'html') {
    page.language = node.attribs.lang?.trim() || undefined;
  } else if (node.name === 'title') {
    // An <svg><title> inside the body must not replace the document title.
    if (page.title === undefined) page.title = readText(node) || undefined;
  } else if (node.name === 'link') {
    const rel = (node.attribs.rel ?? '').toLowerCase().split(/\s+/);
    const href = resolveLink(node.attribs.href, baseUrl);
    if (!href) return;
    if (rel.includes('icon') && page.icon === undefined) page.icon = href;
    const type = (node.attribs.type ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    if (rel.includes('alternate') && FEED_MEDIA_TYPES.has(type) && !page.alternateFeeds.some((feed) => feed.url === href)) {
      const title = node.attribs.title?.trim();
      page.alternateFeeds.push(title ? { url: href, type, title } : { url: href, type });
    }
  }
}
