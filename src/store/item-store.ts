/**
 * The ItemStore: dedupe, history, validators, health and small records over any keyv instance.
 * Every source run costs one batched read and one batched write.
 */
import { describeError } from '../errors.js';
import type { Keyv } from 'keyv';
import type { ExtractedItem, FetchValidators, RecordResult, SourceHealth, StoredItem } from '../model.js';
import type { Logger } from '../log.js';
import {
  parseHistoryRecord,
  parseIndexRecord,
  parseItemRecord,
  parseRegistryRecord,
  toStoredItem,
  type ItemRecord,
  type RegistryRecord,
} from './item-record.js';
import { identifyItems, planRun, type RecordContext } from './record-run.js';
import { healthKey, historyKey, indexKey, itemKey, recordKey, REGISTRY_KEY, validatorsKey } from './store-keys.js';
import { StoreError, formatStoreMessage } from './store-error.js';

export type { RecordContext } from './record-run.js';

/** Persistent dedupe and per-source state. */
export interface ItemStore {
  /** Items among `items` not seen before for this source (one batched read). */
  findNew(sourceId: string, items: ExtractedItem[]): Promise<ExtractedItem[]>;
  /** Dedupes and persists one run's items (one getMany, one batched write); returns new/changed items and the history. */
  recordItems(sourceId: string, items: ExtractedItem[], ctx: RecordContext): Promise<RecordResult>;
  /** The source's history, newest first. */
  listHistory(sourceId: string): Promise<StoredItem[]>;
  /** The fetch validators remembered for a source. */
  getValidators(sourceId: string): Promise<FetchValidators | undefined>;
  /** Remembers a source's fetch validators. */
  setValidators(sourceId: string, validators: FetchValidators): Promise<void>;
  /** The health last saved for a source. */
  getHealth(sourceId: string): Promise<SourceHealth | undefined>;
  /** Saves a source's health. */
  setHealth(health: SourceHealth): Promise<void>;
  /** A small JSON record per key for other per-source/per-link state (e.g. detail-page cache, pending-output flags). */
  getRecord<T>(namespace: string, key: string): Promise<T | undefined>;
  /** Saves a small JSON record, optionally expiring after `ttlMs`. */
  setRecord<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void>;
  /** Removes expired item records (retainDays) that are no longer in any history; returns how many. */
  prune(now: Date): Promise<number>;
  /** Deletes everything this store holds in its namespace (tests, resets). */
  clear?(): Promise<void>;
  /** Closes the connection or file. */
  close(): Promise<void>;
}

/** How {@link createItemStore} reports failures. */
export interface ItemStoreOptions {
  logger?: Logger;
  /** Shown as the hint of STORE_UNAVAILABLE errors, e.g. "Is Redis running at redis://127.0.0.1:6379?". */
  unavailableHint: string;
  /** Deletes physically expired rows during `prune` (backends without native expiry). */
  sweepExpired?: () => number;
  /** Longest wait for one store call before it fails with STORE_UNAVAILABLE (a silent Redis must not hang a run); default 10 s. */
  callTimeoutMs?: number;
}

/** Builds an ItemStore over a keyv instance (its namespace scopes every key). */
export function createItemStore(keyv: Keyv, options: ItemStoreOptions): ItemStore {
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const guard = <T>(what: string, sourceId: string | undefined, work: () => Promise<T>) =>
    runGuarded(what, sourceId, options.unavailableHint, () => withDeadline(work(), timeoutMs));

  return {
    findNew: (sourceId, items) =>
      guard('could not read known items', sourceId, async () => {
        const run = identifyItems(sourceId, items);
        const [rawHistory, ...rawItems] = await keyv.getMany<unknown>([historyKey(sourceId), ...run.map((r) => itemKey(sourceId, r.id))]);
        const inHistory = new Set(parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId).items.map((r) => r.id));
        return run.filter((r, i) => rawItems[i] === undefined && !inHistory.has(r.id)).map((r) => r.item);
      }),
    recordItems: (sourceId, items, ctx) => guard('could not record items', sourceId, () => recordRun(keyv, sourceId, items, ctx)),
    listHistory: (sourceId) =>
      guard('could not read history', sourceId, async () => {
        const raw = await keyv.get<unknown>(historyKey(sourceId));
        return parseHistoryRecord(raw, historyKey(sourceId), sourceId).items.map(toStoredItem);
      }),
    getValidators: (sourceId) => guard('could not read validators', sourceId, async () => (await keyv.get(validatorsKey(sourceId))) as FetchValidators | undefined),
    setValidators: (sourceId, validators) =>
      guard('could not save validators', sourceId, async () => void (await keyv.set(validatorsKey(sourceId), validators))),
    getHealth: (sourceId) => guard('could not read health', sourceId, async () => (await keyv.get(healthKey(sourceId))) as SourceHealth | undefined),
    setHealth: (health) => guard('could not save health', health.sourceId, async () => void (await keyv.set(healthKey(health.sourceId), health))),
    getRecord: <T>(namespace: string, key: string) =>
      guard(`could not read record ${namespace}/${key}`, undefined, async () => (await keyv.get(recordKey(namespace, key))) as T | undefined),
    setRecord: <T>(namespace: string, key: string, value: T, ttlMs?: number) =>
      guard(`could not save record ${namespace}/${key}`, undefined, async () => void (await keyv.set(recordKey(namespace, key), value, ttlMs))),
    prune: (now) => guard('could not prune expired items', undefined, () => pruneExpired(keyv, now, options.sweepExpired)),
    clear: () => guard('could not clear the store', undefined, () => keyv.clear()),
    close: () => guard('could not close the store', undefined, () => keyv.disconnect()),
  };
}

