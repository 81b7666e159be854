/**
 * Shared mode with an `output:` export: the site files (topic feeds, `feeds.opml`, `index.html`)
 * are written by ONE worker, elected through a lease in Redis, instead of by every worker.
 *
 * The lease is a key holding `<worker>|<token>` with a time to live; a worker that finds it free
 * takes it with a fresh token (a counter, INCR), the holder renews it, a stopping holder releases
 * it. Before writing, the holder asks {@link SiteElection.allow} with the feed versions its rebuild
 * was rendered from; one Lua script then checks, atomically:
 *
 * - the lease is still this worker's with this token, with at least `marginMs` left (a holder that
 *   stalled past its lease — GC, a stopped VM — and was replaced is refused: fencing);
 * - the last site written (its token and feed versions, kept in Redis) is not newer: a rebuild from
 *   an older token is refused, and under the same token one whose versions are older for any source;
 *
 * and records this rebuild as the last written. The files are written right after (milliseconds),
 * well inside the margin, so a newer holder cannot have written in between unless this process
 * stalls for longer than the margin between the check and the renames.
 */
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { AppConfig } from '../model.js';
import type { SiteWriteGuard } from '../pipeline/start-up.js';
import { isSharedStore, openRedisScripts, splitStoreUrl, type RedisScriptsConnection } from '../store/index.js';
import { createOutageLog } from '../outage/outage-log.js';
import { describeError } from '../errors.js';

/** Options for {@link createSiteElection}. */
export interface SiteElectionOptions {
  /** A Redis connection of its own (store/openRedisScripts). */
  redis: RedisScriptsConnection;
  /** Store namespace: the election's keys are `<namespace>:site:*`. */
  namespace: string;
  /** This worker's name, unique among the workers (`<hostname>:<pid>`). */
  worker: string;
  logger: Logger;
  /** Lease time to live; default 30 s. Renewed every third of it. */
  leaseMs?: number;
  /** A write is allowed only with at least this much lease left; default a third of the lease. */
  marginMs?: number;
  /** Called when this worker becomes the site writer (it should rebuild the site then). */
  onElected?: () => void;
}

/** The site election of one worker; also the guard its site publisher asks before writing. */
export interface SiteElection extends SiteWriteGuard {
  /** Campaigns at once, then every third of the lease (renewing while elected). */
  start(): void;
  /** Whether this worker holds the lease (by its own clock, with the margin kept). */
  isLeader(): boolean;
  /** The token of the lease held, if any. */
  token(): number | undefined;
  /** One campaign round: takes a free lease or renews the one held; resolves whether this worker holds it. */
  campaign(): Promise<boolean>;
  /** Stops campaigning and releases the lease if this worker holds it. */
  stop(): Promise<void>;
}

