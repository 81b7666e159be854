/**
 * Link handling: resolving what a page or feed links to, and the canonical form of a URL that the
 * store uses for identity (tracking parameters and fragments removed, route fragments kept).
 */

/** Query parameters that only track the visit and never select content. */
const TRACKING_PARAMETERS: ReadonlySet<string> = new Set([
  'spm',
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'from',
  'scene',
  'srcid',
  'sharer_sharetime',
  'sharer_shareid',
  'share_token',
  'isappinstalled',
  'wfr',
  'ref_src',
  'ref_url',
  '_ga',
  '_gl',
  'vd_source',
  'share_source',
  'share_medium',
  // Sessions (a site that cannot set its cookie writes it into every link, another one each visit).
  'jsessionid',
  'phpsessid',
  'sessionid',
  'aspsessionid',
  'cfid',
  'cftoken',
]);

/**
 * A session written into the path: Java's `;jsessionid=…` path parameter, ASP.NET's cookieless
 * `/(S(…))/` segment. Java portals (many government sites) add it to every link for a client without
 * their cookie, a new one each visit: kept in identity, every item of the page came back as new.
 */
const SESSION_IN_PATH = /;jsessionid=[^/;?#]*|\/\((?:[A-Z]\([\w-]*\))+\)(?=\/)/gi;

/**
 * Canonical form of a URL for identity: no tracking parameters nor session (see SESSION_IN_PATH),
 * lowercase host, no default port, and
 * no fragment unless the fragment is a route (`#/news/12`, `#!/news/12`): in a page whose script
 * routes on the fragment (Vue or Angular hash routing, common on government sites) it names the
 * article, and without it every article of the site would be one item.
 */
export function canonicalizeUrl(url: string): string {
  const parsed = parseUrl(url.trim());
  // Not an absolute URL: there is nothing to normalise, and identity falls back to the text as given.
  if (!parsed) return url.trim();
  if (!isRouteFragment(parsed.hash)) parsed.hash = '';
  const path = parsed.pathname.replace(SESSION_IN_PATH, '');
  if (path !== parsed.pathname) parsed.pathname = path;
  const kept = [...parsed.searchParams].filter(([name]) => !isTrackingParameter(name));
  if (kept.length !== [...parsed.searchParams].length) {
    parsed.search = kept.length === 0 ? '' : `?${new URLSearchParams(kept).toString()}`;
  }
  // WHATWG URL already lowercases the host and drops the scheme's default port.
  return parsed.href.replace(/\?$/, '');
}

/** {@link canonicalizeUrl} for a URL already normalised by {@link resolveLink} (cheap when it has no query or fragment). */
export function canonicalizeResolvedUrl(href: string): string {
  return MAY_CHANGE.test(href) ? canonicalizeUrl(href) : href;
}

/** What canonical form can remove: a query, a fragment, a session in the path. */
const MAY_CHANGE = /[?#;]|\/\([A-Z]\(/i;

/**
 * Resolves a link found on a page against the page's base URL. Returns undefined for anything a
 * reader could not follow: empty, `#…` only, `javascript:`, `mailto:` and other non-http(s) schemes.
 * Pass the base as a URL object when resolving many links against it (saves re-parsing it each time).
 */
export function resolveLink(href: string | undefined, base: string | URL): string | undefined {
  // Browsers strip tabs and newlines inside URLs and trim surrounding spaces; so do we.
  const cleaned = href?.replace(/[\t\n\r]/g, '').trim();
  // `#…` alone points into the page itself, except a route (`#/news/12`), which the page's script opens.
  if (!cleaned || (cleaned.startsWith('#') && !isRouteFragment(cleaned))) return undefined;
  const resolved = parseUrl(cleaned, base) ?? parseUrl(cleaned);
  if (!resolved) return undefined;
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return undefined;
  // Real links stay under a few kilobytes; one of megabytes would be copied into every feed.
  return resolved.href.length > MAX_LINK_CHARS ? undefined : resolved.href;
}

/** Longest link kept (four times what old browsers accepted); a longer one is no link. */
export const MAX_LINK_CHARS = 8192;

/** A fragment (with its `#`) that a script routes on: `#/path` or `#!/path` (or `#!path`). */
export function isRouteFragment(fragment: string): boolean {
  return ROUTE_FRAGMENT.test(fragment);
}

/** What follows the `#` of a route, as regular-expression source (isUsableHref builds on it too). */
export const ROUTE_AFTER_HASH = String.raw`!?\/.|![^/]`;
const ROUTE_FRAGMENT = new RegExp(`^#(?:${ROUTE_AFTER_HASH})`);

// --- Internal helpers ---

/** Parses a URL; undefined when it is not one (an unusable link is as good as no link). */
function parseUrl(input: string, base?: string | URL): URL | undefined {
  try {
    return new URL(input, base);
  } catch (error) {
    // TypeError "Invalid URL" is the expected answer for text that is no URL; nothing else is thrown here.
    if (error instanceof TypeError) return undefined;
    throw error;
  }
}

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMETERS.has(lower);
}
