/**
 * RunCoordinator on Redis, for several workers sharing one config.
 * A fire is won with `SET feedwright:<ns>:fire:<sourceId>:<fireTimeISO> <worker> NX PX <ttl>`.
 * The winner also holds `feedwright:<ns>:running:<sourceId>` (a lease it renews while the run lasts),
 * so a run that outlasts its interval on one worker is not started again on another one.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
// @keyv/redis re-exports the client it is built on, so no second Redis package is needed.
import { createClient } from '@keyv/redis';
import { AppError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RunCoordinator } from './run-coordinator.js';
import { redactUrl } from '../redact/redact-url.js';

/** Options for {@link createRedisCoordinator}. */
export interface RedisCoordinatorOptions {
  /** Separates deployments sharing one Redis; default `default`. */
  namespace?: string;
  /** Identifies this worker in Redis values; default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  /** How long a running lease lives without renewal (a crashed worker frees it after this); default 60 s. */
  leaseMs?: number;
  /** Upper bound for one Redis command; default 5 s. */
  commandTimeoutMs?: number;
  logger?: Logger;
}

/** Connects to Redis and returns a coordinator; rejects with COORDINATOR_UNAVAILABLE when Redis cannot be reached. */
export async function createRedisCoordinator(url: string, options: RedisCoordinatorOptions = {}): Promise<RunCoordinator> {
  const prefix = `feedwright:${options.namespace ?? 'default'}:`;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const timeoutMs = options.commandTimeoutMs ?? 5_000;
  const logger = options.logger;
  let connectedOnce = false;
  const client = createClient({
    url,
    // Fail fast while Redis is down instead of queueing claims that would run late.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      // Refuse to start without Redis; once running, keep reconnecting with a capped backoff.
      reconnectStrategy: (retries: number, cause: Error) => (connectedOnce ? Math.min(100 * 2 ** retries, 5_000) : cause),
    },
  });
  client.on('error', (error: unknown) => {
    // The client reconnects by itself; claims fail (and fires are skipped) until it is back.
    logger?.warn({ err: error, url: redactUrl(url) }, 'schedule: run coordinator connection error');
  });
  try {
    await client.connect();
    connectedOnce = true;
  } catch (error) {
    throw new AppError('COORDINATOR_UNAVAILABLE', `schedule: cannot connect to the run coordinator at ${redactUrl(url)} (${describeError(error)})`, {
      cause: error,
      hint: 'Start Redis or fix the coordinator URL; several workers need a shared Redis to split the fires.',
    });
  }

  const held = new Set<string>();
  const runningKey = (sourceId: string): string => `${prefix}running:${sourceId}`;
  const run = <T>(what: string, command: () => Promise<T>): Promise<T> => withTimeout(command(), timeoutMs, what);
  const renewTimer = setInterval(() => void renewLeases(), Math.max(250, Math.floor(leaseMs / 3)));
  renewTimer.unref();

  async function renewLeases(): Promise<void> {
    for (const sourceId of held) {
      try {
        const kept = await run('renew', () =>
          client.eval(RENEW_SCRIPT, { keys: [runningKey(sourceId)], arguments: [workerId, String(leaseMs)] }),
        );
        if (Number(kept) !== 1) logger?.warn({ sourceId, workerId }, `schedule: source "${sourceId}": running lease was lost (another worker may start the source)`);
      } catch (error) {
        logger?.warn({ sourceId, err: error }, `schedule: source "${sourceId}": could not renew the running lease (${describeError(error)})`);
      }
    }
  }

  async function release(sourceId: string): Promise<void> {
    held.delete(sourceId);
    if (!client.isOpen) return;
    await run('release', () => client.eval(RELEASE_SCRIPT, { keys: [runningKey(sourceId)], arguments: [workerId] }));
  }

  return {
    async claim(sourceId, fireAt, ttlMs) {
      const fireKey = `${prefix}fire:${sourceId}:${fireAt.toISOString()}`;
      const won = await run('claim', () =>
        client.eval(CLAIM_SCRIPT, {
          keys: [fireKey, runningKey(sourceId)],
          arguments: [workerId, String(Math.max(1, Math.round(ttlMs))), String(leaseMs)],
        }),
      );
      if (Number(won) !== 1) return false;
      held.add(sourceId);
      return true;
    },
    release,
    async close() {
      clearInterval(renewTimer);
      for (const sourceId of [...held]) {
        await release(sourceId).catch((error: unknown) => {
          // The lease expires by itself after leaseMs; closing must not fail because of it.
          logger?.warn({ sourceId, err: error }, `schedule: source "${sourceId}": could not release the running lease on close`);
        });
      }
      if (client.isOpen) await client.close();
    },
  };
}

// --- Internal helpers ---

/** KEYS: fire key, running key. ARGV: worker id, fire ttl ms, lease ms. */
const CLAIM_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1`;

/** KEYS: running key. ARGV: worker id, lease ms. Extends the lease only if this worker still holds it. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** KEYS: running key. ARGV: worker id. Deletes the lease only if this worker still holds it. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis ${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
