/**
 * The default run coordinator for a config: several workers sharing a Redis store coordinate
 * through that Redis, so each fire runs on one worker only; a store only this process uses needs none.
 */
import type { Logger } from '../log.js';
import type { AppConfig } from '../model.js';
import { splitStoreUrl } from '../store/index.js';
import { createRedisCoordinator } from './redis-coordinator.js';
import type { RunCoordinator } from './run-coordinator.js';

/** Opens a Redis coordinator for a `redis://` or `rediss://` store, else resolves undefined. */
export async function openRunCoordinator(config: AppConfig, logger: Logger): Promise<RunCoordinator | undefined> {
  const store = splitStoreUrl(config.store);
  if (!/^rediss?:\/\//.test(store.url)) return undefined;
  return createRedisCoordinator(store.url, { namespace: store.namespace, logger });
}
