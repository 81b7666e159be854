/**
 * `feedwright serve`: serves a config's feeds, with /healthz and /metrics (stored health as gauges). With a shared (Redis) store it renders
 * them from the store on request, so every node serves every source's current feed; otherwise it
 * serves the output folder the worker writes.
 */
import { resolve } from 'node:path';
import {
  createSiteReader,
  SERVER_STAMP_TTL_MS,
  describeDrift,
  hashConfig,
  readAllHealth,
  readLiveWorkers,
} from '../pipeline/index.js';
import { createFeedServer, createHealthReader, createRenderedCache, renderHealthMetrics } from '../serve/index.js';
import { isSharedStore, openItemStore, splitStoreUrl } from '../store/index.js';
import { redactUrl } from '../redact/redact-url.js';
import { parsePort } from './listen-address.js';
import { createCommandLogger, loadConfigForCommand, type GlobalOptions } from './services.js';
import { DEFAULT_OUTPUT_DIR } from '../defaults/config-defaults.js';

/** Options of `serve`. */
export interface ServeOptions extends GlobalOptions {
  host: string;
  port: string;
}

/** Serves until SIGINT/SIGTERM; resolves with the exit code. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const { config } = await loadConfigForCommand(options, { warnings: false });
  const logger = createCommandLogger(options);
  // A reader waits at most this long on a silent store before getting the last rendered version.
  const store = await openItemStore(config.store, { logger, callTimeoutMs: SERVE_STORE_TIMEOUT_MS });
  const shared = isSharedStore(config.store);
  const documents = shared
    ? createRenderedCache(
        createSiteReader(() => config, { store, site: config.site }, { stampTtlMs: SERVER_STAMP_TTL_MS }),
        CACHE_BYTES,
      )
    : undefined;
  const server = createFeedServer({
    outputDir: config.output === undefined ? undefined : resolve(config.output),
    documents,
    // A standalone server has no worker of its own: the newest run recorded in the store stands for it.
    getHealth: createHealthReader({
      sources: () => config.sources,
      readHealth: (ids) => readAllHealth(store, ids),
      // Shared store: a worker whose config differs from this server's renders feeds this server would render differently.
      warnings: shared
        ? async () => describeDrift(await readLiveWorkers(store, WORKER_LIVE_MS, new Date()), hashConfig(config))
        : undefined,
    }),
    // No runs happen here: /metrics gives the stored health as gauges (start --serve adds run counters).
    getMetrics: async () =>
      renderHealthMetrics(
        await readAllHealth(
          store,
          config.sources.map((source) => source.id),
        ),
      ),
    logger,
  });
  const { url } = await server.listen(options.host, parsePort(options.port));
  const what = shared ? `feeds from ${splitForDisplay(config.store)}` : resolve(config.output ?? DEFAULT_OUTPUT_DIR);
  process.stdout.write(`Serving ${what} at ${url} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  await store.close();
  return 0;
}

// --- Internal helpers ---

/** A worker that has not announced itself for this long is gone (it announces every 30 s). */
const WORKER_LIVE_MS = 90_000;

/** Deadline of one store call while serving (the worker's runs keep the store's default, 10 s). */
const SERVE_STORE_TIMEOUT_MS = 3_000;

/** Memory for rendered documents and their compressed copies. */
const CACHE_BYTES = 64 * 1024 * 1024;

function splitForDisplay(storeUrl: string): string {
  return redactUrl(splitStoreUrl(storeUrl).url);
}
