/**
 * runSource(): the only place that chains fetch → extract → store → feed for one source, and turns
 * any failure into its RunReport. The order of writes is chosen so a crash at any moment loses
 * nothing: items are recorded before the feed is rendered, and fetch validators are saved last.
 */
import { AppError, toAppError } from '../errors.js';
import { ExtractError, extractItems } from '../extract/index.js';
import { extractOptionsFor, formatExtractWarning } from './extract-options.js';
import { FetchError } from '../fetch/index.js';
import type { ExtractResult, FetchedPage, NotModified, RunOutcome, RunReport, SourceConfig, SourceHealth } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { RECORD } from './record-names.js';
import { enrichNewItems } from './enrich-new-items.js';
import { addFailureNotice, clearFailureNotices } from './failure-notices.js';
import { publishSourceFeed, type PageMemo } from './publish-source-feed.js';
import { nextHealth } from './source-health.js';


/** The longest a Retry-After answer may hold a source back. */
const MAX_DEFERRAL_MS = 86_400_000;

/** Runs one source end to end; never throws for a source failure. */
export async function runSource(source: SourceConfig, deps: PipelineDeps): Promise<RunReport> {
  const startedAt = deps.now();
  const started = performance.now();
  let previous: SourceHealth | undefined;
  let report: RunReport;
  try {
    previous = await deps.store.getHealth(source.id);
    report = await runStages(source, deps, previous);
  } catch (error) {
    report = failedReport(source, error);
    await rememberRetryAfter(source, deps, error);
  }
  report.durationMs = Math.round(performance.now() - started);
  const health = await saveHealth(source, deps, previous, report, startedAt);
  if (health && (await noteFailureInFeed(source, deps, health))) report.written.push(...(await republish(source, deps)));
  logReport(deps, report);
  return report;
}

// --- Internal helpers ---

async function runStages(source: SourceConfig, deps: PipelineDeps, previous: SourceHealth | undefined): Promise<RunReport> {
  const waitUntil = await deps.store.getRecord<string>(RECORD.retryAfter, source.id);
  if (waitUntil && Date.parse(waitUntil) > deps.now().getTime()) return deferredReport(source, waitUntil);
  const validators = await deps.store.getValidators(source.id);
  const fetched = await deps.fetcher.fetch({ sourceId: source.id, url: source.url, policy: source.fetch, validators, purpose: 'page' });
  if (fetched.kind === 'not-modified') return finishNotModified(source, deps, fetched, previous);

  let extracted: ExtractResult;
  try {
    extracted = extractItems({ body: fetched.body, contentType: fetched.contentType, url: fetched.finalUrl }, extractOptionsFor(source, deps.now()));
  } catch (error) {
    return noItemsReport(source, fetched, error, previous);
  }
  const warnings = [...fetched.warnings, ...extracted.warnings.map(formatExtractWarning)];
  const enriched = await enrichNewItems(source, deps, extracted.items, warnings);

  // Mark the output as pending before touching the items, so a crash between the two is repaired next run.
  await deps.store.setRecord(RECORD.pendingOutput, source.id, true);
  const recorded = await deps.store.recordItems(source.id, enriched, {
    now: fetched.fetchedAt,
    timezone: source.timezone,
    historySize: source.historySize,
    retainDays: source.retainDays,
  });
  const page: PageMemo = { title: extracted.page.title, language: extracted.page.language, icon: extracted.page.icon };
  await deps.store.setRecord(RECORD.page, source.id, page);
  await clearFailureNotices(source, deps);
  const written = await publishSourceFeed(source, deps, recorded.history, page);
  await deps.store.setRecord(RECORD.pendingOutput, source.id, false);
  await deps.store.setValidators(source.id, fetched.validators);

  const changed = recorded.newItems.length > 0 || recorded.changedItems.length > 0;
  return {
    sourceId: source.id,
    outcome: changed ? 'updated' : 'unchanged',
    found: extracted.items.length,
    newItems: recorded.newItems.length,
    httpStatus: fetched.status,
    durationMs: 0,
    fetchMs: fetched.durationMs,
    waitMs: fetched.waitMs,
    warnings,
    written,
  };
}

/** Nothing changed at the source; only repair output a crashed run may have left unwritten. */
async function finishNotModified(source: SourceConfig, deps: PipelineDeps, fetched: NotModified, previous: SourceHealth | undefined): Promise<RunReport> {
  let written: string[] = [];
  const pending = await deps.store.getRecord<boolean>(RECORD.pendingOutput, source.id);
  const cleared = await clearFailureNotices(source, deps);
  if (pending || cleared) {
    written = await republish(source, deps);
    await deps.store.setRecord(RECORD.pendingOutput, source.id, false);
  }
  const outcome: RunOutcome = fetched.reason === 'same-body' ? 'same-body' : 'not-modified';
  return {
    sourceId: source.id,
    outcome,
    found: 0,
    ...(previous === undefined ? {} : { keptFound: previous.lastFound }),
    newItems: 0,
    httpStatus: fetched.status,
    durationMs: 0,
    fetchMs: fetched.durationMs,
    waitMs: fetched.waitMs,
    warnings: [],
    written,
  };
}

