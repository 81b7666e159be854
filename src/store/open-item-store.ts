/**
 * Opens an ItemStore from a URL: `sqlite://path` (default), `redis://host:port[/db]`, `memory://`.
 * The backend is checked at open time, so a wrong URL or a stopped Redis fails before any source runs.
 */
import { describeError } from '../errors.js';
import { resolve } from 'node:path';
import { Keyv, type DeserializedData, type Deserialize, type Serialize } from 'keyv';
import { createKeyv } from '@keyv/redis';
import { splitStoreUrl } from './store-url.js';
import type { Logger } from '../log.js';
import { createItemStore, type ItemStore } from './item-store.js';
import { SqliteKeyvStore } from './sqlite-keyv-store.js';
import { META_KEY } from './store-keys.js';
import { StoreError, formatStoreMessage } from './store-error.js';

/** Options for {@link openItemStore}. */
export interface OpenItemStoreOptions {
  logger?: Logger;
  /** Prefix of every key; lets several deployments or test runs share one Redis (default `feedwright`). */
  namespace?: string;
  /** Redis connect timeout in ms (default 5000). */
  connectTimeoutMs?: number;
}

/** Opens a store by URL: sqlite://path (default, relative to cwd; creates the folder), redis://host:port[/db], memory:// */
export async function openItemStore(storeUrl: string, options: OpenItemStoreOptions = {}): Promise<ItemStore> {
  const { url, namespace: fromUrl } = splitStoreUrl(storeUrl);
  const namespace = options.namespace ?? fromUrl;
  const backend = openBackend(url, namespace, options.connectTimeoutMs ?? 5_000);
  backend.keyv.on('error', (error: unknown) => {
    options.logger?.error({ code: 'STORE_UNAVAILABLE', err: error, store: backend.label }, `store: backend error (${describeError(error)})`);
  });
  try {
    await checkSchema(backend.keyv, backend.label);
  } catch (error) {
    await backend.keyv.disconnect().catch((closeError: unknown) => {
      options.logger?.debug({ err: closeError }, 'store: close after a failed open also failed');
    });
    if (error instanceof StoreError) throw error;
    throw new StoreError('STORE_UNAVAILABLE', formatStoreMessage(`cannot open ${backend.label}`, undefined, describeError(error)), {
      hint: backend.hint,
      cause: error,
    });
  }
  return createItemStore(backend.keyv, { logger: options.logger, unavailableHint: backend.hint, sweepExpired: backend.sweepExpired });
}

// --- Internal helpers ---

/** Version of the key layout; a store written by a newer layout is refused rather than misread. */
const STORE_SCHEMA = 1;

/**
 * Plain JSON instead of keyv's default @keyv/serialize, which walks every value in JavaScript and
 * was the largest cost of a run in profiles; the store only ever holds JSON-safe values.
 */
const JSON_CODEC: { serialize: Serialize; deserialize: Deserialize } = {
  serialize: (data) => JSON.stringify(data),
  deserialize: (text) => {
    try {
      return JSON.parse(text) as DeserializedData<never>;
    } catch (error) {
      throw new StoreError('STORE_CORRUPT', formatStoreMessage('unreadable value', undefined, describeError(error)), {
        hint: 'The store holds data feedwright did not write. Point `store:` at a fresh location.',
        cause: error,
      });
    }
  },
};

interface Backend {
  keyv: Keyv;
  label: string;
  hint: string;
  sweepExpired?: () => number;
}

function openBackend(url: string, namespace: string, connectTimeoutMs: number): Backend {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'memory') {
    return { keyv: new Keyv({ store: new Map(), namespace, throwOnErrors: true, ...JSON_CODEC }), label: 'memory store', hint: 'memory:// keeps nothing between runs.' };
  }
  if (scheme === 'sqlite') return openSqlite(url, namespace);
  if (scheme === 'redis' || scheme === 'rediss') {
    const keyv = createKeyv(url, { namespace, throwOnErrors: true, connectionTimeout: connectTimeoutMs }) as unknown as Keyv;
    keyv.serialize = JSON_CODEC.serialize;
    keyv.deserialize = JSON_CODEC.deserialize;
    return { keyv, label: `Redis at ${redactUrl(url)}`, hint: `Is Redis running at ${redactUrl(url)}? Start it, or set \`store:\` to sqlite://data/feedwright.sqlite.` };
  }
  throw new StoreError('STORE_UNAVAILABLE', formatStoreMessage('unsupported store URL', undefined, redactUrl(url)), {
    hint: 'Use sqlite://data/feedwright.sqlite, redis://127.0.0.1:6379 or memory://.',
  });
}

function openSqlite(url: string, namespace: string): Backend {
  const path = url.slice('sqlite://'.length);
  if (path === '') {
    throw new StoreError('STORE_UNAVAILABLE', formatStoreMessage('sqlite:// URL without a file path', undefined, url), {
      hint: 'Write it as sqlite://data/feedwright.sqlite (relative to the working directory) or sqlite:///absolute/path.sqlite.',
    });
  }
  const file = path === ':memory:' ? path : resolve(process.cwd(), path);
  let adapter: SqliteKeyvStore;
  try {
    adapter = new SqliteKeyvStore(file);
  } catch (error) {
    const notADatabase = /SQLITE_NOTADB|not a database|file is (encrypted|not a database)/i.test(describeError(error)) || hasCode(error, 'SQLITE_NOTADB');
    throw new StoreError(notADatabase ? 'STORE_CORRUPT' : 'STORE_UNAVAILABLE', formatStoreMessage(`cannot open SQLite file ${file}`, undefined, describeError(error)), {
      hint: notADatabase
        ? `${file} is not a SQLite database; move it away or point \`store:\` elsewhere.`
        : `Check that the folder of ${file} is writable.`,
      cause: error,
    });
  }
  const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true, ...JSON_CODEC });
  return {
    keyv,
    label: `SQLite file ${file}`,
    hint: `Check that ${file} is writable and not locked by another program.`,
    sweepExpired: () => adapter.sweepExpired(),
  };
}

async function checkSchema(keyv: Keyv, label: string): Promise<void> {
  const meta = (await keyv.get(META_KEY)) as { schema?: unknown } | undefined;
  if (meta === undefined) {
    await keyv.set(META_KEY, { schema: STORE_SCHEMA });
    return;
  }
  if (meta.schema !== STORE_SCHEMA) {
    throw new StoreError('STORE_CORRUPT', formatStoreMessage(`${label} has key layout ${String(meta.schema)}`, undefined, `expected ${STORE_SCHEMA}`), {
      hint: 'It was written by another feedwright version; use a fresh store location or namespace.',
    });
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}


function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
