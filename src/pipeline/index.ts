/** pipeline: chains the stages for one source, and runs passes over all sources. */
export type { PipelineDeps } from './deps.js';
export { runSource } from './run-source.js';
export { runPass, type PassOptions, type PassResult } from './run-pass.js';
export { publishSite, type SiteWriteGuard } from './publish-site.js';
export { nextHealth, initialHealth } from './source-health.js';
export { readAllHealth } from './read-all-health.js';
export { sourceFeedMeta } from './publish-source-feed.js';
export { createSitePublisher, type SitePublisher } from './site-publisher.js';
export { previewSource, type PreviewResult } from './preview-source.js';
export { formatWarning } from './format-warning.js';
export {
  createSiteReader,
  SERVER_STAMP_TTL_MS,
  type SiteReader,
  type SiteReaderOptions,
  type RenderedDocuments,
} from './site-reader.js';
export { readFeedVersions } from './feed-version.js';
export { announceWorker, describeDrift, hashConfig, readLiveWorkers, type WorkerAnnouncement } from './config-drift.js';
export { rebuildHistoryFromFeeds, type HistoryRebuild } from './rebuild-history.js';
