/**
 * A server redirect handed to the browser as a navigation the page makes itself. playwright-core
 * does not route the hops of a redirect (it lets Chromium follow them unseen), so a 3xx fulfilled as
 * it is would send the next hop past robots.txt and the host's turn. Instead the guard answers the
 * 3xx request with this small document: it carries the redirect's Set-Cookie headers (so a challenge
 * that sets its cookie on the 302 still works) and replaces itself with the target, a new top-level
 * navigation that goes through the guard like the first one.
 */

/** Marks the bridge's DOM, so it is never taken for the page or a challenge stub. */
export const BRIDGE_MARKER = 'feedwright-redirect-bridge';

/** The bridge document's status, headers and body for a redirect to `target`. */
export function redirectBridge(
  target: string,
  redirectHeaders: Record<string, string>,
): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
  // playwright-core joins several Set-Cookie headers with "\n" and splits them again when fulfilling.
  const setCookie = redirectHeaders['set-cookie'];
  if (setCookie) headers['set-cookie'] = setCookie;
  // A followed redirect sends no Referer of its own: the bridge must not become one.
  const body =
    `<!doctype html><html><head><meta name="referrer" content="no-referrer"><meta name="${BRIDGE_MARKER}">` +
    `<script>location.replace(${scriptString(target)});</script></head><body></body></html>`;
  return { status: 200, headers, body };
}

/** True for the DOM (or source) of a bridge document. */
export function isRedirectBridge(html: string): boolean {
  return html.includes(`<meta name="${BRIDGE_MARKER}">`);
}

// --- Internal helpers ---

/** A JavaScript string literal that cannot end the script element (`</script>` in a URL). */
function scriptString(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}
