/**
 * The ItemStore: dedupe, history and per-source state over any keyv instance, with the seen-item
 * index and atomic commits in the backend's engine (store-engine.ts). A run that finds its page
 * unchanged costs one small read (loadSource: the state parts) and the confirming write; a run with
 * items to commit also reads the history and registry once (on its first findNew or commitRun), the
 * seen index for items outside the history, and writes atomically (commitRun, then the confirming
 * saveSourceState); on SQLite the seen-index read is inside the commit's transaction.
 */
import { describeError, formatErrorMessage } from '../errors.js';
import type { Keyv } from 'keyv';
import type { CommitResult, ExtractedItem, FeedVersion, HostCookies, SourceHealth, StoredItem } from '../model.js';
import { hostCookiesKey, parseHostCookies } from './host-cookies.js';
import type { Logger } from '../log.js';
import {
  parseHistoryRecord,
  parseRegistryRecord,
  toStoredItem,
  type HistoryRecord,
  type ItemRecord,
  type RegistryRecord,
} from './item-record.js';
import { identifyItems, planRun, type IdentifiedItem, type CommitContext } from './plan-run.js';
import {
  feedContentKeys,
  feedStampKeys,
  feedVersionKey,
  historyStampWrite,
  isFeedVersion,
  parseFeedContent,
  parseFeedStamp,
  parseStateParts,
  statePartKeys,
  stateWrites,
  type FeedContent,
  type FeedStamp,
  type SourceState,
  type SourceStateChanges,
} from './source-state.js';
import { detailKey, healthKey, historyKey, writtenSiteKey, WORKERS_KEY, REGISTRY_KEY } from './store-keys.js';
import { seedHistory } from './seed-history.js';
import { StoreError, isSqliteCorruption } from './store-error.js';
import type { CommitBatch, KeyvWrite, StoreEngine } from './store-engine.js';
import { createKeyvEngine } from './keyv-engine.js';
import { legacyIndexKey, migrateLegacyIndex } from './legacy-index.js';

export type { CommitContext } from './plan-run.js';
export type { FeedContent, FeedStamp, SourceState, SourceStateChanges } from './source-state.js';

/** Persistent dedupe and per-source state. */
export interface ItemStore {
  /** A source's state parts (not its history), checked, in one small round trip. */
  loadSource(sourceId: string): Promise<SourceState>;
  /**
   * The state parts of many sources, in the order of `sourceIds`, in a few round trips (one read per
   * {@link SOURCES_PER_READ} sources): what the site rebuild reads of every source after a pass.
   */
  loadSources(sourceIds: readonly string[]): Promise<SourceState[]>;
  /**
   * The history of a loaded source, newest first. Read once per loaded state: findNew and commitRun
   * of the same state dedupe against this read (commitRun forgets it, so a later call reads anew).
   */
  readHistory(state: SourceState): Promise<StoredItem[]>;
  /**
   * Dedupes one run's items against `state` and the seen index, and writes the new and refreshed
   * items, the history and `changes` in one atomic step, checked against `state.fence`. Returns
   * new/changed items and the history.
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
  /** Items among `items` that commitRun would announce as new (reads the seen index for items outside the history). */
  findNew(state: SourceState, items: ExtractedItem[], now: Date): Promise<ExtractedItem[]>;
  /** loadSource + commitRun without state changes (tests, benches, tools). */
  commitItems(sourceId: string, items: ExtractedItem[], ctx: CommitContext): Promise<CommitResult>;
  /** The source's history, newest first (without loading its state). */
  listHistory(sourceId: string): Promise<StoredItem[]>;
  /**
   * For each source, whether it has a history record, without reading or parsing it (a worker's
   * start-up asks this of every source; reading every history was most of its store time).
   */
  hasHistory(sourceIds: readonly string[]): Promise<boolean[]>;
  /**
   * Fills an empty history with items rebuilt elsewhere (the feed files), keeping their ids; does
   * nothing when the source already has history. Returns how many items were stored.
   */
  seedHistory(sourceId: string, items: readonly StoredItem[], ctx: CommitContext): Promise<number>;
  /** The health last saved for a source (status and /healthz read only this). */
  getHealth(sourceId: string): Promise<SourceHealth | undefined>;
  /** Each source's feed version (undefined before its first publish), in one round trip. */
  readFeedVersions(sourceIds: readonly string[]): Promise<Array<FeedVersion | undefined>>;
  /** Each source's feed stamp (version and pending flag), in one round trip: what servers check per request. */
  readFeedStamps(sourceIds: readonly string[]): Promise<FeedStamp[]>;
  /**
   * What a source's feed is rendered from (history, page facts, failure notices) with its stamp, in one
   * round trip that reads them all at the same instant (one MGET on Redis), so the content is exactly the
   * content of that stamp; nothing of the run state or seen index is read.
   */
  readFeedContent(sourceId: string): Promise<FeedContent>;
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
  /**
   * What this store last recorded of the site files written to the output folder `place` (a digest of
   * their inputs and the files' stamps); the pipeline checks its shape. Kept in the store, so a new
   * process (each `run`) knows the site it would write is already there.
   */
  readWrittenSite(place: string): Promise<unknown>;
  /** Records the site files written to `place`; undefined forgets them (a rebuild is under way). */
  writeWrittenSite(place: string, record: unknown): Promise<void>;
  /** Removes the seen-index records of items not seen for retainDays; returns how many. */
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
  /**
   * Longest wait for one store call before it fails with STORE_UNAVAILABLE (a silent Redis must not
   * hang a run); default 10 s. 0: no deadline, for a backend that answers synchronously (SQLite,
   * memory), where no timer could fire before the answer and one per call was a tenth of an unchanged run's store CPU.
   */
  callTimeoutMs?: number;
  /** The backend's seen index, fencing and atomic commits; default: plain keyv (one process only). */
  engine?: StoreEngine;
}

