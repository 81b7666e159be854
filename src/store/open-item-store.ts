/**
 * Opens an ItemStore from a URL: `sqlite://path` (default), `redis://host:port[/db]`, `memory://`.
 * The backend is checked at open time, so a wrong URL or a stopped Redis fails before any source runs.
 */
import { describeError, formatErrorMessage } from '../errors.js';
import { resolve } from 'node:path';
import { Keyv } from 'keyv';
import { JSON_CODEC } from './json-codec.js';
import { splitStoreUrl } from './store-url.js';
import type { Logger } from '../log.js';
import { createItemStore, type ItemStore } from './item-store.js';
import type { SqliteKeyvStore } from './sqlite-keyv-store.js';
import type { StoreEngine } from './store-engine.js';
import { createSqliteEngine } from './sqlite-engine.js';
import { createRedisEngine, type RedisEngineClient } from './redis-engine.js';
import { META_KEY } from './store-keys.js';
import { StoreError, corruptSqliteHint, isSqliteCorruption } from './store-error.js';
import { redactUrl } from '../redact/redact-url.js';
import { createRedisClient, loadRedisLibrary } from './redis-library.js';
import { closeRedisClient } from './close-redis-client.js';
import { withTimeout } from './redis-scripts.js';
import { createOutageLog } from '../outage/outage-log.js';

/** Options for {@link openItemStore}. */
export interface OpenItemStoreOptions {
  logger?: Logger;
  /** Prefix of every key; lets several deployments or test runs share one Redis (default `feedwright`). */
  namespace?: string;
  /** Redis connect timeout in ms (default 5000). */
  connectTimeoutMs?: number;
  /** Longest wait for one store call (default 10 s): a silent Redis fails the run instead of hanging it. */
  callTimeoutMs?: number;
}

/** Opens a store by URL: sqlite://path (default, relative to cwd; creates the folder), redis://host:port[/db], memory:// */
export async function openItemStore(storeUrl: string, options: OpenItemStoreOptions = {}): Promise<ItemStore> {
  const { url, namespace: fromUrl } = splitStoreUrl(storeUrl);
  const namespace = options.namespace ?? fromUrl;
  const backend = await openBackend(url, namespace, options.connectTimeoutMs ?? 5_000);
  // While opening, a backend error is the reason the open fails and goes into that one message;
  // once open, errors are logged (an outage repeats the same error on every reconnect attempt).
  let openError: unknown;
  const trouble = createBackendErrorLog(options.logger, backend.label);
  backend.keyv.on('error', (error: unknown) => {
    if (backend.opened) trouble.error(error);
    else openError ??= error;
  });
  backend.onReconnect?.(() => trouble.recovered());
  const close = backend.close ?? (() => backend.keyv.disconnect());
  try {
    await backend.connect?.();
    await checkSchema(backend.keyv, backend.label);
  } catch (error) {
    await close().catch((closeError: unknown) => {
      options.logger?.debug({ err: closeError }, 'store: close after a failed open also failed');
    });
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      'STORE_UNAVAILABLE',
      formatErrorMessage('store', `cannot open ${backend.label}`, { detail: describeError(openError ?? error) }),
      {
        hint: backend.hint,
        cause: openError ?? error,
      },
    );
  }
  backend.opened = true;
  return createItemStore(backend.keyv, {
    logger: options.logger,
    unavailableHint: backend.hint,
    corruptHint: backend.corruptHint,
    sweepExpired: backend.sweepExpired,
    callTimeoutMs: backend.synchronous ? 0 : options.callTimeoutMs,
    engine: backend.engine,
    close,
  });
}

// --- Internal helpers ---

/**
 * Version of the key layout; a store written by a newer layout is refused rather than misread.
 * 2: the seen-item index is one record per item (SQLite table `seen`, Redis hash + sorted set per
 * source); a layout-1 store is upgraded in place, each source's index when it is first loaded.
 * 3: an item in its source's history has no seen record until the history leaves it out (the commit
 * that does writes it); a layout-2 store is one already (its extra records are harmless), while a
 * version of layout 2 would drop such items from the history without writing their records.
 */
