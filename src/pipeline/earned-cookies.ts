/**
 * Cookies a browser earned on a host (a passed challenge): read back for a plain fetch, written after
 * a render that followed a challenge. Kept until the last of them expires; a record of session
 * cookies only is kept {@link SESSION_COOKIES_MS}.
 */
import { toAppError } from '../errors.js';
import type { EarnedCookie, FetchPolicy, HostCookies } from '../model.js';
import type { PipelineDeps } from './deps.js';

/** How long cookies without an expiry (session cookies) are kept. */
export const SESSION_COOKIES_MS = 12 * 60 * 60 * 1000;
/** The longest any earned cookie is kept. */
const MAX_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** The host's earned cookies that are still valid, or undefined. */
export async function readEarnedCookies(deps: PipelineDeps, host: string): Promise<EarnedCookie[] | undefined> {
  const record = await deps.store.readHostCookies(host);
  if (!record || Date.parse(record.expiresAt) <= deps.now().getTime()) return undefined;
  const nowSeconds = deps.now().getTime() / 1000;
  const live = record.cookies.filter((cookie) => cookie.expires === undefined || cookie.expires > nowSeconds);
  return live.length > 0 ? live : undefined;
}

/** Keeps what a render earned; a store failure only costs the next run a browser start, so it is a warning. */
export async function keepEarnedCookies(
  deps: PipelineDeps,
  sourceId: string,
  host: string,
  cookies: EarnedCookie[],
  challenge: string | undefined,
): Promise<string | undefined> {
  if (cookies.length === 0) return undefined;
  const now = deps.now().getTime();
  const latest = Math.max(...cookies.map((cookie) => (cookie.expires === undefined ? 0 : cookie.expires * 1000)));
  const expiresAt = Math.min(latest > now ? latest : now + SESSION_COOKIES_MS, now + MAX_KEEP_MS);
  const record: HostCookies = {
    host,
    cookies,
    earnedAt: new Date(now).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    ...(challenge ? { challenge } : {}),
  };
  try {
    await deps.store.writeHostCookies(record, expiresAt - now);
    return undefined;
  } catch (error) {
    return `browser: the cookies earned on ${host} were not kept (${toAppError(error, sourceId).message}); the next run renders again`;
  }
}

/**
 * The policy with earned cookies added (the source's own `cookies:` win on a name clash); the fetch
 * stage sends each only to the URLs it applies to, by domain, path, Secure and expiry.
 */
export function withEarnedCookies(policy: FetchPolicy, cookies: EarnedCookie[] | undefined): FetchPolicy {
  if (!cookies) return policy;
  const earnedCookies = cookies.filter((cookie) => !Object.hasOwn(policy.cookies, cookie.name));
  return { ...policy, earnedCookies };
}

/** The source's configured cookies as browser cookies for its host. */
export function configuredCookies(policy: FetchPolicy, url: URL): EarnedCookie[] {
  return Object.entries(policy.cookies).map(([name, value]) => ({
    name,
    value,
    domain: url.hostname,
    path: '/',
    httpOnly: false,
    secure: url.protocol === 'https:',
  }));
}
