/**
 * Fills a source's empty history with items rebuilt outside the store (from the feed files it wrote
 * before the store was lost): seen records, then history and registry, with the ids given so GUIDs
 * and dedupe stay exactly as they were.
 *
 * The rebuild claims the source as a run does, before it reads the history, and writes under that
 * claim: a run of the source that commits in between (another worker) has claimed it later, so the
 * rebuild's write is refused and the run's history stays; a run that claimed earlier has its commit
 * refused (STORE_FENCED) and announces its items on its next run. An item a run has committed lives
 * only in its history until the history drops it (layout 3), so overwriting that history would lose it.
 */
import type { Keyv } from 'keyv';
import type { StoredItem } from '../model.js';
import { parseHistoryRecord, parseRegistryRecord, sortRecordsNewestFirst, type ItemRecord } from './item-record.js';
import type { CommitContext } from './plan-run.js';
import type { KeyvWrite, StoreEngine } from './store-engine.js';
import { historyKey, REGISTRY_KEY } from './store-keys.js';
import { historyStampWrite } from './source-state.js';

/** Writes `items` as the source's history unless it already has one; returns how many were stored. */
export async function seedHistory(
  keyv: Keyv,
  engine: StoreEngine,
  sourceId: string,
  items: readonly StoredItem[],
  ctx: CommitContext,
): Promise<number> {
  if (items.length === 0) return 0;
  const fence = await engine.claim(sourceId);
  const [rawHistory, rawRegistry] = await keyv.getMany<unknown>([historyKey(sourceId), REGISTRY_KEY]);
  // Never overwrite: another worker (or an earlier start) may have rebuilt or run it meanwhile.
  if (parseHistoryRecord(rawHistory, historyKey(sourceId), sourceId).items.length > 0) return 0;
  const retainMs = Math.max(1, ctx.retainDays) * DAY_MS;
  const expiresAt = new Date(ctx.now.getTime() + retainMs).toISOString();
  const unique = new Map<string, ItemRecord>();
  items.forEach((item, position) => {
    if (!unique.has(item.id)) unique.set(item.id, toRecord(item, sourceId, position, ctx.now.toISOString(), expiresAt));
  });
  const records = [...unique.values()];
  const history = sortRecordsNewestFirst(records).slice(0, Math.max(1, ctx.historySize));
  const registry = parseRegistryRecord(rawRegistry, REGISTRY_KEY);
  // Seen records first (never over a run's), then the history: a crash in between leaves the history
  // empty, so the next start rebuilds again.
  await engine.importSeen(sourceId, records, retainMs);
  const writes: KeyvWrite[] = [{ key: historyKey(sourceId), value: { items: history } }, historyStampWrite(sourceId)];
  if (!registry.sources.includes(sourceId))
    writes.push({ key: REGISTRY_KEY, value: { sources: [...registry.sources, sourceId].sort() } });
  // Refused when a run has claimed the source since: its history, not this one, is the source's.
  if (!(await engine.write(sourceId, fence, writes))) return 0;
  return records.length;
}

// --- Internal helpers ---

const DAY_MS = 86_400_000;

function toRecord(item: StoredItem, sourceId: string, position: number, nowIso: string, expiresAt: string): ItemRecord {
  const record: ItemRecord = {
    id: item.id,
    sourceId,
    title: item.title,
    publishedAt: item.publishedAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    firstSeenAt: item.firstSeenAt.toISOString(),
    lastSeenAt: nowIso,
    position,
    expiresAt,
  };
  if (item.link !== undefined) record.link = item.link;
  if (item.summary !== undefined) record.summary = item.summary;
  if (item.summaryIsHtml !== undefined) record.summaryIsHtml = item.summaryIsHtml;
  if (item.author !== undefined) record.author = item.author;
  if (item.image !== undefined) record.image = item.image;
  if (item.categories !== undefined) record.categories = [...item.categories];
  return record;
}
