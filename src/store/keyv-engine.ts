/**
 * The engine for stores that are only keyv (memory://, test doubles): one key per seen item
 * (`seen:<source>:<id>`, expiring by keyv's TTL), the fencing token as a keyv value checked before
 * the batch. Such a store serves one process, so check and write need no atomic step; prune lists
 * keys through keyv's iterator where the store has one (a Map does).
 */
import type { Keyv } from 'keyv';
import { parseSeenRecord, type ItemRecord } from './item-record.js';
import { encodeSeen, fenceKey, type StoreEngine } from './store-engine.js';

/** Key of one item of a source's seen index on plain keyv. */
export function seenKey(sourceId: string, id: string): string {
  return `seen:${encodeURIComponent(sourceId)}:${id}`;
}

/** Builds the engine over `keyv`. */
export function createKeyvEngine(keyv: Keyv): StoreEngine {
  const token = async (sourceId: string) => Number((await keyv.get(fenceKey(sourceId))) ?? 0);
  const readSeen = async (sourceId: string, ids: readonly string[], nowMs: number) => {
    const found = new Map<string, ItemRecord>();
    if (ids.length === 0) return found;
    const raw = await keyv.getMany<unknown>(ids.map((id) => seenKey(sourceId, id)));
    ids.forEach((id, i) => {
      const value = raw[i];
      if (value === undefined || value === null) return;
      const record = parseSeenRecord(value, seenKey(sourceId, id), sourceId, id);
      if (Date.parse(record.expiresAt) > nowMs) found.set(id, record);
    });
    return found;
  };
  const toEntry = (record: ItemRecord, ttlMs: number) => ({
    key: seenKey(record.sourceId, record.id),
    value: encodeSeen(record),
    ttl: ttlMs,
  });
  return {
    async claim(sourceId) {
      const next = (await token(sourceId)) + 1;
      await keyv.set(fenceKey(sourceId), next);
      return next;
    },
    peek: token,
    readSeen,
    async commit(sourceId, fence, ids, nowMs, plan) {
      const { batch, result } = plan(await readSeen(sourceId, ids, nowMs));
      if (fence !== undefined && (await token(sourceId)) !== fence) return undefined;
      const entries = [...batch.seen.map((record) => toEntry(record, batch.seenTtlMs)), ...batch.writes];
      if (entries.length > 0) await keyv.setMany(entries);
      return { result };
    },
    async write(sourceId, fence, writes) {
      if (fence !== undefined && (await token(sourceId)) !== fence) return false;
      if (writes.length > 0) await keyv.setMany(writes);
      return true;
    },
    async importSeen(sourceId, records, ttlMs) {
      if (records.length === 0) return;
      const present = await keyv.getMany<unknown>(records.map((record) => seenKey(sourceId, record.id)));
      const missing = records.filter((_, i) => present[i] === undefined || present[i] === null);
      if (missing.length > 0) await keyv.setMany(missing.map((record) => toEntry(record, ttlMs)));
    },
    async prune(sourceIds, nowMs) {
      if (!keyv.iterator) return 0; // keyv's own TTLs still drop the records; nothing to list them by
      const prefixes = sourceIds.map((sourceId) => `seen:${encodeURIComponent(sourceId)}:`);
      const expired: string[] = [];
      for await (const [key, value] of keyv.iterator(undefined) as AsyncGenerator<[string, unknown]>) {
        const prefix = prefixes.find((p) => key.startsWith(p));
        if (prefix === undefined) continue;
        const id = key.slice(prefix.length);
        const record = parseSeenRecord(value, key, decodeURIComponent(prefix.split(':')[1] ?? ''), id);
        if (Date.parse(record.expiresAt) <= nowMs) expired.push(key);
      }
      if (expired.length > 0) await keyv.deleteMany(expired);
      return expired.length;
    },
    // keyv's clear removes the seen keys with everything else.
    clear: async () => undefined,
  };
}