/** Creates the election; nothing happens until start() (or campaign()). */
export function createSiteElection(options: SiteElectionOptions): SiteElection {
  const { redis, logger } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const marginMs = options.marginMs ?? Math.floor(leaseMs / 3);
  const keys = siteElectionKeys(options.namespace);
  const outage = createOutageLog(logger, { level: 'warn' });
  let held: { token: number; validUntil: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let campaigning: Promise<boolean> | undefined;

  const holder = (token: number) => `${options.worker}|${token}`;

  async function campaignOnce(): Promise<boolean> {
    const startedAt = Date.now();
    try {
      const result = await redis.eval(
        CAMPAIGN_SCRIPT,
        [keys.lease, keys.counter],
        [options.worker, held ? String(held.token) : '', String(leaseMs)],
      );
      outage.recovered({}, (failures) => `site election: Redis answers again after ${failures} failed attempt(s)`);
      const token = Number(result);
      if (token > 0) {
        const elected = held?.token !== token;
        held = { token, validUntil: startedAt + leaseMs };
        if (elected) {
          logger.info(
            { token },
            `site election: this worker (${options.worker}) writes the site files (token ${token})`,
          );
          options.onElected?.();
        }
        return true;
      }
      if (held)
        logger.warn({ token: held.token }, 'site election: lost the lease; another worker writes the site files');
      held = undefined;
      return false;
    } catch (error) {
      // Keep the lease locally until it would have expired: a renewal that failed does not end it in Redis.
      if (held && Date.now() >= held.validUntil) held = undefined;
      outage.failed(
        { err: error },
        `site election: could not reach Redis (${describeError(error)}); the site files wait for it`,
      );
      return false;
    }
  }

  return {
    start() {
      if (timer) return;
      void this.campaign();
      timer = setInterval(() => void this.campaign(), Math.max(100, Math.floor(leaseMs / 3)));
      timer.unref();
    },
    isLeader: () => held !== undefined && Date.now() < held.validUntil - marginMs,
    token: () => held?.token,
    campaign() {
      campaigning ??= campaignOnce().finally(() => (campaigning = undefined));
      return campaigning;
    },
    async allow(versions) {
      if (!held || Date.now() >= held.validUntil - marginMs) {
        logger.debug({}, 'site election: not the site writer; site files left to the elected worker');
        return false;
      }
      const token = held.token;
      let verdict: number;
      try {
        verdict = Number(
          await redis.eval(
            ALLOW_SCRIPT,
            [keys.lease, keys.written],
            [holder(token), String(marginMs), JSON.stringify(Object.fromEntries(versions)), String(token)],
          ),
        );
      } catch (error) {
        logger.warn(
          { err: error },
          `site election: could not check the lease (${describeError(error)}); site not written`,
        );
        return false;
      }
      if (verdict === 1) return true;
      if (verdict === REGRESSED) {
        logger.warn(
          { token },
          'site election: feed versions in the store are lower than those of the site written last (was the store cleared?); writing the site from the store as it is',
        );
        return true;
      }
      logger.warn(
        { token, code: 'SITE_FENCED' },
        `site election: site rebuild discarded: ${REFUSALS[verdict] ?? verdict}`,
      );
      if (verdict === NOT_HOLDER) held = undefined;
      return false;
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await campaigning?.catch(() => undefined);
      if (!held) return;
      const token = held.token;
      held = undefined;
      try {
        await redis.eval(RELEASE_SCRIPT, [keys.lease], [holder(token)]);
      } catch (error) {
        logger.debug({ err: error }, 'site election: could not release the lease; it expires by itself');
      }
    },
  };
}

/** What the worker hands the site election. */
export interface SiteElectionHooks {
  logger: Logger;
  /** Called when this worker becomes the site writer. */
  onElected: () => void;
}

/** An election and how to close what it opened. */
export interface OpenedElection {
  election: SiteElection;
  close(): Promise<void>;
}

/** Redis store with an `output:` export: a lease in that Redis elects the one worker writing the site files; else none. */
export async function openSiteElection(
  config: AppConfig,
  hooks: SiteElectionHooks,
): Promise<OpenedElection | undefined> {
  if (!isSharedStore(config.store) || config.output === undefined) return undefined;
  const store = splitStoreUrl(config.store);
  const redis = await openRedisScripts(store.url);
  const election = createSiteElection({
    redis,
    namespace: store.namespace,
    worker: `${hostname()}:${process.pid}`,
    logger: hooks.logger,
    onElected: hooks.onElected,
  });
  return { election, close: () => redis.close() };
}

/** The Redis keys of a namespace's site election (for tests and tools). */
export function siteElectionKeys(namespace: string): { lease: string; counter: string; written: string } {
  return { lease: `${namespace}:site:lease`, counter: `${namespace}:site:token`, written: `${namespace}:site:written` };
}

// --- Internal helpers ---

const NOT_HOLDER = -1;
const REGRESSED = 2;

const REFUSALS: Record<number, string> = {
  [NOT_HOLDER]: 'this worker no longer holds the site lease (another worker was elected)',
  [-2]: 'too little of the site lease is left to write safely; the next rebuild writes it',
  [-3]: 'a site written under a newer lease is already there',
  [-4]: 'it was rendered from older feed versions than the site already written',
};

/** KEYS: lease, counter. ARGV: worker, token held ('' for none), ttl. Returns the token held after, or 0. */
const CAMPAIGN_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  if ARGV[2] ~= '' and current == ARGV[1] .. '|' .. ARGV[2] then
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return tonumber(ARGV[2])
  end
  return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[3])
return token`;

/**
 * KEYS: lease, written. ARGV: holder (`worker|token`), margin ms, versions (JSON object), token.
 * 1: allowed and recorded; 2: allowed although versions went back under a newer token (a cleared store);
 * -1 not the holder, -2 lease too short, -3 newer token wrote, -4 older versions under the same token.
 */
const ALLOW_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then return -2 end
local token = tonumber(ARGV[4])
local mine = cjson.decode(ARGV[3])
local result = 1
local written = redis.call('GET', KEYS[2])
if written then
  local last = cjson.decode(written)
  local lastToken = tonumber(last.token)
  if lastToken > token then return -3 end
  for id, n in pairs(last.versions) do
    local m = mine[id]
    if m ~= nil and m < n then
      if lastToken == token then return -4 end
      result = 2
    end
  end
end
redis.call('SET', KEYS[2], cjson.encode({ token = token, versions = mine }))
return result`;

/** KEYS: lease. ARGV: holder. Deletes the lease only if this worker still holds it. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
