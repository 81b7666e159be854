/**
 * What the store persists. keyv serializes JSON, so dates are ISO strings here and become Date
 * objects only when they leave the store. Anything read back is checked before it is trusted.
 */
import { formatErrorMessage } from '../errors.js';
import type { StoredItem } from '../model.js';
import { StoreError } from './store-error.js';

/** A type as JSON stores it: Date fields become ISO strings, everything else (and optionality) is kept. */
type Persisted<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/** One item as persisted in the seen index and inside the history. */
export type ItemRecord = Persisted<StoredItem> & {
  lastSeenAt: string;
  /** Page position when first seen: the tie-breaker between items first seen in the same run. */
  position: number;
  /** When the record stops protecting the item from being announced again (retainDays after last seen). */
  expiresAt: string;
};

/** The per-source history: the newest `historySize` items, newest first. */
export interface HistoryRecord {
  items: ItemRecord[];
}

/** The per-source index of item records with their expiry (epoch ms) of store layout 1, read only to migrate it. */
export interface IndexRecord {
  expires: Record<string, number>;
}

/** The list of sources the store knows, so `prune` can visit each index. */
export interface RegistryRecord {
  sources: string[];
}

/** Converts a persisted record to the feed-facing item. */
export function toStoredItem(record: ItemRecord): StoredItem {
  return storedItemAt(
    record,
    Date.parse(record.publishedAt),
    Date.parse(record.updatedAt),
    Date.parse(record.firstSeenAt),
  );
}

/** {@link toStoredItem} for a record whose times (epoch ms) the caller already holds: no ISO text is parsed. */
export function storedItemAt(
  record: ItemRecord,
  publishedMs: number,
  updatedMs: number,
  firstSeenMs: number,
): StoredItem {
  const item: StoredItem = {
    id: record.id,
    sourceId: record.sourceId,
    title: record.title,
    publishedAt: new Date(publishedMs),
    updatedAt: new Date(updatedMs),
    firstSeenAt: new Date(firstSeenMs),
  };
  if (record.link !== undefined) item.link = record.link;
  if (record.summary !== undefined) item.summary = record.summary;
  if (record.summaryIsHtml !== undefined) item.summaryIsHtml = record.summaryIsHtml;
  if (record.author !== undefined) item.author = record.author;
  if (record.image !== undefined) item.image = record.image;
  if (record.categories !== undefined) item.categories = [...record.categories];
  return item;
}

/**
 * Sorts records newest first: publication date, then first-seen time, then page position, then id;
 * each record's times are parsed once.
 */
export function sortRecordsNewestFirst(records: Iterable<ItemRecord>): ItemRecord[] {
  const keyed = Array.from(records, (record) => ({
    record,
    published: Date.parse(record.publishedAt),
    firstSeen: Date.parse(record.firstSeenAt),
  }));
  keyed.sort(
    (a, b) =>
      b.published - a.published ||
      b.firstSeen - a.firstSeen ||
      a.record.position - b.record.position ||
      (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0),
  );
  return keyed.map((entry) => entry.record);
}

/** Checks an item record read from the store; throws STORE_CORRUPT when it is not one. */
export function parseItemRecord(value: unknown, key: string, sourceId: string): ItemRecord {
  if (!isItemRecord(value)) throw corrupt(key, sourceId, 'not an item record');
  return value;
}

/** Checks a seen-index entry (store-engine.ts `encodeSeen`, as JSON text or parsed) read from the store. */
export function parseSeenRecord(value: unknown, where: string, sourceId: string, id: string): ItemRecord {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      // The text itself is what is wrong; the error below says so with the key.
      throw corrupt(where, sourceId, 'not JSON');
    }
  }
  if (!Array.isArray(parsed) || parsed.length < 8) throw corrupt(where, sourceId, 'not a seen-item record');
  const [title, link, published, updated, firstSeen, lastSeen, expires, position, extras] = parsed as unknown[];
  const times = [published, updated, firstSeen, lastSeen, expires].map((ms) =>
    typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined,
  );
  const [publishedAt, updatedAt, firstSeenAt, lastSeenAt, expiresAt] = times;
  const record: Record<string, unknown> = {
    id,
    sourceId,
    title,
    publishedAt,
    updatedAt,
    firstSeenAt,
    lastSeenAt,
    expiresAt,
    position,
  };
  if (link !== null) record.link = link;
  if (extras !== undefined) {
    if (!isObject(extras)) throw corrupt(where, sourceId, 'not a seen-item record');
    for (const [key, field] of Object.entries(extras))
      if (SEEN_EXTRAS.has(key) && field !== undefined) record[key] = field;
  }
  return parseItemRecord(record, where, sourceId);
}

/** Checks a history read from the store; a missing one is empty. */
export function parseHistoryRecord(value: unknown, key: string, sourceId: string): HistoryRecord {
  if (value === undefined || value === null) return { items: [] };
  if (!isObject(value) || !Array.isArray(value.items)) throw corrupt(key, sourceId, 'not a history record');
  for (const item of value.items) parseItemRecord(item, key, sourceId);
  return { items: value.items as ItemRecord[] };
}

/** Checks a layout-1 index read from the store (migration); a missing one is empty. */
export function parseIndexRecord(value: unknown, key: string, sourceId: string): IndexRecord {
  if (value === undefined || value === null) return { expires: {} };
  if (!isObject(value) || !isObject(value.expires)) throw corrupt(key, sourceId, 'not an index record');
  const expires: Record<string, number> = {};
  for (const [id, at] of Object.entries(value.expires)) {
    if (typeof at !== 'number') throw corrupt(key, sourceId, `index entry ${id} has no expiry`);
    expires[id] = at;
  }
  return { expires };
}

/** Checks the source registry read from the store; a missing one is empty. */
export function parseRegistryRecord(value: unknown, key: string): RegistryRecord {
  if (value === undefined || value === null) return { sources: [] };
  if (!isObject(value) || !Array.isArray(value.sources) || !value.sources.every((s) => typeof s === 'string')) {
    throw corrupt(key, undefined, 'not a source registry');
  }
  return { sources: value.sources as string[] };
}

// --- Internal helpers ---

const SEEN_EXTRAS = new Set(['summary', 'summaryIsHtml', 'author', 'image', 'categories']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isItemRecord(value: unknown): value is ItemRecord {
  if (!isObject(value)) return false;
  return (
    typeof value.id === 'string' &&
    typeof value.sourceId === 'string' &&
    typeof value.title === 'string' &&
    typeof value.position === 'number' &&
    isIsoDate(value.publishedAt) &&
    isIsoDate(value.updatedAt) &&
    isIsoDate(value.firstSeenAt) &&
    isIsoDate(value.lastSeenAt) &&
    isIsoDate(value.expiresAt) &&
    isOptionalString(value.link) &&
    isOptionalString(value.summary) &&
    isOptionalString(value.author) &&
    isOptionalString(value.image) &&
    (value.summaryIsHtml === undefined || typeof value.summaryIsHtml === 'boolean') &&
    (value.categories === undefined ||
      (Array.isArray(value.categories) && value.categories.every((c) => typeof c === 'string')))
  );
}

function corrupt(key: string, sourceId: string | undefined, what: string): StoreError {
  return new StoreError(
    'STORE_CORRUPT',
    formatErrorMessage('store', `unreadable value under "${key}"`, { sourceId, detail: what }),
    {
      sourceId,
      hint: 'The store holds data feedwright did not write. Point `store:` at a fresh location, or delete this key.',
    },
  );
}
