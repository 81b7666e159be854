/** What a pipeline run needs from the outside world, injected so tests control every piece. */
import type { Renderer } from '../browser/index.js';
import type { Fetcher } from '../fetch/index.js';
import type { Logger } from '../log.js';
import type { SiteConfig } from '../model.js';
import type { ExtractPage } from './extract-pool.js';
import type { ItemStore } from '../store/index.js';

/** Shared services for running sources. */
export interface PipelineDeps {
  fetcher: Fetcher;
  store: ItemStore;
  /** Folder the feed files are written to; none in shared mode without an `output:` export (feeds are served from the store). */
  outputDir?: string;
  site: SiteConfig;
  now: () => Date;
  logger: Logger;
  /** Headless Chromium for sources with `render: browser` or `auto` (started on first need). */
  renderer?: Renderer;
  /** Extracts a page; a pass sets it to a worker-thread pool (extract-pool.ts), else extraction runs in-process. */
  extract?: ExtractPage;
}
