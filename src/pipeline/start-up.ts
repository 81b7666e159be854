/**
 * What a worker uses from the pipeline before its first run: the debounced site publisher (it
 * imports the renderers at its first rebuild), health, config drift and the empty-store check.
 * index.ts re-exports the run path as well, which loads the fetch, extract and feed stages; this
 * entry must import none of them, so a worker starts without them (tests/e2e/lazy-loading.test.ts).
 */
export type { PipelineDeps } from './deps.js';
export { createSitePublisher, type SitePublisher } from './site-publisher.js';
export type { SiteWriteGuard } from './publish-site.js';
export { readAllHealth } from './read-all-health.js';
export { announceWorker, describeDrift, hashConfig } from './config-drift.js';
export { rebuildHistoryFromFeeds, type HistoryRebuild } from './rebuild-history.js';
