/**
 * The ItemStore: dedupe, history and per-source state over any keyv instance. A source run costs
 * one batched read (loadSource) and two batched writes (commitRun, then the confirming saveSourceState).
 */
import { describeError, formatErrorMessage } from '../errors.js';
import type { Keyv } from 'keyv';
import type { CommitResult, ExtractedItem, FeedVersion, HostCookies, SourceHealth, StoredItem } from '../model.js';
import { hostCookiesKey, parseHostCookies } from './host-cookies.js';
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
import { identifyItems, planRun, type CommitContext } from './plan-run.js';
import {
  feedVersionKey,
  isFeedVersion,
  parseStateParts,
  statePartKeys,
  stateWrites,
  type SourceState,
  type SourceStateChanges,
  type StoredRecords,
} from './source-state.js';
import { detailKey, healthKey, historyKey, indexKey, WORKERS_KEY, itemKey, REGISTRY_KEY } from './store-keys.js';
import { seedHistory } from './seed-history.js';
import { StoreError, isSqliteCorruption } from './store-error.js';
import { createKeyvFencing, type Fencing, type KeyvWrite } from './fencing.js';

export type { CommitContext } from './plan-run.js';
export type { SourceState, SourceStateChanges } from './source-state.js';

/** Persistent dedupe and per-source state. */
export interface ItemStore {
  /** Everything kept for a source (state and history), checked, in one round trip. */
  loadSource(sourceId: string): Promise<SourceState>;
  /**
   * Dedupes one run's items against `state` and writes them, the history and `changes` in one batch
   * (one more read first only for known items that have left the history). Returns new/changed items
   * and the history. Every write of the run goes through this one batch, so a conditional write
   * (a fencing token checked with it) can be added here.
   */
  commitRun(
    state: SourceState,
    items: ExtractedItem[],
    changes: SourceStateChanges,
    ctx: CommitContext,
  ): Promise<CommitResult>;
  /** Writes changes to a source's state in one batch; with `fence` (a run's token), only while that run owns the source. */
  saveSourceState(sourceId: string, changes: SourceStateChanges, fence?: number): Promise<void>;
  /**
   * Makes the calling run the source's owner and returns its token; pass it as `state.fence` (and to
   * saveSourceState) so the run's writes are refused with STORE_FENCED once a newer run has claimed it.
   */
  claimSource(sourceId: string): Promise<number>;
  /** Items among `items` that commitRun would announce as new (no store access). */
  findNew(state: SourceState, items: ExtractedItem[], now: Date): ExtractedItem[];
  /** loadSource + commitRun without state changes (tests, benches, tools). */
  commitItems(sourceId: string, items: ExtractedItem[], ctx: CommitContext): Promise<CommitResult>;
  /** The source's history, newest first. */
  listHistory(sourceId: string): Promise<StoredItem[]>;
  /**
   * Fills an empty history with items rebuilt elsewhere (the feed files), keeping their ids; does
   * nothing when the source already has history. Returns how many items were stored.
   */
  seedHistory(sourceId: string, items: readonly StoredItem[], ctx: CommitContext): Promise<number>;
  /** The health last saved for a source (status and /healthz read only this). */
  getHealth(sourceId: string): Promise<SourceHealth | undefined>;
  /** Each source's feed version (undefined before its first publish), in one round trip. */
  readFeedVersions(sourceIds: readonly string[]): Promise<Array<FeedVersion | undefined>>;
  /** Cached detail-page findings per item link, in the order of `links` (one round trip). */
  readDetailCache(links: string[]): Promise<unknown[]>;
  /** Caches one item link's detail-page findings for `ttlMs`. */
  writeDetailCache(link: string, entry: unknown, ttlMs: number): Promise<void>;
  /** Cookies a browser earned on `host` (`URL.host`), when kept and well-formed. */
  readHostCookies(host: string): Promise<HostCookies | undefined>;
  /** Keeps a host's earned cookies for `ttlMs` (replacing earlier ones). */
  writeHostCookies(record: HostCookies, ttlMs: number): Promise<void>;
  /** The workers' announcements (config hashes) on a shared store; the pipeline checks their shape. */
  readWorkerAnnouncements(): Promise<unknown>;
  /** Replaces the workers' announcements; they expire after `ttlMs` unless announced again. */
  writeWorkerAnnouncements(value: unknown, ttlMs: number): Promise<void>;
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
  /** Shown as the hint when the backend reports its data damaged (a corrupt SQLite page). */
  corruptHint?: string;
  /** Deletes physically expired rows during `prune` (backends without native expiry). */
  sweepExpired?: () => number;
  /** Longest wait for one store call before it fails with STORE_UNAVAILABLE (a silent Redis must not hang a run); default 10 s. */
  callTimeoutMs?: number;
  /** Owner checks for fenced writes; default: the token kept in the store, checked before writing. */
  fencing?: Fencing;
}