const STORE_SCHEMA = 3;
/** Layouts this version reads and upgrades. */
const UPGRADABLE_SCHEMAS = new Set<unknown>([1, 2]);

interface Backend {
  keyv: Keyv;
  label: string;
  hint: string;
  /** The hint of a STORE_CORRUPT error raised by the backend after open (a SQLite page found damaged). */
  corruptHint?: string;
  sweepExpired?: () => number;
  /** Set once the store has answered; until then a lost connection is not retried. */
  opened: boolean;
  /** Answers every call before any timer could fire (SQLite, memory): store calls need no deadline. */
  synchronous?: boolean;
  /** Connects a network backend (before the first call); failing, the open fails. */
  connect?: () => Promise<void>;
  /** Closes the backend (default: keyv's disconnect). */
  close?: () => Promise<void>;
  /** Registers a callback for a network backend's connection coming back after a loss. */
  onReconnect?: (callback: () => void) => void;
  /** Seen index, fencing and atomic commits of the backend (plain keyv when absent: memory). */
  engine?: StoreEngine;
}

/**
 * Logging for backend trouble after open. An outage produces an error per failed command and per
 * reconnect attempt ("socket closed", "client is offline", "ECONNREFUSED"…): the first is logged at
 * once, the rest once a minute as a count with the latest one, and the recovery once.
 */
function createBackendErrorLog(logger: Logger | undefined, label: string) {
  const outage = createOutageLog(logger);
  return {
    error(error: unknown): void {
      outage.failed(
        { code: 'STORE_UNAVAILABLE', err: error, store: label },
        `store: backend error (${describeError(error)})`,
      );
    },
    recovered(): void {
      outage.recovered(
        { store: label },
        (errors) => `store: ${label} answers again after ${errors} error${errors === 1 ? '' : 's'}`,
      );
    },
  };
}

async function openBackend(url: string, namespace: string, connectTimeoutMs: number): Promise<Backend> {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'memory') {
    return {
      keyv: new Keyv({ store: new Map(), namespace, throwOnErrors: true, ...JSON_CODEC }),
      label: 'memory store',
      synchronous: true,
      hint: 'memory:// keeps nothing between runs.',
      opened: false,
    };
  }
  if (scheme === 'sqlite') return openSqlite(url, namespace);
  if (scheme === 'redis' || scheme === 'rediss') return openRedis(url, namespace, connectTimeoutMs);
  throw new StoreError(
    'STORE_UNAVAILABLE',
    formatErrorMessage('store', 'unsupported store URL', { detail: redactUrl(url) }),
    {
      hint: 'Use sqlite://data/feedwright.sqlite, redis://127.0.0.1:6379 or memory://.',
    },
  );
}

