/**
 * Politeness shared by every worker on one Redis: per-host concurrency, `minDelay` spacing and
 * Retry-After pauses are decided by one Lua script per request against Redis' own clock, so they
 * hold across processes and hosts with skewed clocks; robots.txt downloads are shared too (one
 * worker fetches, the others read its result).
 *
 * The fetch stage imports no Redis client: the caller hands in a {@link RedisScripts} (cli/ wires
 * one for a Redis store). When Redis fails, the gate falls back to this process's own gate for
 * that request and says so in the log (throttled), so an outage never stops fetching.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import {
  createTurn,
  type GateClock,
  type HostGate,
  type HostLimits,
  type HostTurn,
  type TurnOptions,
} from './host-gate.js';
import type { RobotsLoad } from './robots-cache.js';

/** The three Redis operations the shared politeness needs. */
export interface RedisScripts {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  /** SET with PX; with `onlyIfAbsent`, NX. Resolves whether the value was set. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
}

/** Options of {@link createSharedHostGate}. */
export interface SharedGateOptions {
  redis: RedisScripts;
  /** Key prefix, e.g. `<namespace>:polite:`. */
  prefix: string;
  /** This process's gate: the global limit, and the fallback while Redis fails. */
  local: HostGate;
  clock: GateClock;
  logger: Logger;
  /** How long a slot stays taken if its worker dies (renewed while the request lasts); default 10 s. */
  leaseMs?: number;
}

/** A host gate whose per-host decisions live in Redis. */
export function createSharedHostGate(options: SharedGateOptions): HostGate {
  const { redis, prefix, local, clock } = options;
  const leaseMs = options.leaseMs ?? 10_000;
  const trouble = throttledWarning(options.logger);

  /**
   * Waits until this turn may send: the host's previous request confirmed out (polled while it is
   * not, up to its lease) and minDelay past that moment. Records this start as the unconfirmed one.
   */
  async function waitForStart(host: string, keys: string[], args: string[]): Promise<void> {
    for (;;) {
      const answer = await redis.eval(START_SCRIPT, keys, args).catch((error: unknown) => {
        trouble(host, error);
        return [0, 0];
      });
      const [unsent, ms] = (answer as [number, number]).map(Number) as [number, number];
      if (ms > 0) await clock.sleep(ms);
      if (unsent !== 1) return;
    }
  }

  async function acquireShared(host: string, limits: HostLimits, options: TurnOptions): Promise<HostTurn> {
    const token = randomUUID();
    const keys = [`${prefix}next:${host}`, `${prefix}slots:${host}`];
    for (;;) {
      const answer = (await redis.eval(RESERVE_SCRIPT, keys, [
        String(Math.max(1, limits.perHostConcurrency)),
        String(Math.max(0, limits.minHostDelayMs)),
        String(leaseMs),
        token,
      ])) as [number, number];
      const [granted, ms, startAt = 0] = answer.map(Number) as [number, number, number?];
      if (granted === 1) {
        // The slot is held as a short lease renewed while this worker waits and fetches: a killed
        // worker's slots free themselves within leaseMs instead of blocking the host.
        const renew = setInterval(
          () => {
            redis
              .eval(RENEW_SCRIPT, [keys[1]!], [token, String(leaseMs)])
              .catch((error: unknown) => trouble(host, error));
          },
          Math.max(500, Math.floor(leaseMs / 3)),
        );
        renew.unref();
        const startKeys = [keys[0]!, `${prefix}started:${host}`, `${prefix}unsent:${host}`];
        const delayMs = String(Math.max(0, limits.minHostDelayMs));
        /** Records this turn's request as out, now: the next worker is spaced from this moment. */
        const confirm = () =>
          redis.eval(CONFIRM_SCRIPT, startKeys, [delayMs, token]).catch((error: unknown) => trouble(host, error));
        let localTurn: HostTurn;
        try {
          if (ms > 0) await clock.sleep(ms);
          // The global limit is this process's own; the per-host turn is already ours.
          localTurn = await local.acquire(`\0shared:${host}`, {
            perHostConcurrency: Number.MAX_SAFE_INTEGER,
            minHostDelayMs: 0,
          });
          // A reserved turn only holds if every worker's request leaves on time. The start check waits
          // until the host's last request is known to be out (its worker confirmed the write), then
          // out the rest of minDelay from that moment: spacing holds between the requests the site sees.
          await waitForStart(host, startKeys, [String(startAt), delayMs, token, String(leaseMs)]);
        } catch (error) {
          clearInterval(renew);
          throw error;
        }
        return sharedTurn({
          localTurn,
          sendsLater: options.sendsLater === true,
          confirm,
          release() {
            clearInterval(renew);
            redis.eval(RELEASE_SCRIPT, [keys[1]!], [token]).catch((error: unknown) => trouble(host, error));
          },
        });
      }
      // Every slot of the host is taken (by any worker): look again shortly.
      await clock.sleep(Math.max(20, Math.min(ms, 500)));
    }
  }

  return {
    acquire(host, limits, options = {}) {
      return acquireShared(host, limits, options).catch((error: unknown) => {
        trouble(host, error);
        return local.acquire(host, limits, options);
      });
    },
    defer(host, untilMs) {
      local.defer(host, untilMs);
      const delayMs = Math.round(untilMs - clock.now());
      if (delayMs <= 0) return;
      redis
        .eval(DEFER_SCRIPT, [`${prefix}next:${host}`], [String(delayMs)])
        .catch((error: unknown) => trouble(host, error));
    },
    turnIn: (host) => local.turnIn(host),
    size: () => local.size(),
  };
}

/** Options of {@link createSharedRobotsLoader}. */
export interface SharedRobotsOptions {
  redis: RedisScripts;
  prefix: string;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
}

/** Wraps a robots.txt download so workers share its result: one download per origin per TTL across all of them. */
export function createSharedRobotsLoader(
  options: SharedRobotsOptions,
): (robotsUrl: string, download: () => Promise<RobotsLoad>) => Promise<RobotsLoad> {
  const { redis, prefix } = options;
  const trouble = throttledWarning(options.logger);
  return async (robotsUrl, download) => {
    const key = `${prefix}robots:${robotsUrl}`;
    try {
      for (let waited = 0; ; waited += ROBOTS_POLL_MS) {
        const cached = await redis.get(key);
        if (cached !== null) return JSON.parse(cached) as RobotsLoad;
        // One worker downloads; the others wait a little for its result.
        if (waited >= ROBOTS_WAIT_MS || (await redis.set(`${key}:lock`, '1', ROBOTS_LOCK_MS, true))) break;
        await options.sleep(ROBOTS_POLL_MS);
      }
    } catch (error) {
      trouble(new URL(robotsUrl).host, error);
      return download();
    }
    const outcome = await download();
    const ttlMs = outcome.kind === 'unavailable' ? 60 * 60 * 1000 : 24 * 60 * 60 * 1000;
    await redis
      .set(key, JSON.stringify(outcome), ttlMs)
      .catch((error: unknown) => trouble(new URL(robotsUrl).host, error));
    return outcome;
  };
}

// --- Internal helpers ---

const ROBOTS_POLL_MS = 100;
const ROBOTS_WAIT_MS = 5_000;
const ROBOTS_LOCK_MS = 15_000;

/**
 * KEYS: next-start key, slots zset. ARGV: per-host limit, min delay ms, lease ms, token.
 * Returns {1, wait ms, start (Redis ms)} with the slot and the turn reserved, or {0, retry ms} when the host is full.
 * Time is Redis' own, so workers with skewed clocks still keep the spacing.
 */
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, math.min(500, math.max(20, tonumber(first[2]) - now))}
end
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
local startAt = math.max(now, nextAt)
local delay = tonumber(ARGV[2])
redis.call('SET', KEYS[1], startAt + delay, 'PX', startAt - now + delay + 60000)
redis.call('ZADD', KEYS[2], startAt + tonumber(ARGV[3]), ARGV[4])
if redis.call('PTTL', KEYS[2]) < startAt - now + tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], startAt - now + tonumber(ARGV[3])) end
return {1, startAt - now, startAt}`;

/**
 * KEYS: next-start key, last-start key, unsent key. ARGV: the turn's reserved start (Redis ms), min
 * delay ms, token, lease ms.
 * Called just before a request goes out. While another turn's request is not confirmed out (the
 * unsent key holds its token), returns {1, poll ms}: ask again. Otherwise returns {0, wait ms}: wait
 * that long, so this start is at least the delay after the host's last start and the reserved turn,
 * then send. The start is recorded (pushing the next turn back when this one is late), and this
 * turn becomes the unsent one until its worker confirms (CONFIRM_SCRIPT) or its lease runs out.
 */
const START_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local delay = tonumber(ARGV[2])
if delay <= 0 then return {0, 0} end
local unsent = redis.call('GET', KEYS[3])
if unsent and unsent ~= ARGV[3] then return {1, math.max(5, math.min(50, redis.call('PTTL', KEYS[3])))} end
local at = math.max(now, tonumber(ARGV[1]))
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local wait = math.max(0, last + delay - at)
local startAt = at + wait
if startAt > last then redis.call('SET', KEYS[2], startAt, 'PX', wait + delay + 60000) end
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if startAt + delay > nextAt then redis.call('SET', KEYS[1], startAt + delay, 'PX', wait + delay + 60000) end
redis.call('SET', KEYS[3], ARGV[3], 'PX', wait + tonumber(ARGV[4]))
return {0, wait}`;