/** Builds an ItemStore over a keyv instance (its namespace scopes every key). */
export function createItemStore(keyv: Keyv, options: ItemStoreOptions): ItemStore {
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const guard = <T>(what: string, sourceId: string | undefined, work: () => Promise<T>) =>
    runGuarded(what, sourceId, options, () => withDeadline(work(), timeoutMs));

  const onInvalid = (key: string, expected: string) =>
    options.logger?.warn(
      { key },
      `store: unreadable value under "${key}" (expected ${expected}); it is ignored and rewritten by the next run`,
    );
  const load = (sourceId: string) =>
    guard('could not read the source state', sourceId, () => loadSourceState(keyv, sourceId, onInvalid));
  const fencing = options.fencing ?? createKeyvFencing(keyv);
  /** Writes a batch; a fenced one only while its run owns the source. */
  const write = async (sourceId: string, writes: KeyvWrite[], fence: number | undefined): Promise<void> => {
    if (fence === undefined) {
      if (writes.length > 0) await keyv.setMany(writes);
      return;
    }
    if (!(await fencing.writeIfOwner(sourceId, fence, writes))) throw fencedError(sourceId, fence);
  };
  const commit = (state: SourceState, items: ExtractedItem[], changes: SourceStateChanges, ctx: CommitContext) =>
    guard('could not commit items', state.sourceId, () => commitRun(keyv, state, items, changes, ctx, write));

  return {
    loadSource: load,
    commitRun: commit,
    saveSourceState: (sourceId, changes, fence) =>
      guard('could not save the source state', sourceId, () => write(sourceId, stateWrites(sourceId, changes), fence)),
    claimSource: (sourceId) => guard('could not claim the source', sourceId, () => fencing.claim(sourceId)),
    findNew: (state, items, now) => {
      const known = new Set(state.stored.history.items.map((record) => record.id));
      const expires = state.stored.index.expires;
      return identifyItems(state.sourceId, items)
        .filter((r) => !known.has(r.id) && !((expires[r.id] ?? 0) > now.getTime()))
        .map((r) => r.item);
    },
    commitItems: async (sourceId, items, ctx) => commit(await load(sourceId), items, {}, ctx),
    listHistory: (sourceId) =>
      guard('could not read history', sourceId, async () => {
        const raw = await keyv.get<unknown>(historyKey(sourceId));
        return parseHistoryRecord(raw, historyKey(sourceId), sourceId).items.map(toStoredItem);
      }),
    seedHistory: (sourceId, items, ctx) =>
      guard('could not rebuild history', sourceId, () => seedHistory(keyv, sourceId, items, ctx)),
    getHealth: (sourceId) =>
      guard('could not read health', sourceId, async () => {
        const raw = await keyv.get<unknown>(healthKey(sourceId));
        return parseStateParts(sourceId, [raw], onInvalid).health;
      }),
    readFeedVersions: (sourceIds) =>
      guard('could not read feed versions', undefined, async () => {
        if (sourceIds.length === 0) return [];
        const raw = await keyv.getMany<unknown>(sourceIds.map(feedVersionKey));
        return raw.map((value) => (isFeedVersion(value) ? value : undefined));
      }),
    readDetailCache: (links) =>
      guard('could not read the detail-page cache', undefined, async () =>
        links.length ? keyv.getMany<unknown>(links.map(detailKey)) : [],
      ),
    writeDetailCache: (link, entry, ttlMs) =>
      guard(
        'could not cache a detail page',
        undefined,
        async () => void (await keyv.set(detailKey(link), entry, ttlMs)),
      ),
    readHostCookies: (host) =>
      guard('could not read earned cookies', undefined, async () =>
        parseHostCookies(await keyv.get<unknown>(hostCookiesKey(host)), host),
      ),
    writeHostCookies: (record, ttlMs) =>
      guard(
        'could not keep earned cookies',
        undefined,
        async () => void (await keyv.set(hostCookiesKey(record.host), record, ttlMs)),
      ),
    readWorkerAnnouncements: () =>
      guard("could not read the workers' announcements", undefined, () => keyv.get(WORKERS_KEY)),
    writeWorkerAnnouncements: (value, ttlMs) =>
      guard('could not announce this worker', undefined, async () => void (await keyv.set(WORKERS_KEY, value, ttlMs))),
    prune: (now) =>
      guard('could not prune expired items', undefined, () => pruneExpired(keyv, fencing, now, options.sweepExpired)),
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

async function runGuarded<T>(
  what: string,
  sourceId: string | undefined,
  hints: ItemStoreOptions,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const detail = describeError(error);
    if (isSqliteCorruption(error)) {
      throw new StoreError('STORE_CORRUPT', formatErrorMessage('store', what, { sourceId, detail }), {
        sourceId,
        hint: hints.corruptHint ?? hints.unavailableHint,
        cause: error,
      });
    }
    throw new StoreError('STORE_UNAVAILABLE', formatErrorMessage('store', what, { sourceId, detail }), {
      sourceId,
      hint: hints.unavailableHint,
      cause: error,
    });
  }
}

async function loadSourceState(
  keyv: Keyv,
  sourceId: string,
  onInvalid: (key: string, expected: string) => void,
): Promise<SourceState> {
  const parts = statePartKeys(sourceId);
  const raw = await keyv.getMany<unknown>([...parts, historyKey(sourceId), indexKey(sourceId), REGISTRY_KEY]);
  const [rawHistory, rawIndex, rawRegistry] = raw.slice(parts.length);
  const history = parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId);
  const stored: StoredRecords = {
    history,
    index: parseIndexRecord(rawIndex, indexKey(sourceId), sourceId),
    registry: parseRegistryRecord(rawRegistry, REGISTRY_KEY),
  };
  // Items are validated here, but turned into StoredItems (Dates) only when a run reads them: a 304
  // or an identical body never does, and that conversion was a fifth of such a run's CPU.
  let items: StoredItem[] | undefined;
  return {
    ...parseStateParts(sourceId, raw.slice(0, parts.length), onInvalid),
    get history() {
      items ??= history.items.map(toStoredItem);
      return items;
    },
    stored,
  };
}