// --- Internal helpers ---

const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** Rejects when a store call takes longer than `ms` (the call itself may still finish later; its result is dropped). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function runGuarded<T>(what: string, sourceId: string | undefined, hint: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const detail = describeError(error);
    throw new StoreError('STORE_UNAVAILABLE', formatStoreMessage(what, sourceId, detail), { sourceId, hint, cause: error });
  }
}

async function recordRun(keyv: Keyv, sourceId: string, items: ExtractedItem[], ctx: RecordContext): Promise<RecordResult> {
  const run = identifyItems(sourceId, items);
  const keys = [historyKey(sourceId), indexKey(sourceId), REGISTRY_KEY, ...run.map((r) => itemKey(sourceId, r.id))];
  const [rawHistory, rawIndex, rawRegistry, ...rawItems] = await keyv.getMany<unknown>(keys);
  const records = new Map<string, ItemRecord>();
  run.forEach((r, i) => {
    const raw = rawItems[i];
    if (raw !== undefined && raw !== null) records.set(r.id, parseItemRecord(raw, itemKey(sourceId, r.id), sourceId));
  });
  const state = {
    records,
    history: parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId),
    index: parseIndexRecord(rawIndex, indexKey(sourceId), sourceId),
  };
  const registry = parseRegistryRecord(rawRegistry, REGISTRY_KEY);
  const plan = planRun(sourceId, run, state, ctx);

  const writes: Array<{ key: string; value: unknown; ttl?: number }> = plan.itemWrites.map(({ record, ttlMs }) => ({
    key: itemKey(sourceId, record.id),
    value: record,
    ttl: ttlMs,
  }));
  if (plan.historyWrite) writes.push({ key: historyKey(sourceId), value: plan.historyWrite });
  if (plan.indexWrite) writes.push({ key: indexKey(sourceId), value: plan.indexWrite });
  // Registering is read-modify-write on a shared key; a lost update heals on the source's next run.
  if (!registry.sources.includes(sourceId)) writes.push({ key: REGISTRY_KEY, value: withSource(registry, sourceId) });
  if (writes.length > 0) await keyv.setMany(writes);
  return { newItems: plan.newItems, changedItems: plan.changedItems, history: plan.history.map(toStoredItem) };
}

function withSource(registry: RegistryRecord, sourceId: string): RegistryRecord {
  return { sources: [...registry.sources, sourceId].sort() };
}

async function pruneExpired(keyv: Keyv, now: Date, sweepExpired: (() => number) | undefined): Promise<number> {
  const registry = parseRegistryRecord(await keyv.get<unknown>(REGISTRY_KEY), REGISTRY_KEY);
  let removed = 0;
  for (const sourceId of registry.sources) {
    const [rawIndex, rawHistory] = await keyv.getMany<unknown>([indexKey(sourceId), historyKey(sourceId)]);
    const index = parseIndexRecord(rawIndex, indexKey(sourceId), sourceId);
    const kept = new Set(parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId).items.map((r) => r.id));
    const expired = Object.entries(index.expires).filter(([id, at]) => at <= now.getTime() && !kept.has(id)).map(([id]) => id);
    if (expired.length === 0) continue;
    const expires = { ...index.expires };
    for (const id of expired) delete expires[id];
    await keyv.deleteMany(expired.map((id) => itemKey(sourceId, id)));
    await keyv.set(indexKey(sourceId), { expires });
    removed += expired.length;
  }
  sweepExpired?.();
  return removed;
}
