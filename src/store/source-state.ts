/**
 * One source's state besides its items — health, fetch validators, Retry-After time, the pending
 * output flag, the remembered page facts, the failure notices, the feed version and the index page's
 * check time — read in one small round trip, each part checked before it is trusted. The history is
 * not part of it: a run that finds the page unchanged (304, same body) never needs it, so it is read
 * only by a run that has items to commit or a feed to re-render. This state is bookkeeping: a part that
 * does not have its expected shape is dropped (and reported), and the run writes a fresh one.
 */
import { randomUUID } from 'node:crypto';
import type {
  FailureNotice,
  FeedVersion,
  FetchValidators,
  RememberedPage,
  SourceHealth,
  StoredItem,
} from '../model.js';
import { healthKey, partKey, validatorsKey } from './store-keys.js';

/** Everything the store keeps for a source, as loaded before a run. */
export interface SourceState {
  sourceId: string;
  /** Undefined for a source that never ran. */
  health?: SourceHealth;
  /** ETag / Last-Modified / body hash of the last page whose items were confirmed published. */
  validators?: FetchValidators;
  /** The site asked for no request before this time (ISO), after a 429/503 with Retry-After. */
  retryAfter?: string;
  /** A run committed items but did not confirm its feed files: the next run re-renders them. */
  pendingOutput: boolean;
  page: RememberedPage;
  failureNotices: FailureNotice[];
  /** The version of the source's feed as last published; undefined before the first. */
  feedVersion?: FeedVersion;
  /** The check time the index page shows for the source (ISO; moved at most once per interval). */
  indexCheckedAt?: string;
  /**
   * Changes whenever the store writes the source's history (a commit that changed it, a rebuild), in
   * the same atomic step: what was built from the history (topic feeds, the index page) is current
   * while it is unchanged. Undefined for a history written before stamps existed.
   */
  historyStamp?: string;
  /** The run's ownership token (ItemStore.claimSource): commitRun writes only while it is current. */
  fence?: number;
}

/** Changes to a source's state, written in one batch; a field left out keeps its stored value. */
export interface SourceStateChanges {
  health?: SourceHealth;
  validators?: FetchValidators;
  /** No request before `until`; the record expires by itself after `ttlMs`. */
  retryAfter?: { until: string; ttlMs: number };
  pendingOutput?: boolean;
  page?: RememberedPage;
  failureNotices?: FailureNotice[];
  feedVersion?: FeedVersion;
  indexCheckedAt?: string;
}

/** The keys of the state parts, in the order {@link parseStateParts} reads them. */
export function statePartKeys(sourceId: string): readonly string[] {
  // Built once per source (every run and every site rebuild asks): encoding the id into nine keys
  // each time was a tenth of an unchanged run's store JavaScript.
  let keys = partKeysBySource.get(sourceId);
  if (keys === undefined) {
    if (partKeysBySource.size >= KEY_CACHE_SIZE) partKeysBySource.clear();
    keys = [
      healthKey(sourceId),
      validatorsKey(sourceId),
      partKey(STATE_PART.retryAfter, sourceId),
      partKey(STATE_PART.pendingOutput, sourceId),
      partKey(STATE_PART.page, sourceId),
      partKey(STATE_PART.failureNotices, sourceId),
      feedVersionKey(sourceId),
      partKey(STATE_PART.indexChecked, sourceId),
      partKey(STATE_PART.historyStamp, sourceId),
    ];
    partKeysBySource.set(sourceId, keys);
  }
  return keys;
}

/** Checks the raw values read under {@link statePartKeys}; `onInvalid` hears of each part dropped. */
export function parseStateParts(
  sourceId: string,
  raw: unknown[],
  onInvalid: (key: string, expected: string) => void,
): SourceState {
  const check = <T>(i: number, guard: (value: unknown) => value is T, expected: string): T | undefined => {
    const value = raw[i];
    if (value === undefined || value === null) return undefined;
    if (guard(value)) return value;
    // The keys only for the report: building them for every load was a tenth of its JavaScript.
    onInvalid(statePartKeys(sourceId)[i] ?? '?', expected);
    return undefined;
  };
  return {
    sourceId,
    health: check(0, (value): value is SourceHealth => isHealth(value, sourceId), 'a health snapshot'),
    validators: check(1, isValidators, 'fetch validators'),
    retryAfter: check(2, isIsoDate, 'an ISO time'),
    pendingOutput: check(3, (value): value is boolean => typeof value === 'boolean', 'true or false') ?? false,
    page: check(4, isRememberedPage, 'page facts') ?? {},
    failureNotices: check(5, isNoticeList, 'a list of failure notices') ?? [],
    feedVersion: check(6, isFeedVersion, 'a feed version'),
    indexCheckedAt: check(7, isIsoDate, 'an ISO time'),
    historyStamp: check(8, (value): value is string => typeof value === 'string', 'a history stamp'),
  };
}

