/**
 * Pure core of `commitRun`: given what the store holds for a source and the items of one run,
 * decide which items are new or changed, the new history, and the seen records to write.
 */
import type { ExtractedItem, StoredItem } from '../model.js';
import { fingerprintItem } from './fingerprint.js';
import {
  sortRecordsNewestFirst,
  storedItemAt,
  toStoredItem,
  type HistoryRecord,
  type ItemRecord,
} from './item-record.js';
import { createPublishedAtResolver, type PublishedAtResolver } from './publication-date.js';

/** Per-run settings of `ItemStore.commitRun`, passed on to {@link planRun}. */
export interface CommitContext {
  now: Date;
  timezone: string;
  historySize: number;
  retainDays: number;
}

/** One run item with its identity and page position (first occurrence of each identity only). */
export interface IdentifiedItem {
  id: string;
  item: ExtractedItem;
  position: number;
}

/** What the store holds for the source before the run: the live seen records of the run's items, and the history. */
export interface KnownRecords {
  records: ReadonlyMap<string, ItemRecord>;
  history: HistoryRecord;
}

/** The decided outcome of one run. */
export interface RunPlan {
  newItems: StoredItem[];
  changedItems: StoredItem[];
  history: ItemRecord[];
  /** The new history as feed-facing items (the same objects as in newItems and changedItems where those are in it). */
  historyItems: StoredItem[];
  /**
   * Item records to write to the seen index, each with its TTL in ms: the new and refreshed items the
   * new history does not hold, and the records it leaves out (their copies stood for them until now).
   */
  itemWrites: Array<{ record: ItemRecord; ttlMs: number }>;
  /** The new history, or undefined when unchanged. */
  historyWrite?: HistoryRecord;
}

/** Gives every item its id and drops repeats within the run (the first occurrence wins). */
export function identifyItems(sourceId: string, items: readonly ExtractedItem[]): IdentifiedItem[] {
  const seen = new Set<string>();
  const identified: IdentifiedItem[] = [];
  items.forEach((item, position) => {
    const id = fingerprintItem(sourceId, item);
    if (seen.has(id)) return;
    seen.add(id);
    identified.push({ id, item, position });
  });
  return identified;
}

/** Plans one run: new items keep page order; known items are updated in place, never duplicated. */
export function planRun(
  sourceId: string,
  run: IdentifiedItem[],
  state: KnownRecords,
  settings: CommitContext,
): RunPlan {
  const nowMs = settings.now.getTime();
  const retainMs = Math.max(1, settings.retainDays) * DAY_MS;
  const historyById = new Map(state.history.items.map((record) => [record.id, record]));
  const plan: RunPlan = { newItems: [], changedItems: [], history: [], historyItems: [], itemWrites: [] };
  const touched = new Map<string, ItemRecord>();
  // Ids of the touched records that are new or refreshed: the store must keep them as they are now.
  const written = new Set<string>();
  // The feed-facing item of each new or changed record, built once for newItems/changedItems and the history.
  const storedById = new Map<string, StoredItem>();
  const clock: RunClock = {
    nowMs,
    nowIso: settings.now.toISOString(),
    expiresIso: new Date(nowMs + retainMs).toISOString(),
    resolvePublishedAt: createPublishedAtResolver(settings.now, settings.timezone),
  };

  for (const { id, item, position } of run) {
    const stored = state.records.get(id);
    const live = stored !== undefined && Date.parse(stored.expiresAt) > nowMs ? stored : undefined;
    const known = live ?? historyById.get(id);
    if (known === undefined) {
      const { record, stored } = createRecord(sourceId, id, item, position, clock);
      plan.newItems.push(stored);
      storedById.set(id, stored);
      written.add(id);
      touched.set(id, record);
      continue;
    }
    const merged = mergeRecord(known, item, settings.now);
    const changed = merged !== known;
    if (changed) {
      const stored = toStoredItem(merged);
      plan.changedItems.push(stored);
      storedById.set(id, stored);
    }
    const refreshed = changed || live === undefined || nowMs - Date.parse(known.lastSeenAt) >= refreshAfterMs(retainMs);
    const record = refreshed ? { ...merged, lastSeenAt: clock.nowIso, expiresAt: clock.expiresIso } : merged;
    if (refreshed) written.add(id);
    touched.set(id, record);
  }

  plan.history = buildHistory(state.history.items, touched, settings.historySize);
  plan.historyItems = plan.history.map((record) => storedById.get(record.id) ?? toStoredItem(record));
  if (!sameHistory(state.history.items, plan.history)) plan.historyWrite = { items: plan.history };
  plan.itemWrites = seenWrites(state.history.items, plan.history, touched, written, nowMs).map((record) => ({
    record,
    ttlMs: retainMs,
  }));
  return plan;
}

// --- Internal helpers ---

const DAY_MS = 86_400_000;

