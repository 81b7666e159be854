/** Choosing the headline link of a block when no `link:` or `title:` selector says which one. */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { readText } from './field-selector.js';

/**
 * The block's headline anchor: among `a[href]` with a followable href, the one with the longest
 * text (the first on ties), so a leading category tag (`[通知]`) or a trailing `详情>>` is not taken
 * for the headline. Falls back to the first `a[href]` when none is followable.
 */
export function pickHeadlineAnchor($: CheerioAPI, block: Element): Element | undefined {
  const anchors = block.name === 'a' && block.attribs.href !== undefined ? [block] : $(block).find('a[href]').toArray();
  let best: Element | undefined;
  let bestLength = -1;
  for (const anchor of anchors) {
    if (!isUsableHref(anchor.attribs.href)) continue;
    const text = readText(anchor) || anchor.attribs.title || '';
    const length = [...text].length;
    if (length > bestLength) {
      best = anchor;
      bestLength = length;
    }
  }
  return best ?? anchors[0];
}

/** False for hrefs that lead nowhere: empty, `#…`, `javascript:`. */
export function isUsableHref(href: string | undefined): boolean {
  const value = href?.trim().toLowerCase() ?? '';
  return value !== '' && !value.startsWith('#') && !value.startsWith('javascript:');
}
