/** Choosing the headline link of a block when no `link:` or `title:` selector says which one. */
import type { Element } from 'domhandler';
import { readText } from './field-selector.js';

/**
 * The block's headline anchor: among `a[href]` with a followable href, the one with the longest
 * text (the first on ties), so a leading category tag (`[通知]`) or a trailing `详情>>` is not taken
 * for the headline. Falls back to the first `a[href]` when none is followable.
 */
export function pickHeadlineAnchor(block: Element): Element | undefined {
  const anchors = block.name === 'a' && block.attribs.href !== undefined ? [block] : findAnchors(block);
  let best: Element | undefined;
  let bestLength = -1;
  for (const anchor of anchors) {
    if (!isUsableHref(anchor.attribs.href)) continue;
    const text = readText(anchor) || anchor.attribs.title || '';
    const length = text.length;
    if (length > bestLength) {
      best = anchor;
      bestLength = length;
    }
  }
  return best ?? anchors[0];
}

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

/** False for hrefs that lead nowhere: empty, `#…`, `javascript:`. */
export function isUsableHref(href: string | undefined): boolean {
  const value = href?.trim().toLowerCase() ?? '';
  return value !== '' && !value.startsWith('#') && !value.startsWith('javascript:');
}
