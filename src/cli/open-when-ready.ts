/**
 * `start` before its store answers: open the services with retries and, when serving, answer
 * /healthz 503 ("waiting for the store") on the requested address meanwhile, so an orchestrator
 * sees a live process that is not ready yet instead of a crash loop.
 */
import { AppError, describeError, formatErrorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { AppConfig } from '../model.js';
import { redactUrl } from '../redact/redact-url.js';
import { loadServeStage, openDefaultQueue, type FireQueue, type QueueHooks } from '../schedule/index.js';
import type { FeedServer, HealthSnapshot } from '../serve/index.js';
import { splitStoreUrl } from '../store/index.js';
import { retryUntilOpen, type RetryUntilOpenOptions } from './retry-until-open.js';
import { openServices, type Services } from './services.js';

/** Where to serve, and how stopping is signalled. */
export interface OpenWhenReadyOptions {
  /** Aborted by SIGINT/SIGTERM: waiting ends at once. */
  signal: AbortSignal;
  serve?: ListenAddress;
  /** Backoff bounds (defaults 1 s and 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** The opened services, and the address to serve on (the port the waiting server had, if one ran). */
export interface ReadyServices {
  services: Services;
  serve?: ListenAddress;
  /** Opens the fire queue with the same patience (for createWorker's `openQueue`). */
  openQueue: (config: AppConfig, hooks: QueueHooks) => Promise<FireQueue | undefined>;
}

/** Opens the services, waiting for a network store that is not up yet; undefined when stopped while waiting. */
export async function openWhenReady(
  config: AppConfig,
  logger: Logger,
  options: OpenWhenReadyOptions,
): Promise<ReadyServices | undefined> {
  const storeUrl = splitStoreUrl(config.store).url;
  // A SQLite file that cannot be opened will not fix itself: only a network store is waited for.
  const network = /^rediss?:\/\//i.test(storeUrl);
  const retry: Omit<RetryUntilOpenOptions, 'what'> = {
    signal: options.signal,
    logger,
    isTransient: (error) => network && isUnavailable(error),
    initialDelayMs: options.initialDelayMs,
    maxDelayMs: options.maxDelayMs,
  };
  const startedAt = new Date();
  let lastError: unknown;
  let waiting: Promise<WaitingServer> | undefined;
  try {
    // The worker's fetcher is created at its first request (the fetch stage is not loaded to start).
    const services = await retryUntilOpen(() => openServices(config, logger, { fetcherOnFirstUse: true }), {
      ...retry,
      what: `the store (${redactUrl(storeUrl)})`,
      onFailure: (error) => {
        lastError = error;
        if (options.serve && !waiting) {
          waiting = listenWhileWaiting(config, options.serve, () => waitingSnapshot(startedAt, lastError), logger);
          // Observed when awaited below; a port that cannot be bound is reported then.
          waiting.catch(() => undefined);
        }
      },
    });
    const port = waiting ? (await waiting).port : options.serve?.port;
    if (!services) return undefined;
    const patientQueue = async (current: AppConfig, hooks: QueueHooks): Promise<FireQueue | undefined> => {
      const queue = await retryUntilOpen(() => openDefaultQueue(current, hooks), {
        ...retry,
        logger: hooks.logger,
        what: 'the fire queue',
      });
      if (options.signal.aborted)
        throw new AppError(
          'QUEUE_UNAVAILABLE',
          formatErrorMessage('start', 'stopped while waiting for the fire queue'),
        );
      return queue;
    };
    return {
      services,
      serve: options.serve && { host: options.serve.host, port: port ?? options.serve.port },
      openQueue: patientQueue,
    };
  } finally {
    if (waiting) await (await waiting.catch(() => undefined))?.server.close();
  }
}

// --- Internal helpers ---

interface ListenAddress {
  host: string;
  port: number;
}

interface WaitingServer {
  server: FeedServer;
  port: number;
}

function isUnavailable(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'STORE_UNAVAILABLE' || error.code === 'QUEUE_UNAVAILABLE');
}

/** Serves the output folder as it is (if any), with /healthz 503 until the store answers. */
async function listenWhileWaiting(
  config: AppConfig,
  address: ListenAddress,
  health: () => HealthSnapshot,
  logger: Logger,
): Promise<WaitingServer> {
  const { createFeedServer } = await loadServeStage();
  const server = createFeedServer({ outputDir: config.output, getHealth: async () => health(), logger });
  const { url, port } = await server.listen(address.host, address.port);
  const what = config.output ?? 'no files (feeds come from the store)';
  logger.info({ url }, `serving ${what} at ${url} (/healthz 503 until the store answers)`);
  return { server, port };
}

function waitingSnapshot(startedAt: Date, lastError: unknown): HealthSnapshot {
  return {
    ok: false,
    reason: `waiting for the store (${describeError(lastError)})`,
    generatedAt: new Date().toISOString(),
    worker: { startedAt: startedAt.toISOString(), staleAfterMs: 0 },
    counts: { ok: 0, 'not-modified': 0, degraded: 0, failing: 0, 'never-run': 0 },
    sources: [],
  };
}
