/**
 * The default fire queue for a config: workers sharing a Redis store take their fires from a
 * BullMQ queue in that Redis, so each fire runs on one of them; a store only this process uses
 * needs none. fire-queue.ts (and with it BullMQ) is imported only for a Redis store.
 */
import type { AppConfig } from '../model.js';
import { splitStoreUrl } from '../store/index.js';
import type { FireQueue, FireQueueOptions } from './fire-queue.js';

/** What the worker hands the queue: how to run a source, where to report, how to log. */
export type QueueHooks = Pick<FireQueueOptions, 'runSource' | 'onReport' | 'logger'>;

/** Opens the fire queue for a `redis://` or `rediss://` store, else resolves undefined. */
export async function openDefaultQueue(config: AppConfig, hooks: QueueHooks): Promise<FireQueue | undefined> {
  const store = splitStoreUrl(config.store);
  if (!/^rediss?:\/\//.test(store.url)) return undefined;
  const { openFireQueue } = await import('./fire-queue.js');
  // A killed worker's job is run again after its lock lapses (plus up to two stall checks of half
  // the lock): a third of the shortest interval, 5-30 s, so the re-run lands within the slot.
  const shortest = Math.min(...config.sources.map((source) => source.intervalMs));
  const lockMs = Math.max(MIN_LOCK_MS, Math.min(MAX_LOCK_MS, Math.floor(shortest / 3)));
  return openFireQueue({
    url: store.url,
    namespace: store.namespace,
    concurrency: config.worker.concurrency,
    lockMs,
    ...hooks,
  });
}

const MIN_LOCK_MS = 5_000;
const MAX_LOCK_MS = 30_000;
