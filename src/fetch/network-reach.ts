/**
 * Where a request may connect: a public source may not lead the worker into a private network.
 *
 * A source's own host is the operator's choice and always reachable. Any other host — a redirect
 * hop, a detail link, robots.txt of either, a rendered page's sub-request — may resolve to a
 * loopback, private or link-local address only when the source itself is on one (an intranet
 * source linking to its intranet), or when the source says `privateNetwork: allow`. Otherwise a
 * page, or whoever compromised it, could make a worker fetch `http://169.254.169.254/…` or an admin
 * page on `10.0.0.1` and publish what it found in a feed.
 *
 * The check is made where the address is chosen: the dispatcher for public reach resolves names
 * with a lookup that drops every non-public address before connecting, so a name that resolves
 * differently a second time (DNS rebinding) cannot slip past an earlier check. Literal addresses and
 * `localhost` are refused before the request is even queued. Through a proxy the proxy connects,
 * so the name is resolved here first and checked (the proxy may resolve it again: the check is then
 * only as good as that both resolvers agree).
 */
import { ADDRCONFIG, lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { FetchPolicy } from '../model.js';
import { isLoopbackName, isPublicAddress, literalAddress } from './address-scope.js';
import { FetchFailureSignal } from './fetch-error.js';

/** `any`: every address; `public`: public addresses only. */
export type Reach = 'any' | 'public';

/** Resolves a host name to all of its addresses (dns.lookup with `all: true` by default). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

/** Test seams: the resolver and what counts as a public address. */
export interface NetworkSeams {
  resolveHost?: ResolveHost;
  isPublicAddress?: (address: string) => boolean;
}

/** Decides each request's reach and provides the lookups that enforce it. */
export interface NetworkReach {
  /**
   * The reach of a request to `url` made for the source at `sourceUrl`; throws a private-address
   * FetchFailureSignal when the URL names a non-public address the source may not reach (or, when
   * `resolveFirst`, resolves only to such addresses: a client whose connect we do not control).
   */
  reachFor(url: URL, sourceUrl: string, policy: FetchPolicy, options?: { resolveFirst?: boolean }): Promise<Reach>;
  /** The lookup a dispatcher of this reach connects with. */
  lookupFor(reach: Reach): LookupFunction;
}

/** Creates the reach rules of one fetcher. */
export function createNetworkReach(seams: NetworkSeams = {}): NetworkReach {
  const resolveHost = seams.resolveHost ?? resolveWithDns;
  const isPublic = seams.isPublicAddress ?? isPublicAddress;
  /** Host names seen resolving to at least one non-public address (true) or only public ones. */
  const privateNames = new Map<string, boolean>();
  const remember = (hostname: string, addresses: LookupAddress[]) => {
    if (privateNames.size >= MAX_REMEMBERED_NAMES) privateNames.clear();
    privateNames.set(
      hostname,
      addresses.some((entry) => !isPublic(entry.address)),
    );
  };

  const isPrivateHost = async (hostname: string): Promise<boolean> => {
    const literal = literalAddress(hostname);
    if (literal !== undefined) return !isPublic(literal);
    if (isLoopbackName(hostname)) return true;
    const known = privateNames.get(hostname);
    if (known !== undefined) return known;
    try {
      remember(hostname, await resolveHost(hostname));
    } catch {
      // Unresolvable here (a proxy may resolve it): not known to be private.
      return false;
    }
    return privateNames.get(hostname) ?? false;
  };

  /** The last source URL asked about and its host name: a source's hops ask in a row. */
  let lastSource: { url: string; hostname: string | undefined } = { url: '', hostname: undefined };

  /**
   * The non-public addresses a name resolves to, for a client that connects by itself. A rendered
   * page asks about the same few hosts (its CDN, its API) on every render: a verdict is kept for a
   * minute, which also spares each render a DNS round trip per host before Chromium's own.
   */
  const verdicts = new Map<string, { blocked: string[]; until: number }>();
  const resolvedBlocked = async (hostname: string): Promise<string[]> => {
    const kept = verdicts.get(hostname);
    if (kept && kept.until > Date.now()) return kept.blocked;
    let addresses: LookupAddress[] = [];
    try {
      addresses = await resolveHost(hostname);
    } catch {
      // The client resolves it itself (or fails to): nothing known to refuse.
    }
    remember(hostname, addresses);
    const blocked = addresses.filter((entry) => !isPublic(entry.address)).map((entry) => entry.address);
    if (verdicts.size >= MAX_REMEMBERED_NAMES) verdicts.clear();
    verdicts.set(hostname, { blocked, until: Date.now() + VERDICT_TTL_MS });
    return blocked;
  };

  const refuse = (url: URL, addresses: string[]): never => {
    throw new FetchFailureSignal({ kind: 'private-address', host: url.hostname, addresses });
  };

  const anyLookup = createLookup(resolveHost, (hostname, addresses) => {
    remember(hostname, addresses);
    return addresses;
  });
  const publicLookup = createLookup(resolveHost, (hostname, addresses) => {
    remember(hostname, addresses);
    const allowed = addresses.filter((entry) => isPublic(entry.address));
    if (allowed.length === 0) {
      const names = addresses.map((entry) => entry.address);
      throw new FetchFailureSignal({ kind: 'private-address', host: hostname, addresses: names });
    }
    return allowed;
  });

  return {
    async reachFor(url, sourceUrl, policy, options = {}) {
      if (policy.privateNetwork === 'allow') return 'any';
      if (sourceUrl !== lastSource.url) lastSource = { url: sourceUrl, hostname: hostnameOf(sourceUrl) };
      const sourceHostname = lastSource.hostname;
      if (sourceHostname === undefined || url.hostname === sourceHostname) return 'any';
      if (await isPrivateHost(sourceHostname)) return 'any';
      const literal = literalAddress(url.hostname);
      if (literal !== undefined && !isPublic(literal)) refuse(url, [literal]);
      if (isLoopbackName(url.hostname)) refuse(url, ['loopback']);
      if (options.resolveFirst && literal === undefined) {
        const blocked = await resolvedBlocked(url.hostname);
        // The client may pick any of the addresses: one private address is enough to refuse.
        if (blocked.length > 0) refuse(url, blocked);
      }
      return 'public';
    },
    lookupFor: (reach) => (reach === 'public' ? publicLookup : anyLookup),
  };
}

// --- Internal helpers ---

/** Bound on remembered names; a worker sees a few per source. */
const MAX_REMEMBERED_NAMES = 10_000;
/** How long a resolved verdict for a client that connects by itself is kept. */
const VERDICT_TTL_MS = 60_000;

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function resolveWithDns(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    // ADDRCONFIG as net.connect's own lookup asks: no IPv6 addresses on a machine without IPv6.
    dnsLookup(hostname, { all: true, hints: ADDRCONFIG }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });
}

/**
 * A `net.connect` lookup that resolves with `resolveHost`, passes the addresses through `screen`
 * (which may throw to refuse), and answers in the shape the caller asked for (`all` or one address).
 */
function createLookup(
  resolveHost: ResolveHost,
  screen: (hostname: string, addresses: LookupAddress[]) => LookupAddress[],
): LookupFunction {
  return (hostname, options, callback) => {
    resolveHost(hostname).then(
      (resolved) => {
        let addresses: LookupAddress[];
        try {
          const family = options.family === 4 || options.family === 6 ? options.family : 0;
          const wanted = family === 0 ? resolved : resolved.filter((entry) => entry.family === family);
          if (wanted.length === 0)
            throw Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' });
          addresses = screen(hostname, wanted);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 0);
          return;
        }
        if (options.all) (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
