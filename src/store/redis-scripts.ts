/**
 * A small Redis connection for state that is not items: the fetch stage's shared politeness (Lua
 * scripts, robots.txt results). Opened only for a Redis store, with the Redis client loaded then;
 * every call has a timeout and fails at once while Redis is away (no offline queue).
 */
import { describeError, formatErrorMessage } from '../errors.js';
import { redactUrl } from '../redact/redact-url.js';
import { StoreError } from './store-error.js';
import { closeRedisClient } from './close-redis-client.js';
import { createRedisClient } from './redis-library.js';

/** Scripts, reads and writes on a connection of their own (the shape the fetch stage's `RedisScripts` asks for). */
export interface RedisScriptsConnection {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  /** SET with PX; with `onlyIfAbsent`, NX. Resolves whether the value was set. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects to `url` (a redis:// URL without the namespace parameter). */
export async function openRedisScripts(url: string, timeoutMs = 5_000): Promise<RedisScriptsConnection> {
  let opened = false;
  const client = createRedisClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number, cause: Error) => (opened ? Math.min(100 * 2 ** retries, 5_000) : cause),
    },
  });
  // Errors surface on the calls (and are logged there, throttled); the client reconnects by itself.
  client.on('error', () => undefined);
  try {
    await withTimeout(client.connect(), timeoutMs, 'connect');
    opened = true;
  } catch (error) {
    client.destroy();
    throw new StoreError(
      'STORE_UNAVAILABLE',
      formatErrorMessage('store', `cannot connect to Redis at ${redactUrl(url)}`, { detail: describeError(error) }),
      {
        hint: `Is Redis running at ${redactUrl(url)}?`,
        cause: error,
      },
    );
  }
  return {
    eval: (script, keys, args) => withTimeout(client.eval(script, { keys, arguments: args }), timeoutMs, 'script'),
    get: (key) => withTimeout(client.get(key), timeoutMs, 'get'),
    async set(key, value, ttlMs, onlyIfAbsent) {
      const options = onlyIfAbsent
        ? { PX: Math.max(1, Math.round(ttlMs)), NX: true as const }
        : { PX: Math.max(1, Math.round(ttlMs)) };
      return (await withTimeout(client.set(key, value, options), timeoutMs, 'set')) === 'OK';
    },
    close: () => closeRedisClient(client),
  };
}

/** Rejects when `promise` takes longer than `ms`: a silent Redis must not hang a run. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis ${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
