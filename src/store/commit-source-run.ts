/**
 * A run's commit on the store's own records of its source: the history and registry it dedupes
 * against (read once per loaded state), the plan (plan-run.ts), and the one atomic engine step that
 * writes the seen records, history, registry and state parts while the run still owns the source.
 */
import type { Keyv } from 'keyv';
import { formatErrorMessage } from '../errors.js';
import type { CommitResult, ExtractedItem } from '../model.js';
import {
  parseHistoryRecord,
  parseRegistryRecord,
  type HistoryRecord,
  type ItemRecord,
  type RegistryRecord,
} from './item-record.js';
import { legacyIndexKey, migrateLegacyIndex } from './legacy-index.js';
import { identifyItems, planRun, type CommitContext, type IdentifiedItem } from './plan-run.js';
import { historyStampWrite, stateWrites, type SourceState, type SourceStateChanges } from './source-state.js';
import type { CommitBatch, KeyvWrite, StoreEngine } from './store-engine.js';
import { StoreError } from './store-error.js';
import { historyKey, REGISTRY_KEY } from './store-keys.js';

const DAY_MS = 86_400_000;

/** The store's own records of a source that a commit dedupes against and rewrites. */
export interface StoredRecords {
  history: HistoryRecord;
  registry: RegistryRecord;
}

/** The history and the registry of a source, checked; a layout-1 seen index moves into the seen index first. */
export async function readStoredRecords(keyv: Keyv, engine: StoreEngine, sourceId: string): Promise<StoredRecords> {
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
export function outsideHistory(stored: StoredRecords, run: IdentifiedItem[]): IdentifiedItem[] {
  const inHistory = new Set(stored.history.items.map((record) => record.id));
  return run.filter((r) => !inHistory.has(r.id));
}

/** A committed run: its result, and the history stamp it wrote (undefined when the history stayed as it was). */
export interface CommittedRun {
  committed: CommitResult;
  historyStamp: string | undefined;
}

export async function commitRun(
  engine: StoreEngine,
  state: SourceState,
  stored: StoredRecords,
  items: ExtractedItem[],
  changes: SourceStateChanges,
  ctx: CommitContext,
): Promise<CommittedRun> {
  const { sourceId } = state;
  const run = identifyItems(sourceId, items);
  const ids = outsideHistory(stored, run).map((r) => r.id);
  const committed = await engine.commit(sourceId, state.fence, ids, ctx.now.getTime(), (seen) => {
    // History copies are written in the same step as their seen records, so they stand for them.
    const records = new Map<string, ItemRecord>(stored.history.items.map((record) => [record.id, record]));
    for (const [id, record] of seen) records.set(id, record);
    const plan = planRun(sourceId, run, { records, history: stored.history }, ctx);
    const writes: KeyvWrite[] = [];
    const stamp = plan.historyWrite ? historyStampWrite(sourceId) : undefined;
    if (stamp) writes.push({ key: historyKey(sourceId), value: plan.historyWrite }, stamp);
    // Registering is read-modify-write on a shared key; a lost update heals on the source's next run.
    if (!stored.registry.sources.includes(sourceId))
      writes.push({ key: REGISTRY_KEY, value: withSource(stored.registry, sourceId) });
    writes.push(...stateWrites(sourceId, changes));
    const batch: CommitBatch = {
      seen: plan.itemWrites.map((write) => write.record),
      seenTtlMs: Math.max(1, ctx.retainDays) * DAY_MS,
      writes,
    };
    return { batch, result: { plan, historyStamp: stamp?.value } };
  });
  // Fenced: the token was checked in the same atomic step as the write.
  if (committed === undefined) throw fencedError(sourceId, state.fence ?? 0);
  const { plan, historyStamp } = committed.result;
  return {
    committed: { newItems: plan.newItems, changedItems: plan.changedItems, history: plan.historyItems },
    historyStamp,
  };
}

export function fencedError(sourceId: string, fence: number): StoreError {
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
