/**
 * Fencing: a run writes its results only while it still owns the source. Each run takes a token
 * (a per-source counter, incremented) when it starts; its writes carry the token and are applied
 * only if the counter still holds it, checked in the same atomic step as the write (one Lua script
 * on Redis). A run that lost the source — its worker stalled past its job lock and another worker
 * took the fire again — has its writes refused instead of putting an older history over a newer one.
 */
import type { Keyv } from 'keyv';

/** One keyv write as the store batches it. */
export interface KeyvWrite {
  key: string;
  value: unknown;
  ttl?: number;
}

/** Takes ownership tokens and writes only for the current owner. */
export interface Fencing {
  /** Makes this run the source's owner; returns its token. */
  claim(sourceId: string): Promise<number>;
  /** The source's current token without taking it (0 before any run): upkeep writes only if no run started since. */
  peek(sourceId: string): Promise<number>;
  /** Applies `writes` only if `token` is still the source's token; resolves whether it did. */
  writeIfOwner(sourceId: string, token: number, writes: KeyvWrite[]): Promise<boolean>;
}

/** Key of a source's fencing token (inside the store's namespace). */
export function fenceKey(sourceId: string): string {
  return `fence:${encodeURIComponent(sourceId)}`;
}

/** The minimal Redis client surface the Redis fencing uses. */
export interface FencingRedisClient {
  incr(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Fencing on Redis, writing exactly what @keyv/redis would (`<namespace>::<key>`, JSON
 * `{"value":…,"expires":…}` with PX) so keyv reads the values back.
 */
export function createRedisFencing(
  client: FencingRedisClient,
  namespace: string,
  serialize: (data: unknown) => string,
): Fencing {
  const prefixed = (key: string) => `${namespace}::${key}`;
  return {
    claim: (sourceId) => client.incr(prefixed(fenceKey(sourceId))),
    peek: async (sourceId) => Number((await client.get(prefixed(fenceKey(sourceId)))) ?? 0),
    async writeIfOwner(sourceId, token, writes) {
      const now = Date.now();
      const keys = [prefixed(fenceKey(sourceId)), ...writes.map((write) => prefixed(write.key))];
      const args = [String(token)];
      for (const write of writes) {
        const ttl = write.ttl !== undefined && write.ttl > 0 ? Math.round(write.ttl) : 0;
        args.push(
          serialize(ttl > 0 ? { value: write.value, expires: now + ttl } : { value: write.value }),
          String(ttl),
        );
      }
      return Number(await client.eval(WRITE_IF_OWNER_SCRIPT, { keys, arguments: args })) === 1;
    },
  };
}

/**
 * Fencing for stores one process uses at a time (SQLite, memory): the token lives in the store, so
 * a run started after another (a `run` next to a `start`) still finds out it lost the source.
 */
export function createKeyvFencing(keyv: Keyv): Fencing {
  return {
    async claim(sourceId) {
      const next = Number((await keyv.get(fenceKey(sourceId))) ?? 0) + 1;
      await keyv.set(fenceKey(sourceId), next);
      return next;
    },
    peek: async (sourceId) => Number((await keyv.get(fenceKey(sourceId))) ?? 0),
    async writeIfOwner(sourceId, token, writes) {
      if (Number((await keyv.get(fenceKey(sourceId))) ?? 0) !== token) return false;
      if (writes.length > 0) await keyv.setMany(writes);
      return true;
    },
  };
}

// --- Internal helpers ---

/** KEYS: fence, then one key per write. ARGV: token, then (value, ttl ms or 0) per write. */
const WRITE_IF_OWNER_SCRIPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
for i = 2, #KEYS do
  local value = ARGV[(i - 1) * 2]
  local ttl = tonumber(ARGV[(i - 1) * 2 + 1])
  if ttl > 0 then redis.call('SET', KEYS[i], value, 'PX', ttl) else redis.call('SET', KEYS[i], value) end
end
return 1`;