/** A known item's expiry is pushed forward at most once a day, so quiet runs write nothing. */
function refreshAfterMs(retainMs: number): number {
  return Math.min(DAY_MS, retainMs / 10);
}

/** What every record of one run shares: its time, as text once, and its publication-date rule. */
interface RunClock {
  nowMs: number;
  nowIso: string;
  /** When a record first seen or refreshed in this run expires. */
  expiresIso: string;
  resolvePublishedAt: PublishedAtResolver;
}

/** A new item's record, and its feed-facing item built from the same times (no ISO text parsed back). */
function createRecord(
  sourceId: string,
  id: string,
  item: ExtractedItem,
  position: number,
  clock: RunClock,
): { record: ItemRecord; stored: StoredItem } {
  const publishedMs = clock.resolvePublishedAt(item.published, position).getTime();
  const publishedAt = new Date(publishedMs).toISOString();
  const record: ItemRecord = {
    id,
    sourceId,
    title: item.title,
    ...pickContent(item),
    publishedAt,
    updatedAt: publishedAt,
    firstSeenAt: clock.nowIso,
    lastSeenAt: clock.nowIso,
    position,
    expiresAt: clock.expiresIso,
  };
  return { record, stored: storedItemAt(record, publishedMs, publishedMs, clock.nowMs) };
}

type Content = Pick<ItemRecord, 'link' | 'summary' | 'summaryIsHtml' | 'author' | 'image' | 'categories'>;

/** Optional fields the page gave; an empty value means "not given", never "erase". */
function pickContent(item: ExtractedItem): Content {
  const content: Content = {};
  if (item.link) content.link = item.link;
  if (item.summary) {
    content.summary = item.summary;
    if (item.summaryIsHtml !== undefined) content.summaryIsHtml = item.summaryIsHtml;
  }
  if (item.author) content.author = item.author;
  if (item.image) content.image = item.image;
  if (item.categories && item.categories.length > 0) content.categories = [...item.categories];
  return content;
}

/**
 * Applies a run's view of a known item: a new title or newly given content updates the record and
 * moves `updatedAt`. The link and the dates never change: the link is the permalink GUID in feeds.
 */
function mergeRecord(known: ItemRecord, item: ExtractedItem, now: Date): ItemRecord {
  const given = pickContent(item);
  delete given.link;
  const next: ItemRecord = { ...known, ...given, title: item.title || known.title };
  if (known.link === undefined && item.link) next.link = item.link;
  if (contentKey(next) === contentKey(known)) return known;
  const updatedMs = Math.max(now.getTime(), Date.parse(known.publishedAt));
  return { ...next, updatedAt: new Date(updatedMs).toISOString() };
}

function contentKey(record: ItemRecord): string {
  const { title, link, summary, summaryIsHtml, author, image, categories } = record;
  return JSON.stringify([title, link, summary, summaryIsHtml, author, image, categories]);
}

/**
 * The seen records a commit writes (store layout 3). A record in the history needs none: its history
 * copy, written in the same atomic step, stands for it (commitRun reads no seen record of an item the
 * history holds). So: the new or refreshed records outside the new history, and every live record the
 * new history leaves out — its copy is about to be overwritten in the same step.
 */
function seenWrites(
  previous: readonly ItemRecord[],
  history: readonly ItemRecord[],
  touched: ReadonlyMap<string, ItemRecord>,
  written: ReadonlySet<string>,
  nowMs: number,
): ItemRecord[] {
  const inHistory = new Set(history.map((record) => record.id));
  const writes: ItemRecord[] = [];
  for (const id of written) {
    const record = touched.get(id);
    if (record !== undefined && !inHistory.has(id)) writes.push(record);
  }
  // A record left out that this run did not rewrite is as the old history had it.
  for (const old of previous) {
    if (inHistory.has(old.id) || written.has(old.id)) continue;
    // An expired record protects nothing any more (prune would delete it at once).
    if (Date.parse(old.expiresAt) > nowMs) writes.push(old);
  }
  return writes;
}

function buildHistory(
  previous: ItemRecord[],
  touched: ReadonlyMap<string, ItemRecord>,
  historySize: number,
): ItemRecord[] {
  const byId = new Map(previous.map((record) => [record.id, record]));
  for (const [id, record] of touched) byId.set(id, record);
  return sortRecordsNewestFirst(byId.values()).slice(0, Math.max(1, historySize));
}

/**
 * Histories are compared with their last-seen bookkeeping: the history copies stand for the item
 * records when a run dedupes (commitRun reads no item record that is in the history), so a refresh
 * (at most once a day per item) rewrites the history with the records.
 */
function sameHistory(a: ItemRecord[], b: ItemRecord[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((record, i) => {
    const other = b[i];
    return (
      other !== undefined &&
      other.id === record.id &&
      contentKey(other) === contentKey(record) &&
      other.updatedAt === record.updatedAt &&
      other.lastSeenAt === record.lastSeenAt &&
      other.expiresAt === record.expiresAt
    );
  });
}
