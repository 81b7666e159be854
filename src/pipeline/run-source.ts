/**
 * runSource(): the only place that chains the stages for one source, and turns any failure into its
 * RunReport: load the source's state → fetch → extract → enrich → commit → publish → confirm, three
 * store round trips in all. The order of writes (crash safety) lives in commit-run.ts.
 */
import { AppError, toAppError } from '../errors.js';
import { ExtractError } from '../extract/index.js';
import { formatWarning } from './format-warning.js';
import { obtainPage } from './obtain-page.js';
import { FetchError } from '../fetch/index.js';
import type {
  FailureNotice,
  FetchedPage,
  NotModified,
  RememberedPage,
  RunOutcome,
  RunReport,
  SourceConfig,
  SourceHealth,
  Warning,
} from '../model.js';
import type { SourceState, SourceStateChanges } from '../store/index.js';
import { commitAndPublish, confirmRun, repairOutput } from './commit-run.js';
import type { PipelineDeps } from './deps.js';
import { enrichNewItems } from './enrich-new-items.js';
import { checkListSwitch } from './list-switch.js';
import { addFailureNotice } from './failure-notices.js';
import { publishSourceFeed } from './publish-source-feed.js';
import { nextHealth } from './source-health.js';

/** The longest a Retry-After answer may hold a source back. */
const MAX_DEFERRAL_MS = 86_400_000;

/** Runs one source end to end; never throws for a source failure. */
export async function runSource(source: SourceConfig, deps: PipelineDeps): Promise<RunReport> {
  const startedAt = deps.now();
  const started = performance.now();
  let state: SourceState | undefined;
  let result: StagesResult;
  try {
    // The run's ownership token comes with the state (`fence`): a run that has lost the source to a
    // newer one (its worker stalled past its job's lock) has every write refused (STORE_FENCED).
    state = await deps.store.claimAndLoad(source.id);
    result = await runStages(source, deps, state);
  } catch (error) {
    result = { report: failedReport(source, error), confirm: retryAfterChange(deps, error) };
  }
  const { report } = result;
  report.durationMs = Math.round(performance.now() - started);
  const health = nextHealth(state?.health, report, source, startedAt);
  const changes: SourceStateChanges = { ...result.confirm, health };
  const failureNotices = state && addFailureNotice(source, state.failureNotices, health, deps.now());
  if (state && failureNotices) {
    changes.failureNotices = failureNotices;
    const republished = await republish(source, deps, state, failureNotices);
    report.written.push(...republished.written);
    if (republished.feedVersion) changes.feedVersion = republished.feedVersion;
  }
  await saveChanges(source, deps, changes, report, state?.fence);
  logReport(deps, report);
  return report;
}

// --- Internal helpers ---

/** A run's report and the state changes it confirms with its last write. */
interface StagesResult {
  report: RunReport;
  confirm: SourceStateChanges;
}

async function runStages(source: SourceConfig, deps: PipelineDeps, state: SourceState): Promise<StagesResult> {
  if (state.retryAfter && Date.parse(state.retryAfter) > deps.now().getTime())
    return { report: deferredReport(source, state.retryAfter), confirm: {} };
  const obtained = await obtainPage(source, deps, state);
  if (obtained.kind === 'not-modified') {
    const finished = await finishNotModified(source, deps, state, obtained.result);
    finished.report.servedBy = obtained.servedBy;
    return finished;
  }
  for (const note of obtained.notes)
    deps.logger.info({ sourceId: source.id, servedBy: obtained.servedBy }, `source "${source.id}": ${note}`);
  const fetched = obtained.page;
  if (obtained.kind === 'no-items') {
    const report = noItemsReport(source, fetched, obtained.error, state.health);
    report.servedBy = obtained.servedBy;
    return { report, confirm: {} };
  }
  const { extracted } = obtained;
  const switched = await checkListSwitch(source.id, state, extracted, deps);
  if (switched) {
    const report = heldListReport(source, fetched, switched, extracted.items.length);
    report.servedBy = obtained.servedBy;
    return { report, confirm: {} };
  }
  const warnings: Warning[] = [...fetched.warnings, ...extracted.warnings];
  const enriched = await enrichNewItems(source, deps, state, extracted.items, warnings);
  const page: RememberedPage = {
    title: extracted.page.title,
    language: extracted.page.language,
    icon: extracted.page.icon,
    ...(extracted.mode === 'auto' && extracted.selectors ? { list: extracted.selectors.items } : {}),
  };
  const { committed, written, confirm } = await commitAndPublish(source, deps, state, enriched, fetched, page);

  const changed = committed.newItems.length > 0 || committed.changedItems.length > 0;
  const report: RunReport = {
    sourceId: source.id,
    outcome: changed ? 'updated' : 'unchanged',
    found: extracted.items.length,
    newItems: committed.newItems.length,
    httpStatus: fetched.status,
    durationMs: 0,
    fetchMs: fetched.durationMs,
    waitMs: fetched.waitMs,
    warnings,
    written,
    servedBy: obtained.servedBy,
  };
  if (extracted.mode === 'auto' && extracted.selectors) report.chosenSelectors = extracted.selectors;
  const uncertain = extracted.warnings.find((warning) => warning.code === 'list-uncertain');
  if (uncertain) report.listUncertain = uncertain.message;
  return { report, confirm };
}

