/**
 * A page that shows its list inside a frame: older portals put a column's list in an `<iframe
 * src="list.jsp?…">` (or a `<frameset>`), so the page itself holds no rows and a browser shows them
 * without the reader noticing. The error names the framed pages, so the operator can point the source
 * at the one with the list. Only consulted when automatic detection finds no list (a configured
 * selector that matches nothing more likely means a changed layout).
 */
import type { CheerioAPI } from 'cheerio';
import { ExtractError } from '../extract-error.js';

/** The error for a page whose content is framed, or undefined when it frames no page. */
export function framedPageError($: CheerioAPI, baseUrl: string, sourceId: string): ExtractError | undefined {
  const framed = findFramedPages($, baseUrl);
  if (framed.length === 0) return undefined;
  const shown = framed.slice(0, MAX_NAMED);
  const more = framed.length > shown.length ? ` and ${framed.length - shown.length} more` : '';
  return new ExtractError(
    'EXTRACT_NO_CONTAINER',
    sourceId,
    `no list in the page itself; it shows ${framed.length === 1 ? 'another page' : `${framed.length} other pages`} in a frame`,
    `${shown.join(', ')}${more}`,
    {
      hint: `The list is likely in a framed page: set this source's \`url:\` to ${shown.length === 1 ? shown[0] : 'the one holding it'} and check it with \`feedwright preview\`.`,
    },
  );
}

// --- Internal helpers ---

const MAX_NAMED = 3;

/** Absolute http(s) addresses of the page's frames, same-site ones first, players and maps left out. */
function findFramedPages($: CheerioAPI, baseUrl: string): string[] {
  const base = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  const found: string[] = [];
  for (const frame of $('iframe[src], frame[src]').toArray()) {
    const src = (frame.attribs.src ?? '').trim();
    if (src === '' || !URL.canParse(src, baseUrl)) continue;
    const url = new URL(src, baseUrl);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || NOT_A_LIST.test(url.href)) continue;
    url.hash = '';
    if (!found.includes(url.href) && url.href !== base?.href) found.push(url.href);
  }
  const sameSite = (href: string) => base !== undefined && new URL(href).hostname === base.hostname;
  return [...found.filter(sameSite), ...found.filter((href) => !sameSite(href))];
}

/** Frames that hold a player, a map, a document or a widget, never a list of headlines. */
const NOT_A_LIST =
  /\.(?:pdf|docx?|xlsx?|mp4|webm|mp3|swf|png|jpe?g|gif|svg)(?:[?#]|$)|youtube\.com|youtu\.be|player\.|vimeo\.com|bilibili\.com\/player|map\.|maps\.google|\/maps\/|googletagmanager|doubleclick|facebook\.com\/plugins|weibo\.com\/widget/i;
