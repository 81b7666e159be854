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
import { createDispatcher } from './create-dispatcher.js';
import { fetchDocument, prepareFetch } from './fetch-document.js';
import type { Fetcher, FetcherDeps, FetcherOptions, FetcherStats } from './fetcher-types.js';
import { createHostGate } from './host-gate.js';
import { createRobotsCache } from './robots-cache.js';
import { createSharedHostGate, createSharedRobotsLoader } from './shared-politeness.js';

/** Default global limit on requests in flight. */
export const DEFAULT_CONCURRENCY = 16;

/** Creates a fetcher; call close() when done so keep-alive sockets do not hold the process open. */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined));
  const dispatchers = new Map<number, Dispatcher>();
  const stats: FetcherStats = { requests: 0, bytes: 0, retries: 0, notModified: 0, robotsFetches: 0 };
  let closed = false;

  // The connect timeout belongs to the connection pool, so each distinct value gets its own
  // dispatcher; with the defaults (or one value for all sources) there is exactly one.
  const dispatcherFor = (policy: FetchPolicy): Dispatcher => {
    let dispatcher = dispatchers.get(policy.connectTimeoutMs);
    if (!dispatcher) {
      dispatcher = createDispatcher({ connectTimeoutMs: policy.connectTimeoutMs, env: options.env });
      dispatchers.set(policy.connectTimeoutMs, dispatcher);
    }
    return dispatcher;
  };

  const logger = options.logger ?? createSilentLogger();
  const localGate = createHostGate(options.concurrency ?? DEFAULT_CONCURRENCY, { now, sleep });
  const shared = options.shared;
  const deps: FetcherDeps = {
    gate: shared ? createSharedHostGate({ ...shared, local: localGate, clock: { now, sleep }, logger }) : localGate,
    robots: createRobotsCache(now),
    shareRobots: shared ? createSharedRobotsLoader({ ...shared, logger, sleep }) : undefined,
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
