/**
 * Which earned cookies go with a request, by the rules a browser applies (RFC 6265 §5.4): a
 * host-only cookie (stored domain without a leading dot, as the browser reports it) only to exactly
 * its host, a domain cookie (`.example.org`) to that domain and its subdomains but never to an IP
 * address by suffix; only under its path; a Secure one only over https; an expired one never.
 */
import type { EarnedCookie } from '../model.js';

/** The `name=value; …` Cookie header value for `url`, longer paths first (RFC 6265 §5.4 step 2); '' when none apply. */
export function cookieHeaderFor(cookies: readonly EarnedCookie[], url: URL, nowMs: number): string {
  return matchingCookies(cookies, url, nowMs)
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
}

/** The cookies that apply to `url` at `nowMs`, in sending order. */
export function matchingCookies(cookies: readonly EarnedCookie[], url: URL, nowMs: number): EarnedCookie[] {
  const host = url.hostname.toLowerCase();
  const path = url.pathname || '/';
  const secure = url.protocol === 'https:';
  return cookies
    .filter(
      (cookie) =>
        (cookie.expires === undefined || cookie.expires * 1000 > nowMs) &&
        (!cookie.secure || secure) &&
        domainApplies(cookie.domain, host) &&
        pathMatches(path, cookie.path || '/'),
    )
    .sort((a, b) => (b.path || '/').length - (a.path || '/').length);
}

/** RFC 6265 §5.1.3, with the host-only flag read from the stored domain (no leading dot). */
export function domainApplies(cookieDomain: string, host: string): boolean {
  const domain = cookieDomain.toLowerCase();
  if (!domain.startsWith('.')) return domain === host;
  const bare = domain.slice(1);
  if (bare === '') return false;
  if (host === bare) return true;
  return host.endsWith(`.${bare}`) && !isIpAddress(host);
}

/** RFC 6265 §5.1.4: the cookie's path is the request path or a directory prefix of it. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

// --- Internal helpers ---

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[');
}