/** Builds an ItemStore over a keyv instance (its namespace scopes every key). */
export function createItemStore(keyv: Keyv, options: ItemStoreOptions): ItemStore {
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const guard = <T>(what: string, sourceId: string | undefined, work: () => Promise<T>) =>
    runGuarded(what, sourceId, options, () => (timeoutMs > 0 ? withDeadline(work(), timeoutMs) : work()));

  const onInvalid = (key: string, expected: string) =>
    options.logger?.warn(
      { key },
      `store: unreadable value under "${key}" (expected ${expected}); it is ignored and rewritten by the next run`,
    );
  const engine = options.engine ?? createKeyvEngine(keyv);
  // The state parts through the engine's own read where it has one (SQLite), else through keyv.
  const readValues = (keys: string[]): Promise<unknown[]> =>
    engine.readValues ? engine.readValues(keys) : keyv.getMany<unknown>(keys);
  const load = (sourceId: string) =>
    guard('could not read the source state', sourceId, () => loadSourceState(readValues, sourceId, onInvalid));
  // The history and registry of each loaded state, read when a run first needs them (never on a 304).
  const recordsByState = new WeakMap<SourceState, Promise<StoredRecords>>();
  const recordsOf = (state: SourceState): Promise<StoredRecords> => {
    let records = recordsByState.get(state);
    if (records === undefined) {
      records = readStoredRecords(keyv, engine, state.sourceId);
      recordsByState.set(state, records);
      // A failed read is not kept: the next call tries again.
      records.catch(() => recordsByState.delete(state));
    }
    return records;
  };
  /** Writes a batch; a fenced one only while its run owns the source. */
  const write = async (sourceId: string, writes: KeyvWrite[], fence: number | undefined): Promise<void> => {
    if (fence === undefined && writes.length === 0) return;
    if (!(await engine.write(sourceId, fence, writes))) throw fencedError(sourceId, fence ?? 0);
  };
  const commit = (state: SourceState, items: ExtractedItem[], changes: SourceStateChanges, ctx: CommitContext) =>
    guard('could not commit items', state.sourceId, async () => {
      const records = await recordsOf(state);
      // What this commit wrote makes the read stale: a later call on the same state reads again.
      recordsByState.delete(state);
      return commitRun(engine, state, records, items, changes, ctx);
    });

  return {
    loadSource: load,
    loadSources: (sourceIds) =>
      guard('could not read the source states', undefined, () => loadSourceStates(readValues, sourceIds, onInvalid)),
    readHistory: (state) =>
      guard('could not read history', state.sourceId, async () =>
        (await recordsOf(state)).history.items.map(toStoredItem),
      ),
    commitRun: commit,
    saveSourceState: (sourceId, changes, fence) =>
      guard('could not save the source state', sourceId, () => write(sourceId, stateWrites(sourceId, changes), fence)),
    claimSource: (sourceId) => guard('could not claim the source', sourceId, () => engine.claim(sourceId)),
    findNew: (state, items, now) =>
      guard('could not read the seen items', state.sourceId, async () => {
        const outside = outsideHistory(await recordsOf(state), identifyItems(state.sourceId, items));
        const seen = await engine.readSeen(
          state.sourceId,
          outside.map((r) => r.id),
          now.getTime(),
        );
        return outside.filter((r) => !seen.has(r.id)).map((r) => r.item);
      }),
    commitItems: async (sourceId, items, ctx) => commit(await load(sourceId), items, {}, ctx),
    listHistory: (sourceId) =>
      guard('could not read history', sourceId, async () => {
        const raw = await keyv.get<unknown>(historyKey(sourceId));
        return parseHistoryRecord(raw, historyKey(sourceId), sourceId).items.map(toStoredItem);
      }),
    hasHistory: (sourceIds) =>
      guard('could not read history', undefined, async () =>
        sourceIds.length ? keyv.hasMany(sourceIds.map(historyKey)) : [],
      ),
    seedHistory: (sourceId, items, ctx) =>
      guard('could not rebuild history', sourceId, () => seedHistory(keyv, engine, sourceId, items, ctx)),
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
    readFeedStamps: (sourceIds) =>
      guard('could not read feed stamps', undefined, async () => {
        if (sourceIds.length === 0) return [];
        const keys = sourceIds.map(feedStampKeys);
        const raw = await keyv.getMany<unknown>(keys.flat());
        let at = 0;
        return keys.map((parts) => parseFeedStamp(raw.slice(at, (at += parts.length))));
      }),
    readFeedContent: (sourceId) =>
      guard('could not read the feed content', sourceId, async () => {
        const keys = feedContentKeys(sourceId);
        const raw = await keyv.getMany<unknown>([...keys, historyKey(sourceId)]);
        const history = parseHistoryRecord(raw[keys.length], historyKey(sourceId), sourceId).items.map(toStoredItem);
        return parseFeedContent(raw.slice(0, keys.length), history);
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
    readWrittenSite: (place) =>
      guard('could not read what the site files were built from', undefined, () => keyv.get(writtenSiteKey(place))),
    writeWrittenSite: (place, record) =>
      guard('could not record what the site files were built from', undefined, async () => {
        if (record === undefined) await keyv.delete(writtenSiteKey(place));
        else await keyv.set(writtenSiteKey(place), record);
      }),
    prune: (now) =>
      guard('could not prune expired items', undefined, () => pruneExpired(keyv, engine, now, options.sweepExpired)),
    clear: () =>
      guard('could not clear the store', undefined, async () => {
        await engine.clear();
        await keyv.clear();
      }),
    close: () => guard('could not close the store', undefined, () => keyv.disconnect()),
  };
}

// --- Internal helpers ---

const DEFAULT_CALL_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

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

/** The store's own records of a source that a commit dedupes against and rewrites. */
interface StoredRecords {
  history: HistoryRecord;
  registry: RegistryRecord;
}

/** Reads raw values by key, in order (missing ones undefined). */
type ReadValues = (keys: string[]) => Promise<unknown[]>;

async function loadSourceState(
  readValues: ReadValues,
  sourceId: string,
  onInvalid: (key: string, expected: string) => void,
): Promise<SourceState> {
  return parseStateParts(sourceId, await readValues(statePartKeys(sourceId)), onInvalid);
}

/** Sources whose state parts one read asks for (bounds one SQLite statement or Redis MGET to a few thousand keys). */
const SOURCES_PER_READ = 500;

async function loadSourceStates(
  readValues: ReadValues,
  sourceIds: readonly string[],
  onInvalid: (key: string, expected: string) => void,
): Promise<SourceState[]> {
  const states: SourceState[] = [];
  for (let at = 0; at < sourceIds.length; at += SOURCES_PER_READ) {
    const ids = sourceIds.slice(at, at + SOURCES_PER_READ);
    const keys = ids.map(statePartKeys);
    const raw = await readValues(keys.flat());
    let offset = 0;
    for (const [i, sourceId] of ids.entries()) {
      const count = keys[i]?.length ?? 0;
      states.push(parseStateParts(sourceId, raw.slice(offset, (offset += count)), onInvalid));
    }
  }
  return states;
}

/** The history and the registry of a source, checked; a layout-1 seen index moves into the seen index first. */
async function readStoredRecords(keyv: Keyv, engine: StoreEngine, sourceId: string): Promise<StoredRecords> {
  const [rawHistory, rawRegistry, rawLegacyIndex] = await keyv.getMany<unknown>([
    historyKey(sourceId),
    REGISTRY_KEY,
    legacyIndexKey(sourceId),
  ]);
  // A store of layout 1: this source's seen items move into the seen index once, here.
  if (rawLegacyIndex !== undefined && rawLegacyIndex !== null)
    await migrateLegacyIndex(keyv, engine, sourceId, rawLegacyIndex);
  return {
    history: parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId),
    registry: parseRegistryRecord(rawRegistry, REGISTRY_KEY),
  };
}

/** The run's items that the history does not hold: only these need the seen index. */
function outsideHistory(stored: StoredRecords, run: IdentifiedItem[]): IdentifiedItem[] {
  const inHistory = new Set(stored.history.items.map((record) => record.id));
  return run.filter((r) => !inHistory.has(r.id));
}

async function commitRun(
  engine: StoreEngine,
  state: SourceState,
  stored: StoredRecords,
  items: ExtractedItem[],
  changes: SourceStateChanges,
  ctx: CommitContext,
): Promise<CommitResult> {
  const { sourceId } = state;
  const run = identifyItems(sourceId, items);
  const ids = outsideHistory(stored, run).map((r) => r.id);
  const committed = await engine.commit(sourceId, state.fence, ids, ctx.now.getTime(), (seen) => {
    // History copies are written in the same step as their seen records, so they stand for them.
    const records = new Map<string, ItemRecord>(stored.history.items.map((record) => [record.id, record]));
    for (const [id, record] of seen) records.set(id, record);
    const plan = planRun(sourceId, run, { records, history: stored.history }, ctx);
    const writes: KeyvWrite[] = [];
    if (plan.historyWrite)
      writes.push({ key: historyKey(sourceId), value: plan.historyWrite }, historyStampWrite(sourceId));
    // Registering is read-modify-write on a shared key; a lost update heals on the source's next run.
    if (!stored.registry.sources.includes(sourceId))
      writes.push({ key: REGISTRY_KEY, value: withSource(stored.registry, sourceId) });
    writes.push(...stateWrites(sourceId, changes));
    const batch: CommitBatch = {
      seen: plan.itemWrites.map((write) => write.record),
      seenTtlMs: Math.max(1, ctx.retainDays) * DAY_MS,
      writes,
    };
    return { batch, result: plan };
  });
  // Fenced: the token was checked in the same atomic step as the write.
  if (committed === undefined) throw fencedError(sourceId, state.fence ?? 0);
  const plan = committed.result;
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
 * Drops the seen-index records past retainDays (each store does it atomically against runs: a run
 * only ever writes records that expire later), first moving any layout-1 index left into it.
 */
async function pruneExpired(
  keyv: Keyv,
  engine: StoreEngine,
  now: Date,
  sweepExpired: (() => number) | undefined,
): Promise<number> {
  const registry = parseRegistryRecord(await keyv.get<unknown>(REGISTRY_KEY), REGISTRY_KEY);
  const legacy = registry.sources.length ? await keyv.getMany<unknown>(registry.sources.map(legacyIndexKey)) : [];
  for (const [i, sourceId] of registry.sources.entries()) {
    const rawIndex = legacy[i];
    if (rawIndex !== undefined && rawIndex !== null) await migrateLegacyIndex(keyv, engine, sourceId, rawIndex);
  }
  const removed = await engine.prune(registry.sources, now.getTime());
  sweepExpired?.();
  return removed;
}
