/** Facts about an HTML page as a whole: title, language, icon, advertised feeds and its base URL. */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { PageInfo } from '../../model.js';
import { resolveLink } from '../url/canonicalize-url.js';
import { readText } from './field-selector.js';

/** Feed media types a page may advertise with `<link rel="alternate">` (not plain JSON/XML: those are oEmbed or APIs). */
const FEED_MEDIA_TYPES: ReadonlySet<string> = new Set([
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

/**
 * Reads title, `<html lang>`, icon, alternate feeds and `<base href>`. These live in `<head>`, so only
 * the head is walked (a whole-document CSS query costs as much as extracting every item); pages
 * without a head element are walked whole for the same elements.
 */
export function readPageFacts($: CheerioAPI, finalUrl: string): PageFacts {
  const nodes = collectHeadNodes($) ?? collectFactNodes($.root().toArray()[0] as AnyNode);
  let baseUrl = finalUrl;
  const base = nodes.find((node) => node.name === 'base' && node.attribs.href !== undefined);
  if (base) baseUrl = resolveLink(base.attribs.href, finalUrl) ?? finalUrl;
  const page: PageInfo = { alternateFeeds: [] };
  for (const node of nodes) readNode(node, baseUrl, page);
  return { page, baseUrl };
}

// --- Internal helpers ---

/** `<html>` plus the elements of `<head>` (descending into wrappers such as `<noscript>`); undefined without a head. */
function collectHeadNodes($: CheerioAPI): Element[] | undefined {
  const html = $.root()
    .children()
    .toArray()
    .find((node) => node.name === 'html');
  const head = html?.children.find((node): node is Element => node.type === 'tag' && (node as Element).name === 'head');
  if (!html || !head) return undefined;
  const out: Element[] = [html];
  const walk = (parent: Element): void => {
    for (const child of parent.children) {
      if (child.type !== 'tag') continue;
      out.push(child as Element);
      walk(child as Element);
    }
  };
  walk(head);
  return out;
}

/** Tags that may carry page facts; which of them do is up to {@link readNode}. */
const FACT_TAGS: ReadonlySet<string> = new Set(['html', 'title', 'base', 'link']);

/**
 * The elements of {@link FACT_TAGS} anywhere in the document, in page order: what the query
 * `html[lang], title, base[href], link[href][rel]` finds, from one walk with an explicit stack (a
 * head-less page may be megabytes of deeply nested elements, where css-select's matching of four
 * selectors against every element took 0.1-0.2 s of a 10 MB page).
 */
function collectFactNodes(root: AnyNode): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!('children' in node)) continue;
    if ('attribs' in node && FACT_TAGS.has((node as Element).name)) out.push(node as Element);
    const children = (node as Element).children;
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as AnyNode);
  }
  return out;
}

function readNode(node: Element, baseUrl: string, page: PageInfo): void {
  if (node.name === 'html') {
    if (node.attribs.lang === undefined) return;
    page.language = node.attribs.lang?.trim() || undefined;
  } else if (node.name === 'title') {
    // An <svg><title> inside the body must not replace the document title.
    if (page.title === undefined) page.title = readText(node) || undefined;
  } else if (node.name === 'link' && node.attribs.href !== undefined && node.attribs.rel !== undefined) {
    const rel = (node.attribs.rel ?? '').toLowerCase().split(/\s+/);
    const href = resolveLink(node.attribs.href, baseUrl);
    if (!href) return;
    if (rel.includes('icon') && page.icon === undefined) page.icon = href;
    const type = (node.attribs.type ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    if (
      rel.includes('alternate') &&
      FEED_MEDIA_TYPES.has(type) &&
      !page.alternateFeeds.some((feed) => feed.url === href)
    ) {
      const title = node.attribs.title?.trim();
      page.alternateFeeds.push(title ? { url: href, type, title } : { url: href, type });
    }
  }
}
