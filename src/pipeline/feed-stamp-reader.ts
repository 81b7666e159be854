/**
 * The per-request version check of servers, made cheap. Every request for a document asks for the
 * stamps (feed version + pending flag) of the sources it shows; asking the store once per request
 * was a round trip and a Redis command each, which on a loaded 2-core machine was most of a cached
 * answer's cost. Here:
 * - the stamps asked for while handling one batch of incoming requests (one turn of the event loop)
 *   are read together, in one MGET — no staleness: every stamp is read after it was asked for;
 * - with `ttlMs` > 0, a stamp read less than `ttlMs` ago answers without the store: a server then
 *   answers with a feed at most `ttlMs` (plus one round trip) older than the store's. Feeds change
 *   on their sources' schedules (minutes), so a second of delay is invisible to readers; it never
 *   makes two nodes answer different bytes for the same version, only switch at slightly different times.
 */
import type { ItemStore } from '../store/index.js';
import type { FeedStamp } from '../store/index.js';

/** Reads source stamps for servers; see the module comment. */
export interface FeedStampReader {
  /** The sources' stamps, in order, at most `ttlMs` old. */
  read(sourceIds: readonly string[]): Promise<FeedStamp[]>;
  /** Notes a stamp just read from the store elsewhere (with a source's content), so checks do not answer an older one. */
  note(sourceId: string, stamp: FeedStamp): void;
}

/** Creates a reader over `store`; `ttlMs` 0 reads every stamp asked for (batched, never reused). */
export function createFeedStampReader(store: Pick<ItemStore, 'readFeedStamps'>, ttlMs: number): FeedStampReader {
  const known = new Map<string, { stamp: FeedStamp; at: number }>();
  let batch: Batch | undefined;

  const flush = async (current: Batch): Promise<void> => {
    if (batch === current) batch = undefined;
    const ids = [...current.waiting.keys()];
    try {
      const stamps = await store.readFeedStamps(ids);
      const at = Date.now();
      ids.forEach((id, i) => {
        const stamp = stamps[i] ?? { pendingOutput: false };
        known.set(id, { stamp, at });
        for (const waiter of current.waiting.get(id) ?? []) waiter.resolve(stamp);
      });
    } catch (error) {
      for (const waiters of current.waiting.values()) for (const waiter of waiters) waiter.reject(error);
    }
  };

  const readOne = (id: string): Promise<FeedStamp> => {
    const cached = known.get(id);
    if (cached && ttlMs > 0 && Date.now() - cached.at < ttlMs) return Promise.resolve(cached.stamp);
    if (!batch) {
      const created: Batch = { waiting: new Map() };
      batch = created;
      // setImmediate, not a microtask: requests parsed in the same poll phase join this batch.
      setImmediate(() => void flush(created));
    }
    const current = batch;
    return new Promise<FeedStamp>((resolve, reject) => {
      const waiters = current.waiting.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else current.waiting.set(id, [{ resolve, reject }]);
    });
  };

  return {
    read: (sourceIds) => Promise.all(sourceIds.map(readOne)),
    note(sourceId, stamp) {
      // A content read that was sent before a newer stamp read may answer after it: keep the newer version.
      const newer = known.get(sourceId)?.stamp.feedVersion?.n ?? 0;
      if ((stamp.feedVersion?.n ?? 0) < newer) return;
      known.set(sourceId, { stamp, at: Date.now() });
    },
  };
}

/** The stamp as a version token: `<n>`, with `p` while a committed run has not confirmed its feed. */
export function stampToken(stamp: FeedStamp | undefined): string {
  return `${stamp?.feedVersion?.n ?? 0}${stamp?.pendingOutput ? 'p' : ''}`;
}

// --- Internal helpers ---

interface Batch {
  waiting: Map<string, Array<{ resolve: (stamp: FeedStamp) => void; reject: (error: unknown) => void }>>;
}