/**
 * The parts of a source's state the site files are built from (site-inputs.ts): all the rebuild after
 * a pass reads of every source — four of the nine parts, so an unchanged pass reads and parses less.
 */
export type SiteState = Pick<SourceState, 'sourceId' | 'health' | 'page' | 'indexCheckedAt' | 'historyStamp'>;

/** Positions in {@link statePartKeys} of the parts of a {@link SiteState}, in the order {@link parseSiteState} reads them. */
const SITE_PARTS = [0, 4, 7, 8] as const;

/** The keys of a source's {@link SiteState}, in the order {@link parseSiteState} reads them. */
export function siteStateKeys(sourceId: string): readonly string[] {
  const keys = statePartKeys(sourceId);
  return SITE_PARTS.map((i) => keys[i] as string);
}

/** Checks the raw values read under {@link siteStateKeys}, as {@link parseStateParts} checks the same parts. */
export function parseSiteState(
  sourceId: string,
  raw: readonly unknown[],
  onInvalid: (key: string, expected: string) => void,
): SiteState {
  const parts: unknown[] = [];
  SITE_PARTS.forEach((at, i) => (parts[at] = raw[i]));
  const { health, page, indexCheckedAt, historyStamp } = parseStateParts(sourceId, parts, onInvalid);
  return { sourceId, health, page, indexCheckedAt, historyStamp };
}

/**
 * Whether a source's feed shows what was last published: its version, and whether a run committed
 * items it has not confirmed yet (between the two, the history is newer than the version says).
 */
export interface FeedStamp {
  feedVersion?: FeedVersion;
  pendingOutput: boolean;
}

/** What a source's feed is rendered from, read in one atomic step together with its stamp. */
export interface FeedContent extends FeedStamp {
  page: RememberedPage;
  failureNotices: FailureNotice[];
  /** The source's history, newest first. */
  history: StoredItem[];
}

/** The keys of a source's stamp, in the order {@link parseFeedStamp} reads them. */
export function feedStampKeys(sourceId: string): string[] {
  return [feedVersionKey(sourceId), partKey(STATE_PART.pendingOutput, sourceId)];
}

/** The keys of a source's feed content besides its history: the stamp's, then page facts and failure notices. */
export function feedContentKeys(sourceId: string): string[] {
  return [...feedStampKeys(sourceId), partKey(STATE_PART.page, sourceId), partKey(STATE_PART.failureNotices, sourceId)];
}

/** Checks the raw values read under {@link feedStampKeys}; a part of the wrong shape counts as absent, as in {@link parseStateParts}. */
export function parseFeedStamp(raw: unknown[]): FeedStamp {
  const [version, pending] = raw;
  return {
    ...(isFeedVersion(version) ? { feedVersion: version } : {}),
    pendingOutput: pending === true,
  };
}

/** Checks the raw values read under {@link feedContentKeys}; `history` is the checked history that came with them. */
export function parseFeedContent(raw: unknown[], history: StoredItem[]): FeedContent {
  const [, , page, notices] = raw;
  return {
    ...parseFeedStamp(raw),
    page: isRememberedPage(page) ? page : {},
    failureNotices: isNoticeList(notices) ? notices : [],
    history,
  };
}

/** The writes for `changes`. */
export function stateWrites(
  sourceId: string,
  changes: SourceStateChanges,
): Array<{ key: string; value: unknown; ttl?: number }> {
  const writes: Array<{ key: string; value: unknown; ttl?: number }> = [];
  if (changes.health) writes.push({ key: healthKey(sourceId), value: changes.health });
  if (changes.validators) writes.push({ key: validatorsKey(sourceId), value: changes.validators });
  if (changes.retryAfter) {
    writes.push({
      key: partKey(STATE_PART.retryAfter, sourceId),
      value: changes.retryAfter.until,
      ttl: changes.retryAfter.ttlMs,
    });
  }
  if (changes.pendingOutput !== undefined)
    writes.push({ key: partKey(STATE_PART.pendingOutput, sourceId), value: changes.pendingOutput });
  if (changes.page) writes.push({ key: partKey(STATE_PART.page, sourceId), value: changes.page });
  if (changes.failureNotices)
    writes.push({ key: partKey(STATE_PART.failureNotices, sourceId), value: changes.failureNotices });
  if (changes.feedVersion) writes.push({ key: feedVersionKey(sourceId), value: changes.feedVersion });
  if (changes.indexCheckedAt)
    writes.push({ key: partKey(STATE_PART.indexChecked, sourceId), value: changes.indexCheckedAt });
  return writes;
}

