/** Opens what a command needs (config, logger, store, fetcher) and closes it again. */
import { resolve } from 'node:path';
import { createRenderer } from '../browser/create-renderer.js';
import type { Renderer } from '../browser/renderer-types.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import type { Fetcher, FetcherOptions } from '../fetch/index.js';
import { createLogger, type Logger, type LogLevel } from '../log.js';
import type { AppConfig } from '../model.js';
import type { PipelineDeps } from '../pipeline/index.js';
import { isSharedStore, openItemStore, openRedisScripts, splitStoreUrl, type ItemStore } from '../store/index.js';
import { createDeferredFetcher } from './deferred-fetcher.js';
import { printConfigWarnings } from './print-problems.js';

/** Options every command shares. */
export interface GlobalOptions {
  config: string;
  logLevel?: string;
}

/** Everything a pass needs, opened from the config. */
export interface Services {
  config: AppConfig;
  logger: Logger;
  store: ItemStore;
  fetcher: Fetcher;
  deps: PipelineDeps;
  close(): Promise<void>;
}

/**
 * Loads the config and prints its warnings (errors throw ConfigError). Commands that only read
 * (`status`, `serve`) pass `warnings: false`: the warnings are about fetching, said by `check`,
 * `run` and `start`, not repeated on every look.
 */
export async function loadConfigForCommand(
  options: GlobalOptions,
  { warnings = true }: { warnings?: boolean } = {},
): Promise<LoadedConfig> {
  const loaded = await loadConfig(options.config);
  if (warnings) printConfigWarnings(loaded.warnings);
  return loaded;
}

/** Creates the logger used by commands: JSON on a pipe, readable on a terminal. */
export function createCommandLogger(options: GlobalOptions): Logger {
  return createLogger({ level: options.logLevel as LogLevel | undefined });
}

/** How {@link openServices} opens the fetch stage. */
export interface OpenServicesOptions {
  /**
   * `start`: create the fetcher on the first request instead of now, so a worker starts without
   * loading the fetch stage; `run` needs it at once (its pass orders hosts by the fetcher's turns).
   */
  fetcherOnFirstUse?: boolean;
}

/** Opens the store and the fetcher for a loaded config. */
export async function openServices(
  config: AppConfig,
  logger: Logger,
  { fetcherOnFirstUse = false }: OpenServicesOptions = {},
): Promise<Services> {
  const store = await openItemStore(config.store, { logger });
  // Workers sharing a Redis store share their politeness through it too (per-host limits, robots.txt).
  const storeUrl = splitStoreUrl(config.store);
  const redis = isSharedStore(config.store) ? await openRedisScripts(storeUrl.url) : undefined;
  const shared = redis ? { redis, prefix: `${storeUrl.namespace}:polite:` } : undefined;
  const fetcherOptions: FetcherOptions = { concurrency: config.worker.concurrency, logger, shared };
  const fetcher = fetcherOnFirstUse
    ? createDeferredFetcher(() => createStageFetcher(fetcherOptions))
    : await createStageFetcher(fetcherOptions);
  const renderer = createRendererFor(config, logger);
  const deps: PipelineDeps = {
    fetcher,
    renderer,
    store,
    outputDir: config.output === undefined ? undefined : resolve(config.output),
    site: config.site,
    now: () => new Date(),
    logger,
  };
  try {
    // Before any source runs: an emptied store must not overwrite the feeds it wrote (emptyStore).
    const { rebuildHistoryFromFeeds } = await import('../pipeline/rebuild-history.js');
    await rebuildHistoryFromFeeds(config, deps);
  } catch (error) {
    await renderer.close();
    await fetcher.close();
    await redis?.close();
    await store.close();
    throw error;
  }
  return {
    config,
    logger,
    store,
    fetcher,
    deps,
    async close() {
      await renderer.close();
      await fetcher.close();
      await redis?.close();
      await store.close();
    },
  };
}

/**
 * The headless browser for sources with `render: browser` or `auto` (also ones a reloaded config
 * adds). Only a handle: Chromium starts, and playwright-core is imported, on the first page rendered.
 */
export function createRendererFor(config: AppConfig, logger: Logger): Renderer {
  return createRenderer({ ...config.browser, logger });
}

// --- Internal helpers ---

/** The fetch stage (undici, robots.txt, charset detection) is imported here, when a command first needs a fetcher. */
async function createStageFetcher(options: FetcherOptions): Promise<Fetcher> {
  const { createFetcher } = await import('../fetch/index.js');
  return createFetcher(options);
}
