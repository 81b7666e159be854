/**
 * Migration from store layout 1, where a source's seen items were one JSON index (`index:<source>`,
 * id → expiry, rewritten whole on every run that saw a new item) plus one keyv key per item
 * (`item:<source>:<id>`). The first time a source is loaded (or pruned) its live records move into
 * the seen index, then the old keys are deleted. Each step can be repeated: a crash in between
 * only makes the next load do it again, and records already in the seen index are never overridden.
 */
import type { Keyv } from 'keyv';
import { parseIndexRecord, parseItemRecord, type ItemRecord } from './item-record.js';
import type { StoreEngine } from './store-engine.js';

/** Key of a source's layout-1 index. */
export function legacyIndexKey(sourceId: string): string {
  return `index:${encodeURIComponent(sourceId)}`;
}

/** Key of one layout-1 item record. */
export function legacyItemKey(sourceId: string, id: string): string {
  return `item:${encodeURIComponent(sourceId)}:${id}`;
}

/**
 * Moves a source's layout-1 index (`rawIndex`, as read under {@link legacyIndexKey}) into the seen
 * index; returns how many records moved (those keyv still held: the others had expired).
 */
export async function migrateLegacyIndex(
  keyv: Keyv,
  engine: StoreEngine,
  sourceId: string,
  rawIndex: unknown,
): Promise<number> {
  const index = parseIndexRecord(rawIndex, legacyIndexKey(sourceId), sourceId);
  const ids = Object.keys(index.expires);
  const keys = ids.map((id) => legacyItemKey(sourceId, id));
  const records: ItemRecord[] = [];
  // Read in slices: a year-old source holds thousands of records.
  for (let start = 0; start < keys.length; start += MIGRATE_SLICE) {
    const slice = keys.slice(start, start + MIGRATE_SLICE);
    const raw = await keyv.getMany<unknown>(slice);
    raw.forEach((value, i) => {
      if (value === undefined || value === null) return; // expired: keyv dropped it
      records.push(parseItemRecord(value, slice[i] ?? '?', sourceId));
    });
  }
  for (let start = 0; start < records.length; start += MIGRATE_SLICE) {
    const slice = records.slice(start, start + MIGRATE_SLICE);
    const ttlMs = Math.max(1, Math.max(...slice.map((record) => Date.parse(record.expiresAt))) - Date.now());
    await engine.importSeen(sourceId, slice, ttlMs);
  }
  // The index goes last: until it is gone, the next load migrates again.
  for (let start = 0; start < keys.length; start += MIGRATE_SLICE)
    await keyv.deleteMany(keys.slice(start, start + MIGRATE_SLICE));
  await keyv.delete(legacyIndexKey(sourceId));
  return records.length;
}

// --- Internal helpers ---

const MIGRATE_SLICE = 500;
