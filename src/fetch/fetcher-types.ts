/**
 * The fetcher's public contract and the dependencies its parts share.
 */
import type { Dispatcher } from 'undici';
import type { Logger } from '../log.js';
import type { FetchPolicy, FetchRequest, FetchResult } from '../model.js';
import type { HostGate, HostTurn } from './host-gate.js';
import type { NetworkReach, NetworkSeams, Reach } from './network-reach.js';
import type { RobotsCache, RobotsLoad } from './robots-cache.js';
import type { RedisScripts } from './shared-politeness.js';

/** Options for createFetcher. */
export interface FetcherOptions {
  /** Global limit on requests in flight across all hosts (default 16). */
  concurrency?: number;
  /** Injected clock and sleep for tests (defaults: Date.now / setTimeout). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Random source for jitter (default Math.random). */
  random?: () => number;
  logger?: Logger;
  /** Proxy variables to use instead of process.env (HTTP_PROXY, HTTPS_PROXY, NO_PROXY). */
  env?: NodeJS.ProcessEnv;
  /**
   * Workers sharing a Redis store: per-host limits, spacing, Retry-After pauses and robots.txt
   * downloads held in Redis under `prefix`, so they hold across every worker.
   */
  shared?: { redis: RedisScripts; prefix: string };
  /** Test seams for the private-network rule: the resolver and what counts as a public address. */
  network?: NetworkSeams;
}

/** Counters since the fetcher was created. */
export interface FetcherStats {
  /** HTTP requests sent, including retries, redirects and robots.txt. */
  requests: number;
  /** Bytes received over the wire (before decompression). */
  bytes: number;
  retries: number;
  /** Results that were not-modified (HTTP 304 or same body). */
  notModified: number;
  robotsFetches: number;
}

/** Fetches source pages politely; one instance is shared by every source of a process. */
export interface Fetcher {
  /** Fetches one URL under the request's policy; throws FetchError on failure. */
  fetch(request: FetchRequest): Promise<FetchResult>;
  /**
   * Milliseconds until a request to this host (`URL.host`, with the port) could start without
   * waiting for the host's spacing (0 when now): lets a pass start another host's source instead
   * of holding a slot.
   */
  turnIn?(host: string): number;
  /**
   * Politeness for a page another client loads (the headless browser's top-level navigation):
   * robots.txt and the host's turn exactly as for a fetch. Resolves with the turn: the client calls
   * its `sent()` once the request is out (or when the answer arrives, if it cannot see the send), so the
   * host's next turn counts from then, and calls the turn to end it. Throws FetchError (FETCH_ROBOTS
   * when disallowed).
   */
  admit?(request: FetchRequest): Promise<HostTurn>;
  /**
   * Whether a client that connects by itself (the headless browser's sub-requests) may send this
   * request: false for a private-network host its source may not reach. Never throws.
   */
  mayReach?(request: FetchRequest): Promise<boolean>;
  /** Loads what a fetch of this request needs first (robots.txt); never throws. */
  prepare?(request: FetchRequest): Promise<void>;
  /** A snapshot of the counters. */
  stats(): FetcherStats;
  /** Closes idle and active connections; later fetches fail. */
  close(): Promise<void>;
}

/** What the parts of one fetch share (internal to the fetch stage). */
export interface FetcherDeps {
  gate: HostGate;
  robots: RobotsCache;
  /** Shared mode: robots.txt downloads go through Redis so one worker's download serves all. */
  shareRobots?: (robotsUrl: string, download: () => Promise<RobotsLoad>) => Promise<RobotsLoad>;
  /** Where requests may connect (a public source's hops and links: public addresses only). */
  network: NetworkReach;
  /** A proxy connects to the sites: public reach is checked by resolving names first. */
  proxied: boolean;
  dispatcherFor(policy: FetchPolicy, reach: Reach): Dispatcher;
  now(): number;
  random(): number;
  logger: Logger;
  stats: FetcherStats;
}

/** Per-fetch counters (internal). */
export interface FetchTrace {
  requests: number;
  /** Time spent waiting at the politeness gate, summed over the fetch's requests. */
  waitMs: number;
}
