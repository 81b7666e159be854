/**
 * The worker's fetcher, created on its first request: `start` must not pay for the fetch stage
 * (undici alone is 0.12–0.3 s of CPU to load) before a source actually fires. Requests wait for
 * the one load; stats and close work whether it happened or not.
 */
import type { Fetcher, FetcherStats } from '../fetch/index.js';

/**
 * A Fetcher that calls `create` (which imports the fetch stage) on the first fetch, admit, mayReach
 * or prepare.
 * It has no `turnIn`: that is a synchronous question a pass asks before fetching (`run`, which
 * creates its fetcher at once); the scheduled worker never asks it.
 */
export function createDeferredFetcher(create: () => Promise<Fetcher>): Fetcher {
  let loading: Promise<Fetcher> | undefined;
  let loaded: Fetcher | undefined;
  let closed = false;
  const real = (): Promise<Fetcher> =>
    (loading ??= create().then(async (fetcher) => {
      loaded = fetcher;
      // Asked for after close: a closed fetcher, which refuses the request as any closed one does.
      if (closed) await fetcher.close();
      return fetcher;
    }));
  return {
    fetch: async (request) => (await real()).fetch(request),
    admit: async (request) => {
      const fetcher = await real();
      return fetcher.admit
        ? fetcher.admit(request)
        : Object.assign(() => undefined, { sent: () => undefined, written: () => undefined });
    },
    mayReach: async (request) => {
      const fetcher = await real();
      return fetcher.mayReach ? fetcher.mayReach(request) : true;
    },
    prepare: async (request) => (await real()).prepare?.(request),
    stats: () => (loaded ? loaded.stats() : { ...NO_REQUESTS }),
    async close() {
      if (closed) return;
      closed = true;
      // A load in flight is waited for, so the sockets it opens are closed too.
      const fetcher = await loading?.catch(() => undefined);
      await fetcher?.close();
    },
  };
}

const NO_REQUESTS: FetcherStats = { requests: 0, bytes: 0, retries: 0, notModified: 0, robotsFetches: 0 };
