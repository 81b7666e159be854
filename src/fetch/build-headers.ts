/**
 * Request headers for one hop: identity (User-Agent), what we accept, conditional validators,
 * and the source's own headers and cookies. Credentials (Cookie, Authorization) go only to the
 * source's own origin, so a redirect to another site does not leak them; cookies a browser earned
 * go wherever they apply by the cookie rules (domain, path, Secure, expiry), as a browser sends them.
 */
import type { FetchPolicy, FetchValidators } from '../model.js';
import { cookieHeaderFor } from './match-cookies.js';
import { ACCEPTED_ENCODINGS } from './read-body.js';

/** Everything that decides one hop's headers. */
export interface HeaderInput {
  policy: FetchPolicy;
  purpose: 'page' | 'detail' | 'robots';
  validators?: FetchValidators;
  /** False when a redirect has left the source's origin. */
  sameOrigin: boolean;
  /** The hop's URL and the time, for the earned cookies that apply to it. */
  url: URL;
  nowMs: number;
}

/** Builds lower-case request headers for one hop. */
export function buildRequestHeaders(input: HeaderInput): Record<string, string> {
  const { policy } = input;
  const headers: Record<string, string> = {
    'user-agent': policy.userAgent,
    accept: ACCEPT[input.purpose],
    'accept-encoding': ACCEPTED_ENCODINGS,
  };
  for (const [name, value] of Object.entries(policy.headers)) {
    const key = name.toLowerCase();
    if (input.sameOrigin || !CREDENTIAL_HEADERS.has(key)) headers[key] = value;
  }
  const cookie = [
    input.sameOrigin ? formatCookies(policy.cookies) : '',
    cookieHeaderFor(policy.earnedCookies ?? [], input.url, input.nowMs),
  ]
    .filter(Boolean)
    .join('; ');
  if (cookie) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookie}` : cookie;
  if (input.purpose !== 'robots') addValidators(headers, input.validators);
  return headers;
}

// --- Internal helpers ---

const ACCEPT: Record<HeaderInput['purpose'], string> = {
  page: 'text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml,application/atom+xml,application/feed+json,application/json;q=0.8,*/*;q=0.5',
  detail: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
  robots: 'text/plain,*/*;q=0.5',
};

const CREDENTIAL_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

function formatCookies(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

/** ETag is sent as If-None-Match and Last-Modified as If-Modified-Since; servers give ETag precedence (RFC 9110 §13.2.2). */
function addValidators(headers: Record<string, string>, validators: FetchValidators | undefined): void {
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
}
