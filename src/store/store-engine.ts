/**
 * What a backend does for the ItemStore beyond plain keyv reads: the seen-item index (one record per
 * item, written only when it is new or refreshed), fencing tokens, and a run's commit as one atomic
 * step — one transaction on SQLite, one Lua script on Redis, a checked batch on other keyv stores.
 */
import type { ItemRecord } from './item-record.js';

/** One keyv write (history, registry, state parts), in keyv's own format so keyv reads it back. */
export interface KeyvWrite {
  key: string;
  value: unknown;
  ttl?: number;
}

/** The writes of one commit. */
export interface CommitBatch {
  /** Item records to put in the seen index (new items and refreshed ones); each carries its expiresAt. */
  seen: ItemRecord[];
  /** Physical lifetime of the seen records on stores that expire keys themselves (plain keyv). */
  seenTtlMs: number;
  writes: KeyvWrite[];
}

/** Decides a commit from the live seen records of the run's items (a pure function: it may run inside a transaction). */
export type CommitPlanner<T> = (seen: ReadonlyMap<string, ItemRecord>) => { batch: CommitBatch; result: T };

/** Backend operations of the ItemStore. */
export interface StoreEngine {
  /** Makes the calling run the source's owner; returns its token. */
  claim(sourceId: string): Promise<number>;
  /**
   * {@link claim}, then {@link readValues} of `keys`, in one step (one transaction on SQLite): what a
   * run does first. Absent where the two calls issued together cost no more.
   */
  claimAndRead?(sourceId: string, keys: readonly string[]): Promise<{ fence: number; values: unknown[] }>;
  /** The source's current token without taking it (0 before any run). */
  peek(sourceId: string): Promise<number>;
  /** The seen records among `ids` whose expiresAt is after `nowMs`. */
  readSeen(sourceId: string, ids: readonly string[], nowMs: number): Promise<Map<string, ItemRecord>>;
  /**
   * Reads the live seen records of `ids`, lets `plan` decide, and applies its batch only while `fence`
   * (when given) is still the source's token, in one atomic step where the backend has one. Also
   * deletes a few seen records that expired before `nowMs` (bounded work), so retention holds even
   * where no worker prunes. Resolves undefined when the run was fenced off.
   */
  commit<T>(
    sourceId: string,
    fence: number | undefined,
    ids: readonly string[],
    nowMs: number,
    plan: CommitPlanner<T>,
  ): Promise<{ result: T } | undefined>;
  /** Applies `writes` only while `fence` (when given) is the source's token; resolves whether it did. */
  write(sourceId: string, fence: number | undefined, writes: KeyvWrite[]): Promise<boolean>;
  /**
   * Puts records into the seen index unless the index already has one for the id (rebuilds and
   * migrations never override what a run wrote).
   */
  importSeen(sourceId: string, records: readonly ItemRecord[], ttlMs: number): Promise<void>;
  /** Deletes the seen records of `sourceIds` that expired at or before `nowMs`; returns how many. */
  prune(sourceIds: readonly string[], nowMs: number): Promise<number>;
  /** Deletes the seen index of the namespace (keyv's clear does the rest). */
  clear(): Promise<void>;
  /**
   * keyv values by key, in the order of `keys` (missing and expired ones undefined), read in one step
   * without keyv's await per value; absent where keyv's getMany is the cheaper way (Redis: one MGET).
   */
  readValues?(keys: readonly string[]): Promise<unknown[]>;
}

/** Key of a source's fencing token (inside the store's namespace). */
export function fenceKey(sourceId: string): string {
  return `fence:${encodeURIComponent(sourceId)}`;
}

/**
 * Serialises a seen record compactly: a JSON array without the fields its key already holds (id,
 * source) and with times as epoch ms — `[title, link|null, published, updated, firstSeen, lastSeen,
 * expires, position, {summary, summaryIsHtml, author, image, categories}?]`. About 220 bytes for a
 * Chinese headline instead of 350 as an object with ISO times; the index holds every item of half a year.
 */
export function encodeSeen(record: ItemRecord): string {
  const { summary, summaryIsHtml, author, image, categories } = record;
  const extras = { summary, summaryIsHtml, author, image, categories };
  const hasExtras =
    summary !== undefined ||
    summaryIsHtml !== undefined ||
    author !== undefined ||
    image !== undefined ||
    categories !== undefined;
  return JSON.stringify([
    record.title,
    record.link ?? null,
    Date.parse(record.publishedAt),
    Date.parse(record.updatedAt),
    Date.parse(record.firstSeenAt),
    Date.parse(record.lastSeenAt),
    Date.parse(record.expiresAt),
    record.position,
    ...(hasExtras ? [extras] : []),
  ]);
}

/** Bounded clean-up per commit: enough to keep up with any realistic number of new items a day. */
export const COMMIT_PRUNE_LIMIT = 64;
