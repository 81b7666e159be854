/**
 * The engine on Redis: a source's seen index is a hash (`seen:<source>`, id → record) with a sorted
 * set of expiries (`seen-expiry:<source>`, for prune), so a run writes only its new and refreshed
 * items. A run's commit — the fencing check, the seen items, the history and the state parts — is
 * one Lua script (one round trip, atomic). It is optimistic: the run plans as if the items outside
 * its history were unknown and the script checks that they are; should one be in the seen index
 * (an item back on the page after leaving the history), the script writes nothing and returns those
 * records, and the run plans again with them (a second round trip, only then). keyv values are written exactly as @keyv/redis writes
 * them (`<namespace>::<key>`, JSON `{"value":…,"expires":…}` with PX), so keyv reads them back.
 */
import { parseSeenRecord, type ItemRecord } from './item-record.js';
import { COMMIT_PRUNE_LIMIT, encodeSeen, fenceKey, type KeyvWrite, type StoreEngine } from './store-engine.js';

/** The minimal Redis client surface the engine uses (node-redis, as @keyv/redis brings it). */
export interface RedisEngineClient {
  incr(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  hmGet(key: string, fields: string[]): Promise<Array<string | null>>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scan(cursor: string, options: { MATCH: string; COUNT: number }): Promise<{ cursor: string | number; keys: string[] }>;
  del(keys: string[]): Promise<number>;
}

/** Builds the engine for keyv namespace `namespace`; `serialize` is the keyv codec's. */
export function createRedisEngine(
  client: RedisEngineClient,
  namespace: string,
  serialize: (data: unknown) => string,
): StoreEngine {
  const prefixed = (key: string) => `${namespace}::${key}`;
  const seenKeys = (sourceId: string) => {
    const part = encodeURIComponent(sourceId);
    return [prefixed(`seen:${part}`), prefixed(`seen-expiry:${part}`)];
  };
  const valueArgs = (writes: readonly KeyvWrite[]): string[] => {
    const now = Date.now();
    return writes.flatMap((write) => {
      const ttl = write.ttl !== undefined && write.ttl > 0 ? Math.round(write.ttl) : 0;
      return [serialize(ttl > 0 ? { value: write.value, expires: now + ttl } : { value: write.value }), String(ttl)];
    });
  };
  /**
   * One script call: fencing check, the check that `unknown` ids are not live in the seen index,
   * seen records, keyv values, bounded prune. Resolves 'fenced', 'done', or the live records found.
   */
  const commitScript = async (
    sourceId: string,
    fence: number | undefined,
    unknown: readonly string[],
    seen: readonly ItemRecord[],
    writes: readonly KeyvWrite[],
    nowMs: number | undefined,
  ): Promise<'fenced' | 'done' | Map<string, ItemRecord>> => {
    const keys = [prefixed(fenceKey(sourceId)), ...seenKeys(sourceId), ...writes.map((write) => prefixed(write.key))];
    const args = [
      fence === undefined ? '' : String(fence),
      nowMs === undefined ? '0' : String(nowMs),
      nowMs === undefined ? '0' : String(COMMIT_PRUNE_LIMIT),
      String(seen.length),
      String(unknown.length),
      ...unknown,
      ...seen.flatMap((record) => [record.id, encodeSeen(record), String(Date.parse(record.expiresAt))]),
      ...valueArgs(writes),
    ];
    const answer = await client.eval(COMMIT_SCRIPT, { keys, arguments: args });
    if (!Array.isArray(answer)) return Number(answer) === 1 ? 'done' : 'fenced';
    const found = new Map<string, ItemRecord>();
    const [hash = ''] = seenKeys(sourceId);
    for (let i = 0; i + 1 < answer.length; i += 2) {
      const id = String(answer[i]);
      found.set(id, parseSeenRecord(String(answer[i + 1]), `${hash} ${id}`, sourceId, id));
    }
    return found;
  };
  const readSeen = async (sourceId: string, ids: readonly string[], nowMs: number) => {
    const found = new Map<string, ItemRecord>();
    if (ids.length === 0) return found;
    const [hash = ''] = seenKeys(sourceId);
    const raw = await client.hmGet(hash, [...ids]);
    ids.forEach((id, i) => {
      const value = raw[i];
      if (value === null || value === undefined) return;
      const record = parseSeenRecord(value, `${hash} ${id}`, sourceId, id);
      if (Date.parse(record.expiresAt) > nowMs) found.set(id, record);
    });
    return found;
  };

  return {
    claim: (sourceId) => client.incr(prefixed(fenceKey(sourceId))),
    peek: async (sourceId) => Number((await client.get(prefixed(fenceKey(sourceId)))) ?? 0),
    readSeen,
    async commit(sourceId, fence, ids, nowMs, plan) {
      const known = new Map<string, ItemRecord>();
      // Each conflict adds at least one record to `known`, so this ends after ids.length + 1 tries.
      for (;;) {
        const { batch, result } = plan(known);
        const unknown = ids.filter((id) => !known.has(id));
        const outcome = await commitScript(sourceId, fence, unknown, batch.seen, batch.writes, nowMs);
        if (outcome === 'fenced') return undefined;
        if (outcome === 'done') return { result };
        for (const [id, record] of outcome) if (Date.parse(record.expiresAt) > nowMs) known.set(id, record);
        if (![...outcome.keys()].some((id) => known.has(id) && unknown.includes(id))) {
          throw new Error(`the seen index of "${sourceId}" answered records that are not live`);
        }
      }
    },
    write: async (sourceId, fence, writes) =>
      (await commitScript(sourceId, fence, [], [], writes, undefined)) !== 'fenced',
    async importSeen(sourceId, records) {
      if (records.length === 0) return;
      const args = records.flatMap((record) => [record.id, encodeSeen(record), String(Date.parse(record.expiresAt))]);
      await client.eval(IMPORT_SCRIPT, { keys: seenKeys(sourceId), arguments: args });
    },
    async prune(sourceIds, nowMs) {
      // Issued together, so node-redis pipelines them: one round trip for every source.
      const counts = await Promise.all(
        sourceIds.map((sourceId) =>
          client.eval(PRUNE_SCRIPT, { keys: seenKeys(sourceId), arguments: [String(nowMs), '-1'] }),
        ),
      );
      return counts.reduce<number>((sum, n) => sum + Number(n), 0);
    },
    // @keyv/redis's clear deletes only string keys, so the seen hashes and expiry sets go here.
    async clear() {
      for (const kind of ['seen:', 'seen-expiry:']) {
        const match = `${escapeGlob(prefixed(kind))}*`;
        let cursor = '0';
        do {
          const page = await client.scan(cursor, { MATCH: match, COUNT: 500 });
          cursor = String(page.cursor);
          if (page.keys.length > 0) await client.del(page.keys);
        } while (cursor !== '0');
      }
    },
  };
}

// --- Internal helpers ---

/** Escapes Redis glob characters so a namespace matches only itself in SCAN's MATCH. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/** Deletes the entries of KEYS[1]/KEYS[2] that expired at or before ARGV[1], at most ARGV[2] (-1: all). */
const PRUNE_BODY = `
local function prune(hash, expiry, before, limit)
  local old
  if limit < 0 then old = redis.call('ZRANGEBYSCORE', expiry, '-inf', before)
  else old = redis.call('ZRANGEBYSCORE', expiry, '-inf', before, 'LIMIT', 0, limit) end
  for _, id in ipairs(old) do
    redis.call('HDEL', hash, id)
    redis.call('ZREM', expiry, id)
  end
  return #old
end`;

const PRUNE_SCRIPT = `${PRUNE_BODY}
return prune(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))`;

/**
 * KEYS: fence, seen hash, seen expiry set, then one key per keyv value.
 * ARGV: token ('' = unfenced), now ms (liveness and prune), prune limit (0 = none), number of seen
 * records, number of ids to check, the ids that must not be live in the seen index, then (id, record,
 * expiry ms) per seen record, then (value, ttl ms or 0) per keyv value.
 * Returns 0 when fenced, the live records found among the checked ids (id, record, …) without
 * writing anything, or 1 once written.
 */
const COMMIT_SCRIPT = `${PRUNE_BODY}
if ARGV[1] ~= '' and tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
local checks = tonumber(ARGV[5])
local found = {}
for i = 6, 5 + checks do
  local score = redis.call('ZSCORE', KEYS[3], ARGV[i])
  if score and tonumber(score) > tonumber(ARGV[2]) then
    local record = redis.call('HGET', KEYS[2], ARGV[i])
    if record then
      found[#found + 1] = ARGV[i]
      found[#found + 1] = record
    end
  end
end
if #found > 0 then return found end
local a = 6 + checks
for i = 1, tonumber(ARGV[4]) do
  redis.call('HSET', KEYS[2], ARGV[a], ARGV[a + 1])
  redis.call('ZADD', KEYS[3], ARGV[a + 2], ARGV[a])
  a = a + 3
end
for i = 4, #KEYS do
  local ttl = tonumber(ARGV[a + 1])
  if ttl > 0 then redis.call('SET', KEYS[i], ARGV[a], 'PX', ttl) else redis.call('SET', KEYS[i], ARGV[a]) end
  a = a + 2
end
if tonumber(ARGV[3]) > 0 then prune(KEYS[2], KEYS[3], ARGV[2], tonumber(ARGV[3])) end
return 1`;

/** KEYS: seen hash, seen expiry set. ARGV: (id, record, expiry ms) per record; an id already there is left alone. */
const IMPORT_SCRIPT = `
for a = 1, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[1], ARGV[a], ARGV[a + 1]) == 1 then redis.call('ZADD', KEYS[2], ARGV[a + 2], ARGV[a]) end
end
return 1`;
