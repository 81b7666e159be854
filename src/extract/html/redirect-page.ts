/**
 * A stub page that only sends the browser elsewhere (`<meta http-equiv="refresh" content="0;url=…">`
 * or a one-line `location.href = "…"` script), common where a portal moved its lists. Followed by
 * a browser without the reader noticing, it yields no items here: the error names the target so
 * the operator can point the source at it. Only consulted when a page yields nothing.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { ExtractError } from '../extract-error.js';
import { countVisible } from '../text/fold-text.js';

/** The error for a redirect stub, or undefined when the page is not one. */
export function redirectPageError(
  $: CheerioAPI,
  baseUrl: string,
  sourceId: string,
  selector?: string,
): ExtractError | undefined {
  const target = findRedirectTarget($);
  if (target === undefined) return undefined;
  const absolute = URL.canParse(target, baseUrl) ? new URL(target, baseUrl).href : target;
  return new ExtractError('EXTRACT_NO_CONTAINER', sourceId, 'the page only redirects the browser elsewhere', absolute, {
    selector,
    hint: `Set this source's \`url:\` to ${absolute} (the page the browser ends up on) and check the selectors there with \`feedwright preview\`.`,
  });
}

// --- Internal helpers ---

/** A refresh target, or a script that sets location to a literal URL in a page with little text. */
function findRedirectTarget($: CheerioAPI): string | undefined {
  for (const element of $('meta[http-equiv]').toArray()) {
    if ((element.attribs['http-equiv'] ?? '').toLowerCase() !== 'refresh') continue;
    const url = /url\s*=\s*['"]?([^'"\s;]+)/i.exec(element.attribs.content ?? '')?.[1];
    if (url) return url;
  }
  // A script redirect only counts on a page that shows next to nothing itself.
  const body = $('body').toArray()[0];
  if (body && hasMoreTextThan(body, MAX_STUB_TEXT)) return undefined;
  for (const script of $('script:not([src])').toArray()) {
    const match = LOCATION_ASSIGNMENT.exec($(script).text());
    if (match?.[1]) return match[1];
  }
  return undefined;
}

const MAX_STUB_TEXT = 200;

/**
 * True once the subtree's text (whitespace aside, scripts included as `.text()` counts them) exceeds
 * `limit`: an explicit stack that stops early, instead of building the whole text of a large page.
 */
function hasMoreTextThan(root: AnyNode, limit: number): boolean {
  const stack: AnyNode[] = [root];
  let count = 0;
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'text') {
      // Counted in place, stopping at the limit: a replace() of the whitespace copied the whole text,
      // and on a page of 10 MB of text it built an array of 1.8 million pieces first.
      count += countVisible((node as unknown as { data: string }).data, limit - count);
      if (count > limit) return true;
    } else if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i] as AnyNode);
  }
  return false;
}
const LOCATION_ASSIGNMENT =
  /(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*['"]([^'"]+)['"]/;
