/**
 * Which hosts a server redirect of the page's own navigation may lead to: the source's host (any
 * port or scheme, so http → https holds), the same name with or without `www.`, and the source's
 * subdomains. That covers how challenges and sites hop (www ↔ bare name, a `sso.` or `waf.`
 * subdomain) without a public-suffix list; anything else is another site and is refused.
 */

/** True when `target` (a hostname) is the source's hostname or one of its own, as described above. */
export function isSameSiteHost(sourceHostname: string, targetHostname: string): boolean {
  const source = siteName(sourceHostname);
  const target = siteName(targetHostname);
  if (source === '' || target === '') return false;
  return target === source || target.endsWith(`.${source}`);
}

// --- Internal helpers ---

/** Lower case, without a trailing dot, IPv6 brackets kept, and without one leading `www.`. */
function siteName(hostname: string): string {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name.startsWith('www.') && name.split('.').length > 2 ? name.slice(4) : name;
}