/**
 * KEYS: next-start key, last-start key, unsent key. ARGV: min delay ms, token.
 * The turn's request is out now (Redis ms): the last start moves to now when that is later, the
 * host's next turn to at least now + delay, and the turn stops being the unsent one.
 */
const CONFIRM_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local delay = tonumber(ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
if delay <= 0 then return 1 end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if now > last then redis.call('SET', KEYS[2], now, 'PX', delay + 60000) end
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + delay > nextAt then redis.call('SET', KEYS[1], now + delay, 'PX', delay + 60000) end
return 1`;

/** KEYS: slots zset. ARGV: token, lease ms. Extends a slot this worker still holds. */
const RENEW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
end
return 1`;

/** KEYS: slots zset. ARGV: token. */
const RELEASE_SCRIPT = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** KEYS: next-start key. ARGV: delay ms from now (Redis time). Pushes the host's next start later, never earlier. */
const DEFER_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilAt = now + tonumber(ARGV[1])
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilAt > nextAt then redis.call('SET', KEYS[1], untilAt, 'PX', tonumber(ARGV[1]) + 60000) end
return 1`;

/**
 * The turn handed out. Its request is confirmed out once, to Redis, when it is known to have left:
 * undici's write (written()), the other client's send (sent(), for a `sendsLater` turn) or, at the
 * latest, the end of the turn (a request that never reached a connection).
 */
function sharedTurn(parts: {
  localTurn: HostTurn;
  sendsLater: boolean;
  confirm: () => unknown;
  release: () => void;
}): HostTurn {
  let confirmed = false;
  const confirmOnce = () => {
    if (confirmed) return;
    confirmed = true;
    parts.confirm();
  };
  return createTurn(
    parts.sendsLater,
    () => {
      parts.localTurn.sent();
      confirmOnce();
    },
    () => {
      parts.localTurn();
      confirmOnce();
      parts.release();
    },
    () => {
      parts.localTurn.written();
      if (!parts.sendsLater) confirmOnce();
    },
  );
}

/** Redis trouble is logged once a minute at most: the fallback keeps fetching meanwhile. */
function throttledWarning(logger: Logger): (host: string, error: unknown) => void {
  let loggedAt = -Infinity;
  return (host, error) => {
    const now = Date.now();
    if (now - loggedAt < 60_000) return;
    loggedAt = now;
    const detail = error instanceof Error ? error.message : String(error);
    logger.warn(
      { host, err: detail },
      `fetch: shared politeness state unavailable in Redis (${detail}); this worker keeps its own limits meanwhile`,
    );
  };
}
