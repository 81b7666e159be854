/**
 * The ItemStore: dedupe, history and per-source state over any keyv instance, with the seen-item
 * index and atomic commits in the backend's engine (store-engine.ts). A run that finds its page
 * unchanged costs its start (claimAndLoad: the token and the state parts) and the confirming write;
 * a run with items to commit also reads the history and registry once (on its first findNew or commitRun), the
 * seen index for items outside the history, and writes atomically (commitRun, then the confirming
 * saveSourceState); on SQLite the seen-index read is inside the commit's transaction.
 */
import type { Keyv } from 'keyv';
import type { CommitResult, ExtractedItem, FeedVersion, HostCookies, SourceHealth, StoredItem } from '../model.js';
import { commitRun, fencedError, outsideHistory, readStoredRecords, type StoredRecords } from './commit-source-run.js';
import { guardStoreCall, type StoreErrorHints } from './guard-store-call.js';
import { hostCookiesKey, parseHostCookies } from './host-cookies.js';
import type { Logger } from '../log.js';
import { parseHistoryRecord, parseRegistryRecord, toStoredItem } from './item-record.js';
import { identifyItems, type CommitContext } from './plan-run.js';
import {
  feedContentKeys,
  feedStampKeys,
  feedVersionKey,
  isFeedVersion,
  loadSiteStates,
  loadSourceState,
  parseFeedContent,
  parseFeedStamp,
  parseStateParts,
  statePartKeys,
  stateWrites,
  type FeedContent,
  type FeedStamp,
  type SiteState,
  type SourceState,
  type SourceStateChanges,
} from './source-state.js';
import { detailKey, healthKey, historyKey, writtenSiteKey, WORKERS_KEY, REGISTRY_KEY } from './store-keys.js';
import { seedHistory } from './seed-history.js';
import type { KeyvWrite, StoreEngine } from './store-engine.js';
import { createKeyvEngine } from './keyv-engine.js';
import { createWrittenHistories } from './written-histories.js';
import { legacyIndexKey, migrateLegacyIndex } from './legacy-index.js';

export type { CommitContext } from './plan-run.js';
export type { FeedContent, FeedStamp, SiteState, SourceState, SourceStateChanges } from './source-state.js';

/** What a history read needs of a loaded state (a run's SourceState, the site rebuild's SiteState). */
type HistoryOwner = Pick<SourceState, 'sourceId' | 'historyStamp'>;

/** Persistent dedupe and per-source state. */
export interface ItemStore {
  /** A source's state parts (not its history), checked, in one small round trip. */
  loadSource(sourceId: string): Promise<SourceState>;
  /**
   * The parts of many sources' state the site files are built from ({@link SiteState}), in the order of
   * `sourceIds`, in a few round trips (one read per 500 sources): what the site rebuild reads of every
   * source after a pass.
   */
  loadSiteStates(sourceIds: readonly string[]): Promise<SiteState[]>;
  /**
   * The history of a loaded source, newest first. Read once per loaded state: findNew and commitRun
   * of the same state dedupe against this read (commitRun forgets it, so a later call reads anew).
   */
  readHistory(state: HistoryOwner): Promise<StoredItem[]>;
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
  /**
   * What a run does first: {@link claimSource} and {@link loadSource} in one step where the backend
   * has one (one SQLite transaction), else both at once; the state carries the token as `fence`.
   */
  claimAndLoad(sourceId: string): Promise<SourceState>;
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
export interface ItemStoreOptions extends StoreErrorHints {
  logger?: Logger;
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
  /** Closes the backend; default: keyv's disconnect. */
  close?: () => Promise<void>;
}

/** Builds an ItemStore over a keyv instance (its namespace scopes every key). */
export function createItemStore(keyv: Keyv, options: ItemStoreOptions): ItemStore {
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const guard = <T>(what: string, sourceId: string | undefined, work: () => Promise<T>) =>
    guardStoreCall(what, sourceId, options, timeoutMs, work);

  const onInvalid = (key: string, expected: string) =>
    options.logger?.warn(
      { key },
      `store: unreadable value under "${key}" (expected ${expected}); it is ignored and rewritten by the next run`,
    );
  const engine = options.engine ?? createKeyvEngine(keyv);
  // The state parts through the engine's own read where it has one (SQLite), else through keyv.
  const readValues = (keys: readonly string[]): Promise<unknown[]> =>
    engine.readValues ? engine.readValues(keys) : keyv.getMany<unknown>([...keys]);
  const load = (sourceId: string) =>
    guard('could not read the source state', sourceId, () => loadSourceState(readValues, sourceId, onInvalid));
  const claim = (sourceId: string) => guard('could not claim the source', sourceId, () => engine.claim(sourceId));
  const claimThenLoad = async (sourceId: string): Promise<SourceState> => {
    // Issued together: on Redis the INCR and the MGET go out in one round trip.
    const [fence, state] = await Promise.all([claim(sourceId), load(sourceId)]);
    state.fence = fence;
    return state;
  };
  // The history and registry of each loaded state, read when a run first needs them (never on a 304).
  const recordsByState = new WeakMap<HistoryOwner, Promise<StoredRecords>>();
  const recordsOf = (state: HistoryOwner): Promise<StoredRecords> => {
    let records = recordsByState.get(state);
    if (records === undefined) {
      records = readStoredRecords(keyv, engine, state.sourceId);
      recordsByState.set(state, records);
      // A failed read is not kept: the next call tries again.
      records.catch(() => recordsByState.delete(state));
    }
    return records;
  };
  // The histories this process's commits wrote, served again while their stamp is current (the site rebuild).
  const writtenHistories = createWrittenHistories();
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
      const { committed, historyStamp } = await commitRun(engine, state, records, items, changes, ctx);
      writtenHistories.remember(state.sourceId, historyStamp, committed.history);
      return committed;
    });

  return {
    loadSource: load,
    loadSiteStates: (sourceIds) =>
      guard('could not read the source states', undefined, () => loadSiteStates(readValues, sourceIds, onInvalid)),
    readHistory: (state) =>
      guard(
        'could not read history',
        state.sourceId,
        async () =>
          writtenHistories.read(state.sourceId, state.historyStamp) ??
          (await recordsOf(state)).history.items.map(toStoredItem),
      ),
    commitRun: commit,
    saveSourceState: (sourceId, changes, fence) =>
      guard('could not save the source state', sourceId, () => write(sourceId, stateWrites(sourceId, changes), fence)),
    claimSource: claim,
    claimAndLoad: (sourceId) => {
      const claimAndRead = engine.claimAndRead?.bind(engine);
      if (!claimAndRead) return claimThenLoad(sourceId);
      return guard('could not claim the source', sourceId, async () => {
        const { fence, values } = await claimAndRead(sourceId, statePartKeys(sourceId));
        const state = parseStateParts(sourceId, values, onInvalid);
        state.fence = fence;
        return state;
      });
    },
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
      guard('could not rebuild history', sourceId, () => {
        writtenHistories.forget(sourceId);
        return seedHistory(keyv, engine, sourceId, items, ctx);
      }),
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
        writtenHistories.forget();
        await engine.clear();
        await keyv.clear();
      }),
    close: () => guard('could not close the store', undefined, options.close ?? (() => keyv.disconnect())),
  };
}

// --- Internal helpers ---

const DEFAULT_CALL_TIMEOUT_MS = 10_000;

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