async function commitRun(
  keyv: Keyv,
  state: SourceState,
  items: ExtractedItem[],
  changes: SourceStateChanges,
  ctx: CommitContext,
  write: (sourceId: string, writes: KeyvWrite[], fence: number | undefined) => Promise<void>,
): Promise<CommitResult> {
  const { sourceId, stored } = state;
  const run = identifyItems(sourceId, items);
  // History copies are written in the same batch as their item records, so they stand for them;
  // only a live item that has left the history needs its record read.
  const records = new Map<string, ItemRecord>(stored.history.items.map((record) => [record.id, record]));
  const nowMs = ctx.now.getTime();
  const outside = run.filter((r) => !records.has(r.id) && (stored.index.expires[r.id] ?? 0) > nowMs);
  if (outside.length > 0) {
    const raw = await keyv.getMany<unknown>(outside.map((r) => itemKey(sourceId, r.id)));
    outside.forEach((r, i) => {
      const value = raw[i];
      if (value !== undefined && value !== null)
        records.set(r.id, parseItemRecord(value, itemKey(sourceId, r.id), sourceId));
    });
  }
  const plan = planRun(sourceId, run, { records, history: stored.history, index: stored.index }, ctx);

  const writes: Array<{ key: string; value: unknown; ttl?: number }> = plan.itemWrites.map(({ record, ttlMs }) => ({
    key: itemKey(sourceId, record.id),
    value: record,
    ttl: ttlMs,
  }));
  if (plan.historyWrite) writes.push({ key: historyKey(sourceId), value: plan.historyWrite });
  if (plan.indexWrite) writes.push({ key: indexKey(sourceId), value: plan.indexWrite });
  // Registering is read-modify-write on a shared key; a lost update heals on the source's next run.
  if (!stored.registry.sources.includes(sourceId))
    writes.push({ key: REGISTRY_KEY, value: withSource(stored.registry, sourceId) });
  writes.push(...stateWrites(sourceId, changes));
  // Fenced: checked against the source's token in the same atomic step as the write.
  await write(sourceId, writes, state.fence);
  return { newItems: plan.newItems, changedItems: plan.changedItems, history: plan.history.map(toStoredItem) };
}

function fencedError(sourceId: string, fence: number): StoreError {
  return new StoreError(
    'STORE_FENCED',
    formatErrorMessage('store', `this run (token ${fence}) no longer owns the source; its results were discarded`, {
      sourceId,
      detail: 'a newer run took it over',
    }),
    {
      sourceId,
      hint: 'Nothing to do: the newer run of this source (on this or another worker) writes its results instead.',
    },
  );
}

function withSource(registry: RegistryRecord, sourceId: string): RegistryRecord {
  return { sources: [...registry.sources, sourceId].sort() };
}

/**
 * Drops the seen-item records past retainDays that no history still shows. The index is rewritten
 * only if no run of the source started meanwhile (its fencing token unchanged): a run commits an
 * index built from what it loaded, and pruning over it could drop entries that run just added.
 */
async function pruneExpired(
  keyv: Keyv,
  fencing: Fencing,
  now: Date,
  sweepExpired: (() => number) | undefined,
): Promise<number> {
  const registry = parseRegistryRecord(await keyv.get<unknown>(REGISTRY_KEY), REGISTRY_KEY);
  let removed = 0;
  for (const sourceId of registry.sources) {
    const token = await fencing.peek(sourceId);
    const [rawIndex, rawHistory] = await keyv.getMany<unknown>([indexKey(sourceId), historyKey(sourceId)]);
    const index = parseIndexRecord(rawIndex, indexKey(sourceId), sourceId);
    const kept = new Set(parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId).items.map((r) => r.id));
    const expired = Object.entries(index.expires)
      .filter(([id, at]) => at <= now.getTime() && !kept.has(id))
      .map(([id]) => id);
    if (expired.length === 0) continue;
    const expires = { ...index.expires };
    for (const id of expired) delete expires[id];
    // A run that started meanwhile wins; its source is pruned next time.
    if (!(await fencing.writeIfOwner(sourceId, token, [{ key: indexKey(sourceId), value: { expires } }]))) continue;
    await keyv.deleteMany(expired.map((id) => itemKey(sourceId, id)));
    removed += expired.length;
  }
  sweepExpired?.();
  return removed;
}
