/**
 * Coalesces site-wide rebuilds (topic feeds, OPML, index page) in the worker: many source runs
 * finishing close together cause one rebuild, not one each, because a rebuild reads every
 * source's history. The site renderers (publish-site.ts and the feed stage under it) are imported
 * at the first rebuild, not with the publisher: a worker creates it at start-up.
 */
import { toAppError } from '../errors.js';
import type { AppConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';
import type { SiteWriteGuard } from './publish-site.js';

/** A debounced site publisher. */
export interface SitePublisher {
  /** Asks for a rebuild; it happens `delayMs` after the last request (at most `maxDelayMs` after the first). */
  request(): void;
  /** Rebuilds now if a rebuild is pending, and waits for any running one. */
  flush(): Promise<void>;
  /** Uses a new config for later rebuilds (after a reload). */
  setConfig(config: AppConfig): void;
}

/** Creates a publisher for the worker. */
export function createSitePublisher(
  config: AppConfig,
  deps: PipelineDeps,
  options: {
    delayMs: number;
    maxDelayMs: number;
    /** Shared mode: asked before each write (the site election's fencing and version check). */
    guard?: SiteWriteGuard;
  },
): SitePublisher {
  let current = config;
  let timer: NodeJS.Timeout | undefined;
  let firstRequestAt: number | undefined;
  let running: Promise<void> | undefined;
  let pending = false;

  const rebuild = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    firstRequestAt = undefined;
    if (running) await running;
    if (!pending) return;
    pending = false;
    running = import('./publish-site.js')
      .then(({ publishSite }) => publishSite(current, deps, options.guard))
      .then((files) => {
        if (files.length) deps.logger.debug({ itemCount: files.length }, `site files updated: ${files.join(', ')}`);
      })
      .catch((error: unknown) => {
        const appError = toAppError(error);
        deps.logger.error(
          { code: appError.code, err: appError },
          `could not rebuild topic feeds, OPML and index: ${appError.message}`,
        );
      })
      .finally(() => {
        running = undefined;
      });
    await running;
  };

  return {
    request() {
      pending = true;
      const now = Date.now();
      firstRequestAt ??= now;
      if (timer) clearTimeout(timer);
      const wait = Math.max(0, Math.min(options.delayMs, firstRequestAt + options.maxDelayMs - now));
      timer = setTimeout(() => void rebuild(), wait);
      timer.unref();
    },
    flush: rebuild,
    setConfig(next) {
      current = next;
    },
  };
}