/** Nothing changed at the source; only repair output a crashed run may have left unwritten. */
async function finishNotModified(
  source: SourceConfig,
  deps: PipelineDeps,
  state: SourceState,
  fetched: NotModified,
): Promise<StagesResult> {
  const { written, confirm } = await repairOutput(source, deps, state);
  const outcome: RunOutcome = fetched.reason === 'same-body' ? 'same-body' : 'not-modified';
  // The same body came in other compressed bytes (or the first time with a wire digest): remember
  // them, so the next identical answer is recognised before it is decompressed. They describe the
  // body the confirmed validators already describe.
  const wireHash = fetched.validators.wireHash;
  if (outcome === 'same-body' && wireHash && wireHash !== state.validators?.wireHash)
    confirm.validators = fetched.validators;
  const report: RunReport = {
    sourceId: source.id,
    outcome,
    found: 0,
    ...(state.health === undefined ? {} : { keptFound: state.health.lastFound }),
    newItems: 0,
    httpStatus: fetched.status,
    durationMs: 0,
    fetchMs: fetched.durationMs,
    waitMs: fetched.waitMs,
    warnings: [],
    written,
  };
  return { report, confirm };
}

/** A page that yields no items: degraded when it used to yield some (likely a layout change), else failed. */
function noItemsReport(
  source: SourceConfig,
  fetched: FetchedPage,
  error: unknown,
  previous: SourceHealth | undefined,
): RunReport {
  const appError = toAppError(error, source.id);
  const usedToHaveItems = (previous?.lastNonEmptyFound ?? 0) > 0;
  const layoutProblem =
    error instanceof ExtractError && (error.code === 'EXTRACT_NO_CONTAINER' || error.code === 'EXTRACT_NO_ITEMS');
  const degraded = usedToHaveItems && layoutProblem;
  const reported = degraded
    ? new AppError(
        appError.code,
        `${appError.message}; the page had ${previous?.lastNonEmptyFound} items before, so its layout has probably changed`,
        {
          sourceId: source.id,
          hint: appError.hint ?? 'Open the page, then adjust the selectors with `feedwright preview`.',
          cause: error,
        },
      )
    : appError;
  return unpublishedReport(source, fetched, degraded ? 'degraded' : 'failed', reported, 0);
}

/** A list held back by the list-switch guard: degraded, nothing committed, the page fetched again next run. */
function heldListReport(source: SourceConfig, fetched: FetchedPage, error: ExtractError, found: number): RunReport {
  return unpublishedReport(source, fetched, 'degraded', error, found);
}

/** A fetched page whose items were not committed, for `error`. */
function unpublishedReport(
  source: SourceConfig,
  fetched: FetchedPage,
  outcome: 'degraded' | 'failed',
  error: AppError,
  found: number,
): RunReport {
  return {
    sourceId: source.id,
    outcome,
    found,
    newItems: 0,
    httpStatus: fetched.status,
    durationMs: 0,
    fetchMs: fetched.durationMs,
    waitMs: fetched.waitMs,
    warnings: fetched.warnings,
    error,
    written: [],
  };
}

