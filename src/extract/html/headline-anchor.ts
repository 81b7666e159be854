/** Choosing the headline link of a block when no `link:` or `title:` selector says which one. */
import type { Element } from 'domhandler';
import { readText } from './field-selector.js';
import { ROUTE_AFTER_HASH } from '../url/canonicalize-url.js';

/**
 * The block's headline anchor: among `a[href]` with a followable href, one inside (or wrapping) a
 * heading `h1`–`h6` when there is one (a card's or a post's title, not a `Read more` or `Posted on`
 * link, nor a long inline link in its text); otherwise the one with the longest text (the first on
 * ties), so a leading category tag (`[通知]`) or a trailing `详情>>` is not taken for the headline.
 * Falls back to the first `a[href]` when none is followable.
 */
export function pickHeadlineAnchor(block: Element): Element | undefined {
  const anchors = block.name === 'a' && block.attribs.href !== undefined ? [block] : findAnchors(block);
  let best: Element | undefined;
  let bestLength = -1;
  let bestHeaded = false;
  for (const anchor of anchors) {
    if (!isUsableHref(anchor.attribs.href)) continue;
    const text = readText(anchor) || anchor.attribs.title || '';
    const length = text.length;
    const headed = length >= MIN_HEADING_TITLE && isHeadingLink(anchor, block);
    if ((headed && !bestHeaded) || (headed === bestHeaded && length > bestLength)) {
      best = anchor;
      bestLength = length;
      bestHeaded = headed;
    }
  }
  return best ?? anchors[0];
}

/** True for a link inside a heading (up to the block) or holding one. */
export function isHeadingLink(anchor: Element, block: Element): boolean {
  for (let node: Element | null = anchor; node && node !== block; node = parentElement(node)) {
    if (HEADINGS.has(node.name)) return true;
  }
  return findHeading(anchor) !== undefined;
}

/**
 * The first heading inside a node: an `h1`–`h6`, or an element named as a title (`<header
 * class="tp_title">`, `<div class="title">`, `itemprop="headline"`).
 */
export function findHeading(node: Element): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (isTitleElement(element)) return element;
    const deeper = findHeading(element);
    if (deeper) return deeper;
  }
  return undefined;
}

function isTitleElement(element: Element): boolean {
  if (HEADINGS.has(element.name)) return true;
  const itemprop = element.attribs.itemprop;
  if (itemprop === 'headline' || itemprop === 'name') return true;
  const className = element.attribs.class;
  // Most elements of a page have no class: nothing to split (the walks above visit every element).
  if (!className) return false;
  const names = className.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return names !== '' && names.split(/[\s_-]+/).some((part) => TITLE_WORDS.has(part));
}

const TITLE_WORDS = new Set(['title', 'headline', 'heading']);

/** The `a[href]` element a node is, or is inside of (up to, not beyond, `limit`). */
export function findEnclosingAnchor(node: Element, limit: Element): Element | undefined {
  let current: Element | null = node;
  while (current) {
    if (current.name === 'a' && current.attribs.href !== undefined) return current;
    if (current === limit) return undefined;
    current = current.parent && 'attribs' in current.parent ? (current.parent as Element) : null;
  }
  return undefined;
}

/** Every `a[href]` under a node, in document order (a tree walk: cheaper than a CSS query per block). */
export function findAnchors(node: Element): Element[] {
  const out: Element[] = [];
  const walk = (parent: Element): void => {
    for (const child of parent.children) {
      if (child.type !== 'tag') continue;
      const element = child as Element;
      if (element.name === 'a' && element.attribs.href !== undefined) out.push(element);
      walk(element);
    }
  };
  walk(node);
  return out;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Shortest heading link text preferred over a longer plain link (a one-letter icon heading is not a title). */
const MIN_HEADING_TITLE = 4;

function parentElement(node: Element): Element | null {
  return node.parent && 'attribs' in node.parent ? (node.parent as Element) : null;
}

/** False for hrefs that lead nowhere: empty, `#…` (but for a route, `#/news/12`: see isRouteFragment), `javascript:`. */
export function isUsableHref(href: string | undefined): boolean {
  // One test, no trimmed or lower-cased copy: list detection asks this of every link on the page.
  return href !== undefined && !UNUSABLE_HREF.test(href);
}

const UNUSABLE_HREF = new RegExp(String.raw`^\s*(?:$|#(?!${ROUTE_AFTER_HASH})|javascript:)`, 'i');