/** A page that yields no items: degraded when it used to yield some (likely a layout change), else failed. */
function noItemsReport(source: SourceConfig, fetched: FetchedPage, error: unknown, previous: SourceHealth | undefined): RunReport {
  const appError = toAppError(error, source.id);
  const usedToHaveItems = (previous?.lastNonEmptyFound ?? 0) > 0;
  const layoutProblem = error instanceof ExtractError && (error.code === 'EXTRACT_NO_CONTAINER' || error.code === 'EXTRACT_NO_ITEMS');
  const degraded = usedToHaveItems && layoutProblem;
  const reported = degraded
    ? new AppError(appError.code, `${appError.message}; the page had ${previous?.lastNonEmptyFound} items before, so its layout has probably changed`, {
        sourceId: source.id,
        hint: appError.hint ?? 'Open the page, then adjust the selectors with `feedwright preview`.',
        cause: error,
      })
    : appError;
  return {
    sourceId: source.id,
    outcome: degraded ? 'degraded' : 'failed',
    found: 0,
    newItems: 0,
    httpStatus: fetched.status,
    durationMs: 0,
    fetchMs: fetched.durationMs,
    waitMs: fetched.waitMs,
    warnings: fetched.warnings,
    error: reported,
    written: [],
  };
}

/** Polite to a site that answered 429/503 with a Retry-After: no request until that time. */
function deferredReport(source: SourceConfig, waitUntil: string): RunReport {
  const warning = `the site asked to wait (Retry-After) until ${waitUntil}; no request sent`;
  return { sourceId: source.id, outcome: 'deferred', found: 0, newItems: 0, durationMs: 0, warnings: [warning], written: [] };
}

async function rememberRetryAfter(source: SourceConfig, deps: PipelineDeps, error: unknown): Promise<void> {
  const waitMs = error instanceof FetchError ? error.retryAfterMs : undefined;
  if (!waitMs || waitMs <= 0) return;
  const capped = Math.min(waitMs, MAX_DEFERRAL_MS);
  const until = new Date(deps.now().getTime() + capped).toISOString();
  try {
    await deps.store.setRecord(RECORD.retryAfter, source.id, until, capped);
  } catch (storeError) {
    deps.logger.warn({ sourceId: source.id, err: toAppError(storeError, source.id).message }, 'could not remember the Retry-After time');
  }
}

function failedReport(source: SourceConfig, error: unknown): RunReport {
  const appError = toAppError(error, source.id);
  return {
    sourceId: source.id,
    outcome: appError.code === 'FETCH_ROBOTS' ? 'disallowed' : 'failed',
    found: 0,
    newItems: 0,
    httpStatus: (error as { status?: number }).status,
    durationMs: 0,
    warnings: [],
    error: appError,
    written: [],
  };
}


async function saveHealth(source: SourceConfig, deps: PipelineDeps, previous: SourceHealth | undefined, report: RunReport, at: Date): Promise<SourceHealth | undefined> {
  const health = nextHealth(previous, report, source, at);
  try {
    await deps.store.setHealth(health);
    return health;
  } catch (error) {
    // Health is bookkeeping: failing to save it must not turn a good run into a failed one.
    deps.logger.warn({ sourceId: source.id, err: toAppError(error, source.id).message }, 'could not save source health');
    report.warnings.push('health record not saved: the store is unavailable');
    return undefined;
  }
}

/** Re-renders a source's feed from its stored history (no fetch). */
/** The failure notice is a courtesy to subscribers: a store that fails meanwhile must not lose the report. */
async function noteFailureInFeed(source: SourceConfig, deps: PipelineDeps, health: SourceHealth): Promise<boolean> {
  try {
    return await addFailureNotice(source, deps, health);
  } catch (error) {
    deps.logger.warn({ sourceId: source.id, err: toAppError(error, source.id).message }, 'could not record the failure notice');
    return false;
  }
}

async function republish(source: SourceConfig, deps: PipelineDeps): Promise<string[]> {
  try {
    const page = (await deps.store.getRecord<PageMemo>(RECORD.page, source.id)) ?? {};
    return await publishSourceFeed(source, deps, await deps.store.listHistory(source.id), page);
  } catch (error) {
    deps.logger.warn({ sourceId: source.id, err: toAppError(error, source.id).message }, 'could not add the failure notice to the feed');
    return [];
  }
}

function logReport(deps: PipelineDeps, report: RunReport): void {
  const fields = {
    sourceId: report.sourceId,
    outcome: report.outcome,
    itemCount: report.found,
    newItems: report.newItems,
    status: report.httpStatus,
    durationMs: report.durationMs,
  };
  for (const warning of report.warnings) deps.logger.warn({ sourceId: report.sourceId }, warning);
  if (report.error) {
    const level = report.error.code === 'INTERNAL' ? 'error' : 'warn';
    deps.logger[level]({ ...fields, code: report.error.code, hint: report.error.hint, ...(level === 'error' ? { err: report.error } : {}) }, report.error.message);
  } else {
    deps.logger.info(fields, `source "${report.sourceId}": ${report.outcome}, ${report.found} found, ${report.newItems} new`);
  }
}
