/** store stage: dedupe, history and per-source state over keyv. */
export { openItemStore, type OpenItemStoreOptions } from './open-item-store.js';
export {
  createItemStore,
  type ItemStore,
  type ItemStoreOptions,
  type CommitContext,
  type FeedContent,
  type FeedStamp,
  type SiteState,
  type SourceState,
  type SourceStateChanges,
} from './item-store.js';
export { StoreError } from './store-error.js';
export { fingerprintItem, normalizeTitle } from './fingerprint.js';
export { resolvePublishedAt } from './publication-date.js';
export { SqliteKeyvStore } from './sqlite-keyv-store.js';
export { isSharedStore, splitStoreUrl } from './store-url.js';
export { openRedisScripts, type RedisScriptsConnection } from './redis-scripts.js';
