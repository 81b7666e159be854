/**
 * Detail-page enrichment (`detail:` in a source): for each item seen for the first time, fetch its own
 * page through the shared polite fetcher (robots.txt, per-host limits and spacing apply) and take the
 * publication date and/or summary from it. Every outcome is cached per canonical link in the store, so a
 * page is fetched once, ever; a failed page is retried on later runs under detail-cache-entry.ts's policy (a
 * retry can still add a summary to a known item, while its date is fixed at first sight by the store).
 * A failure never drops an item: it keeps its list-page data and the run gets a warning.
 */
import { toAppError } from '../errors.js';
import { extractDetail } from '../extract/index.js';
import type { DetailConfig, ExtractedItem, SourceConfig, Warning } from '../model.js';
import type { PipelineDeps } from './deps.js';
import type { SourceState } from '../store/index.js';
import {
  createFailedEntry,
  createFoundEntry,
  FAILED_ENTRY_TTL_MS,
  isRetryDue,
  MAX_DETAIL_ATTEMPTS,
  parseDetailCacheEntry,
  readEntryDate,
  type DetailCacheEntry,
} from './detail-cache-entry.js';
import { mergeDetailFindings, needsDetail, type DetailFindings } from './detail-merge.js';
import { mapWithLimit } from './map-with-limit.js';

/** Returns the items with data from their own pages added, for items not seen before. */
export async function enrichNewItems(
  source: SourceConfig,
  deps: PipelineDeps,
  state: SourceState,
  items: ExtractedItem[],
  warnings: Warning[],
): Promise<ExtractedItem[]> {
  const detail = source.detail;
  if (!detail || items.length === 0) return items;
  const wanted = items.filter((item) => item.link && needsDetail(item, detail.fields));
  if (wanted.length === 0) return items;
  const fresh = new Set(await deps.store.findNew(state, wanted, deps.now()));
  // A link whose identity keeps its fragment (a hash route, a section of one page) names a place that
  // an HTTP request cannot reach: it would fetch the same document (a script's shell, the whole page)
  // for every such item and read one date for all of them. Said for new items only, so once per item.
  const linked = wanted.filter((item) => !item.canonicalLink?.includes('#'));
  const placesSkipped = wanted.filter((item) => fresh.has(item) && item.canonicalLink?.includes('#')).length;
  if (placesSkipped > 0)
    deps.logger.info(
      { sourceId: source.id, items: placesSkipped },
      `source "${source.id}": ${placesSkipped} new item(s) link to a place inside a page (#…); their detail pages are not fetched`,
    );
  if (linked.length === 0) return items;
  const entries = (await deps.store.readDetailCache(linked.map(cacheKey))).map(parseDetailCacheEntry);
  const plans = linked.map((item, i) => planItem(item, entries[i], fresh.has(item), detail, deps.now()));
  const work = plans.filter((plan) => plan.action !== 'skip');
  if (work.length === 0) return items;
  // Per-host limits and spacing are the fetcher's; this only bounds how many fetches wait on it at once.
  const findings = await mapWithLimit(work, Math.max(1, source.fetch.perHostConcurrency), (plan) =>
    resolvePlan(plan, source, deps, warnings),
  );
  const byItem = new Map(work.map((plan, i) => [plan.item, findings[i]]));
  return items.map((item) => {
    const found = byItem.get(item);
    if (!found) return item;
    const { item: merged, conflict } = mergeDetailFindings(item, found, source.timezone);
    if (conflict) warnings.push({ code: 'detail-date-conflict', message: conflict });
    return merged;
  });
}

// --- Internal helpers ---

const DAY_MS = 24 * 3600_000;

/** What to do for one item: use the cached findings, fetch the page, or nothing. */
interface DetailPlan {
  item: ExtractedItem;
  action: 'cached' | 'fetch' | 'skip';
  entry?: DetailCacheEntry;
}

function planItem(
  item: ExtractedItem,
  entry: DetailCacheEntry | undefined,
  fresh: boolean,
  detail: DetailConfig,
  now: Date,
): DetailPlan {
  if (entry?.status === 'ok') return { item, action: fresh ? 'cached' : 'skip', entry };
  if (entry?.status === 'failed') {
    // A known item can still gain a summary (the store updates it in place), never a date.
    const useful = fresh || (detail.fields.includes('summary') && !item.summary);
    return { item, action: useful && isRetryDue(entry, now) ? 'fetch' : 'skip', entry };
  }
  return { item, action: fresh ? 'fetch' : 'skip' };
}

async function resolvePlan(
  plan: DetailPlan,
  source: SourceConfig,
  deps: PipelineDeps,
  warnings: Warning[],
): Promise<DetailFindings | undefined> {
  if (plan.action === 'cached' && plan.entry?.status === 'ok')
    return { published: readEntryDate(plan.entry), summary: plan.entry.summary };
  const link = plan.item.link as string;
  const started = deps.now();
  try {
    const page = await deps.fetcher.fetch({
      sourceId: source.id,
      url: link,
      sourceUrl: source.url,
      policy: source.fetch,
      purpose: 'detail',
    });
    if (page.kind !== 'fetched') throw new Error(`unexpected ${page.reason} answer to an unconditional request`);
    const result = extractDetail(
      { body: page.body, url: page.finalUrl },
      {
        sourceId: source.id,
        fields: (source.detail as DetailConfig).fields,
        date: source.detail?.date,
        summary: source.detail?.summary,
        timezone: source.timezone,
        now: deps.now(),
        summaryLength: source.summaryLength,
        replace: source.replace,
        convert: source.convert,
      },
    );
    for (const warning of result.warnings)
      deps.logger.debug({ sourceId: source.id, url: link, code: warning.code }, warning.message);
    await deps.store.writeDetailCache(
      cacheKey(plan.item),
      createFoundEntry(started, result.published, result.summary),
      Math.max(1, source.retainDays) * DAY_MS,
    );
    return { published: result.published, summary: result.summary };
  } catch (error) {
    const appError = toAppError(error, source.id);
    const entry = createFailedEntry(started, appError, plan.entry);
    await deps.store.writeDetailCache(cacheKey(plan.item), entry, FAILED_ENTRY_TTL_MS);
    const next =
      entry.status === 'failed' && entry.retry && entry.attempts < MAX_DETAIL_ATTEMPTS
        ? 'it is retried on a later run'
        : 'it is not retried';
    warnings.push({
      code: 'detail-fetch-failed',
      message: `detail page of "${plan.item.title}" failed (${appError.message}); the item keeps its list-page data and ${next}`,
    });
    return undefined;
  }
}

function cacheKey(item: ExtractedItem): string {
  return item.canonicalLink ?? (item.link as string);
}
