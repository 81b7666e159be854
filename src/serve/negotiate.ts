/** HTTP negotiation for published files: content coding (Accept-Encoding) and conditional requests (RFC 9110). */
import type { CachedFile, Encoding } from './file-cache.js';

/** Picks br or gzip from an Accept-Encoding header (q-values and `*` honoured), or identity. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | 'identity' {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(token.trim(), q === undefined ? 1 : Number(q));
  }
  const wildcard = weights.get('*') ?? 0;
  const br = weights.get('br') ?? wildcard;
  const gzip = weights.get('gzip') ?? weights.get('x-gzip') ?? wildcard;
  // Prefer br on a tie: it is smaller for XML and JSON.
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

/**
 * True when the client's copy is current. If-None-Match wins over If-Modified-Since when both are
 * sent (RFC 9110 13.2.2); ETags compare weakly and any coding of this version counts as a match.
 */
export function isNotModified(
  headers: { 'if-none-match'?: string; 'if-modified-since'?: string },
  file: CachedFile,
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    const current = Object.values(file.etags);
    return tags.some((tag) => current.includes(tag));
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && file.lastModifiedMs <= since;
}
