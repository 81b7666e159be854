/**
 * Store URLs may carry a namespace (`redis://127.0.0.1:6379?namespace=team-a`), so several
 * feedwright deployments can share one Redis without seeing each other's items.
 */

/** The store URL without its namespace parameter, and the namespace (default `feedwright`). */
export function splitStoreUrl(url: string): { url: string; namespace: string } {
  const match = /^([^?#]*)(?:\?([^#]*))?/.exec(url);
  const base = match?.[1] ?? url;
  const params = new URLSearchParams(match?.[2] ?? '');
  const namespace = params.get('namespace')?.trim() || 'feedwright';
  params.delete('namespace');
  const rest = params.toString();
  return { url: rest ? `${base}?${rest}` : base, namespace };
}

/** True for a store several processes share (Redis): workers queue fires and servers render from it. */
export function isSharedStore(url: string): boolean {
  return /^rediss?:\/\//i.test(splitStoreUrl(url).url);
}