/** Polite to a site that answered 429/503 with a Retry-After: no request until that time. */
function deferredReport(source: SourceConfig, waitUntil: string): RunReport {
  const warning: Warning = {
    code: 'retry-after-deferred',
    message: `the site asked to wait (Retry-After) until ${waitUntil}; no request sent`,
  };
  return {
    sourceId: source.id,
    outcome: 'deferred',
    found: 0,
    newItems: 0,
    durationMs: 0,
    warnings: [warning],
    written: [],
  };
}

/** Polite to a site that answered 429/503 with a Retry-After: remember not to ask before that time. */
function retryAfterChange(deps: PipelineDeps, error: unknown): SourceStateChanges {
  const waitMs = error instanceof FetchError ? error.retryAfterMs : undefined;
  if (!waitMs || waitMs <= 0) return {};
  const ttlMs = Math.min(waitMs, MAX_DEFERRAL_MS);
  return { retryAfter: { until: new Date(deps.now().getTime() + ttlMs).toISOString(), ttlMs } };
}

function failedReport(source: SourceConfig, error: unknown): RunReport {
  const appError = toAppError(error, source.id);
  return {
    sourceId: source.id,
    outcome: appError.code === 'FETCH_ROBOTS' ? 'disallowed' : 'failed',
    found: 0,
    newItems: 0,
    httpStatus: error instanceof FetchError ? error.status : undefined,
    durationMs: 0,
    warnings: [],
    error: appError,
    written: [],
  };
}

/** The run's last write: health, and what the run confirms (crash-safety order: commit-run.ts). */
async function saveChanges(
  source: SourceConfig,
  deps: PipelineDeps,
  changes: SourceStateChanges,
  report: RunReport,
  fence: number | undefined,
): Promise<void> {
  try {
    await confirmRun(deps, source.id, changes, fence);
  } catch (error) {
    if (error instanceof AppError && error.code === 'STORE_FENCED') {
      deps.logger.warn({ sourceId: source.id, code: error.code }, `source "${source.id}": ${error.message}`);
      report.warnings.push({ code: 'results-discarded', message: 'results discarded: a newer run owns the source' });
      return;
    }
    // Health is bookkeeping: failing to save it must not turn a good run into a failed one. The
    // validators are not confirmed either, so the next run fetches and publishes again.
    deps.logger.warn(
      { sourceId: source.id, err: toAppError(error, source.id).message },
      'could not save the source state',
    );
    report.warnings.push({ code: 'health-not-saved', message: 'health not saved: the store is unavailable' });
  }
}

/** Re-renders a source's feed from its history with the failure notices (no fetch). */
async function republish(
  source: SourceConfig,
  deps: PipelineDeps,
  state: SourceState,
  failureNotices: FailureNotice[],
): Promise<Awaited<ReturnType<typeof publishSourceFeed>>> {
  try {
    return await publishSourceFeed(source, deps, {
      ...state,
      history: await deps.store.readHistory(state),
      failureNotices,
    });
  } catch (error) {
    deps.logger.warn(
      { sourceId: source.id, err: toAppError(error, source.id).message },
      'could not add the failure notice to the feed',
    );
    return { written: [] };
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
    ...(report.servedBy ? { servedBy: report.servedBy } : {}),
  };
  for (const warning of report.warnings)
    deps.logger.warn({ sourceId: report.sourceId, code: warning.code }, formatWarning(warning));
  if (report.error) {
    const level = report.error.code === 'INTERNAL' ? 'error' : 'warn';
    deps.logger[level](
      {
        ...fields,
        code: report.error.code,
        hint: report.error.hint,
        ...(level === 'error' ? { err: report.error } : {}),
      },
      report.error.message,
    );
  } else {
    deps.logger.info(
      fields,
      `source "${report.sourceId}": ${report.outcome}, ${report.found} found, ${report.newItems} new${report.servedBy && report.servedBy !== 'fetch' ? ` (served by ${report.servedBy})` : ''}`,
    );
  }
}