/** The write of a fresh history stamp (see {@link SourceState.historyStamp}), for the batch that writes the history. */
export function historyStampWrite(sourceId: string): { key: string; value: string } {
  // randomUUID draws from a buffered pool: a fresh randomBytes call per commit cost ~0.15 ms.
  return { key: partKey(STATE_PART.historyStamp, sourceId), value: randomUUID() };
}

/** The key of a source's feed version (servers read only these to know whether a feed changed). */
export function feedVersionKey(sourceId: string): string {
  return partKey(STATE_PART.feedVersion, sourceId);
}

/** Checks a feed version read back; anything else counts as none. */
export function isFeedVersion(value: unknown): value is FeedVersion {
  return isObject(value) && typeof value.n === 'number' && typeof value.hash === 'string';
}

/** Reads raw values by key, in order (missing ones undefined). */
export type ReadValues = (keys: readonly string[]) => Promise<unknown[]>;

export async function loadSourceState(
  readValues: ReadValues,
  sourceId: string,
  onInvalid: (key: string, expected: string) => void,
): Promise<SourceState> {
  return parseStateParts(sourceId, await readValues(statePartKeys(sourceId)), onInvalid);
}

/** Sources whose parts one read asks for (bounds one SQLite statement or Redis MGET to a few thousand keys). */
const SOURCES_PER_READ = 500;

/** The {@link SiteState} of each source, in the order of `sourceIds`, one read per {@link SOURCES_PER_READ} sources. */
export async function loadSiteStates(
  readValues: ReadValues,
  sourceIds: readonly string[],
  onInvalid: (key: string, expected: string) => void,
): Promise<SiteState[]> {
  const states: SiteState[] = [];
  const width = SITE_PARTS.length;
  for (let at = 0; at < sourceIds.length; at += SOURCES_PER_READ) {
    const ids = sourceIds.slice(at, at + SOURCES_PER_READ);
    const raw = await readValues(ids.flatMap(siteStateKeys));
    ids.forEach((sourceId, i) =>
      states.push(parseSiteState(sourceId, raw.slice(i * width, (i + 1) * width), onInvalid)),
    );
  }
  return states;
}

// --- Internal helpers ---

/** Key namespaces of the state parts kept as `record:<namespace>:<sourceId>` (the layout of earlier versions). */
const STATE_PART = {
  pendingOutput: 'pending-output',
  page: 'page',
  retryAfter: 'retry-after',
  failureNotices: 'failure-notices',
  feedVersion: 'feed-version',
  indexChecked: 'index-checked',
  historyStamp: 'history-stamp',
} as const;

/** Sources whose keys {@link statePartKeys} keeps (far more than any config; the cache starts over past it). */
const KEY_CACHE_SIZE = 20_000;
const partKeysBySource = new Map<string, readonly string[]>();

const HEALTH_STATUSES = new Set<string>(['ok', 'not-modified', 'degraded', 'failing', 'never-run']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isOptional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || typeof value === type;
}

function isHealth(value: unknown, sourceId: string): value is SourceHealth {
  return (
    isObject(value) &&
    value.sourceId === sourceId &&
    typeof value.status === 'string' &&
    HEALTH_STATUSES.has(value.status) &&
    typeof value.lastFound === 'number' &&
    typeof value.lastNew === 'number' &&
    typeof value.consecutiveFailures === 'number' &&
    isOptional(value.lastRunAt, 'string') &&
    isOptional(value.lastSuccessAt, 'string') &&
    isOptional(value.failingSince, 'string') &&
    isOptional(value.lastHttpStatus, 'number') &&
    isOptional(value.lastNonEmptyFound, 'number') &&
    isOptional(value.attention, 'string') &&
    (value.lastError === undefined || (isObject(value.lastError) && typeof value.lastError.message === 'string'))
  );
}

function isValidators(value: unknown): value is FetchValidators {
  return (
    isObject(value) &&
    isOptional(value.etag, 'string') &&
    isOptional(value.lastModified, 'string') &&
    isOptional(value.bodyHash, 'string') &&
    isOptional(value.wireHash, 'string')
  );
}

function isRememberedPage(value: unknown): value is RememberedPage {
  return (
    isObject(value) &&
    isOptional(value.title, 'string') &&
    isOptional(value.language, 'string') &&
    isOptional(value.icon, 'string') &&
    isOptional(value.list, 'string')
  );
}

function isNoticeList(value: unknown): value is FailureNotice[] {
  return (
    Array.isArray(value) &&
    value.every(
      (notice) =>
        isObject(notice) &&
        typeof notice.day === 'string' &&
        isIsoDate(notice.at) &&
        isIsoDate(notice.since) &&
        typeof notice.message === 'string',
    )
  );
}
