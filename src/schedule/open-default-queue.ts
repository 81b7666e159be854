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
  return openFireQueue({ url: store.url, namespace: store.namespace, concurrency: config.worker.concurrency, ...hooks });
}
