/**
 * The fetcher factory: one shared keep-alive dispatcher, one politeness gate, one robots cache
 * and the counters, shared by every fetch of the process.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { createSilentLogger } from '../log.js';
import type { FetchPolicy } from '../model.js';
import { admitNavigation } from './admit-navigation.js';
import { classifyFailure } from './classify-error.js';
import { createDispatcher, usesProxy } from './create-dispatcher.js';
import { fetchDocument, mayReachFor, prepareFetch } from './fetch-document.js';
import type { Fetcher, FetcherDeps, FetcherOptions, FetcherStats } from './fetcher-types.js';
import { createHostGate } from './host-gate.js';
import { createNetworkReach, type Reach } from './network-reach.js';
import { createRobotsCache } from './robots-cache.js';
import { createSharedHostGate, createSharedRobotsLoader } from './shared-politeness.js';

/** Default global limit on requests in flight. */
export const DEFAULT_CONCURRENCY = 16;

/** Creates a fetcher; call close() when done so keep-alive sockets do not hold the process open. */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined));
  const dispatchers = new Map<string, Dispatcher>();
  const network = createNetworkReach(options.network);
  const stats: FetcherStats = { requests: 0, bytes: 0, retries: 0, notModified: 0, robotsFetches: 0 };
  let closed = false;

  // The connect timeout and the lookup belong to the connection pool, so each distinct timeout and
  // reach gets its own dispatcher; with the defaults a worker whose sources stay on their own hosts
  // (or are on a private network) has exactly one, and one more once a public source leaves its host.
  const dispatcherFor = (policy: FetchPolicy, reach: Reach): Dispatcher => {
    const key = `${policy.connectTimeoutMs}/${reach}`;
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      const lookup = network.lookupFor(reach);
      dispatcher = createDispatcher({ connectTimeoutMs: policy.connectTimeoutMs, env: options.env, lookup });
      dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  };
  const proxied = usesProxy(options.env);

  const logger = options.logger ?? createSilentLogger();
  const localGate = createHostGate(options.concurrency ?? DEFAULT_CONCURRENCY, { now, sleep });
  const shared = options.shared;
  const deps: FetcherDeps = {
    gate: shared ? createSharedHostGate({ ...shared, local: localGate, clock: { now, sleep }, logger }) : localGate,
    robots: createRobotsCache(now),
    shareRobots: shared ? createSharedRobotsLoader({ ...shared, logger, sleep }) : undefined,
    network,
    proxied,
    dispatcherFor,
    now,
    random: options.random ?? Math.random,
    logger,
    stats,
  };

  return {
    fetch(request) {
      if (closed) {
        const context = { sourceId: request.sourceId, url: request.url, attempts: 0, policy: request.policy };
        return Promise.reject(classifyFailure({ kind: 'closed' }, context));
      }
      return fetchDocument(request, deps);
    },
    admit(request) {
      if (closed) {
        const context = { sourceId: request.sourceId, url: request.url, attempts: 0, policy: request.policy };
        return Promise.reject(classifyFailure({ kind: 'closed' }, context));
      }
      return admitNavigation(request, deps);
    },
    mayReach: (request) => mayReachFor(request, deps),
    prepare: (request) => (closed ? Promise.resolve() : prepareFetch(request, deps)),
    turnIn: (host) => deps.gate.turnIn(host),
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      await Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.close()));
      dispatchers.clear();
    },
  };
}