async function openRedis(url: string, namespace: string, connectTimeoutMs: number): Promise<Backend> {
  // The Redis client (~0.25 s to load) is imported only for a redis:// store.
  const { createKeyv } = loadRedisLibrary();
  // The backend's `opened` flag is read by the reconnect strategy and the reconnect listener.
  const state = { opened: false };
  const socket = {
    connectTimeout: connectTimeoutMs,
    // Refuse to open without Redis (at once, not after minutes of retries); once open, ride out
    // an outage by reconnecting with a capped backoff (commands fail meanwhile, runs report it).
    reconnectStrategy: (retries: number, cause: Error): number | Error =>
      state.opened ? Math.min(100 * 2 ** retries, 5_000) : cause,
  };
  // Commands fail at once while Redis is away instead of queueing until it returns: a run then
  // reports the store as unavailable rather than hanging with the source's turn held.
  const redisClient = createRedisClient({ url, socket, disableOfflineQueue: true });
  // Connected here, not by @keyv/redis on its first call: its connection timeout is a timer it never
  // clears, which kept every short redis:// run alive for 5 s after it had finished.
  const keyv = createKeyv(redisClient, { namespace, throwOnErrors: true }) as unknown as Keyv;
  keyv.serialize = JSON_CODEC.serialize;
  keyv.deserialize = JSON_CODEC.deserialize;
  return Object.assign(state, {
    keyv,
    engine: createRedisEngine(
      redisClient as unknown as RedisEngineClient,
      namespace,
      (data) => JSON_CODEC.serialize(data as never) as string,
    ),
    label: `Redis at ${redactUrl(url)}`,
    connect: async () => {
      await withTimeout(redisClient.connect(), connectTimeoutMs, 'connect');
    },
    // Bounded: node-redis' own close waits for ever for a command queued when Redis went away.
    close: () => closeRedisClient(redisClient),
    hint: `Is Redis running at ${redactUrl(url)}? Start it, or set \`store:\` to sqlite://data/feedwright.sqlite.`,
    onReconnect: (callback: () => void) => {
      // 'ready' follows every successful (re)connect; only those after the open are reconnects.
      redisClient.on('ready', () => {
        if (state.opened) callback();
      });
    },
  });
}

async function openSqlite(url: string, namespace: string): Promise<Backend> {
  const path = url.slice('sqlite://'.length);
  if (path === '') {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      formatErrorMessage('store', 'sqlite:// URL without a file path', { detail: url }),
      {
        hint: 'Write it as sqlite://data/feedwright.sqlite (relative to the working directory) or sqlite:///absolute/path.sqlite.',
      },
    );
  }
  const file = path === ':memory:' ? path : resolve(process.cwd(), path);
  // better-sqlite3 is loaded only for a sqlite:// store (a Redis worker never needs it).
  const { SqliteKeyvStore } = await import('./sqlite-keyv-store.js');
  let adapter: SqliteKeyvStore;
  let engine: StoreEngine;
  try {
    adapter = new SqliteKeyvStore(file);
    engine = createSqliteEngineOrClose(adapter, namespace);
  } catch (error) {
    const damaged = isSqliteCorruption(error);
    throw new StoreError(
      damaged ? 'STORE_CORRUPT' : 'STORE_UNAVAILABLE',
      formatErrorMessage('store', `cannot open SQLite file ${file}`, { detail: describeError(error) }),
      {
        hint: damaged ? corruptSqliteHint(file) : `Check that the folder of ${file} is writable.`,
        cause: error,
      },
    );
  }
  const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true, ...JSON_CODEC });
  return {
    keyv,
    opened: false,
    synchronous: true,
    label: `SQLite file ${file}`,
    hint: `Check that ${file} is writable and not locked by another program.`,
    corruptHint: corruptSqliteHint(file),
    sweepExpired: () => adapter.sweepExpired(),
    engine,
  };
}

function createSqliteEngineOrClose(adapter: SqliteKeyvStore, namespace: string): StoreEngine {
  try {
    return createSqliteEngine(adapter, namespace);
  } catch (error) {
    void adapter.disconnect();
    throw error;
  }
}

async function checkSchema(keyv: Keyv, label: string): Promise<void> {
  const meta = (await keyv.get(META_KEY)) as { schema?: unknown } | undefined;
  if (meta === undefined) {
    await keyv.set(META_KEY, { schema: STORE_SCHEMA });
    return;
  }
  if (UPGRADABLE_SCHEMAS.has(meta.schema)) {
    await keyv.set(META_KEY, { schema: STORE_SCHEMA });
    return;
  }
  if (meta.schema !== STORE_SCHEMA) {
    throw new StoreError(
      'STORE_CORRUPT',
      formatErrorMessage('store', `${label} has key layout ${String(meta.schema)}`, {
        detail: `expected ${STORE_SCHEMA}`,
      }),
      {
        hint: 'It was written by another feedwright version; use a fresh store location or namespace.',
      },
    );
  }
}
