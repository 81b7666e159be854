export { createFeedServer, type FeedServer, type FeedServerOptions } from './create-feed-server.js';
export { buildHealthSnapshot, type HealthInput, type HealthSnapshot, type SourceHealthStatus } from './health.js';
export { ServeError } from './serve-error.js';
export { createHealthReader, type HealthReaderOptions } from './health-reader.js';
export { renderHealthMetrics } from './health-metrics.js';
export { createRenderedCache, type DocumentRenderer } from './rendered-cache.js';
export type { FileCache } from './file-cache.js';
