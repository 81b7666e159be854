/**
 * The crash-safety order of a run's writes, in one place. A SIGKILL may land between any two steps:
 *
 * 1. **commit** (one batch): the items, the history, the page facts, cleared failure notices and
 *    `pendingOutput: true`;
 * 2. **publish**: the source's feed files, each written atomically (temp file + rename);
 * 3. **confirm** (one batch, the run's last write): `pendingOutput: false`, the fetch validators, the
 *    feed version (servers re-render on it) and the health.
 *
 * Killed before 1: nothing was written, the next run fetches the page again. Killed between 1 and 3:
 * the validators are still the previous page's, so the next run fetches the page unconditionally and
 * publishes again; should the site answer 304 or the same body all the same, `pendingOutput` makes
 * that run re-render the feed from the history. The validators must never be confirmed before the
 * files are written: a kill in between would leave items stored but missing from the feed, and every
 * later run would see "not modified" and never write them.
 */
import type { ExtractedItem, CommitResult, RememberedPage, SourceConfig } from '../model.js';
import type { FetchedPage } from '../model.js';
import type { SourceState, SourceStateChanges } from '../store/index.js';
import type { PipelineDeps } from './deps.js';
import { clearFailureNotices } from './failure-notices.js';
import { publishSourceFeed } from './publish-source-feed.js';

/** What a committed and published run still has to confirm (step 3), with the health, as its last write. */
export interface CommittedRun {
  committed: CommitResult;
  written: string[];
  confirm: SourceStateChanges;
}

/** Steps 1 and 2 for a fetched page: commit the items with the pending flag, then publish the feed. */
export async function commitAndPublish(
  source: SourceConfig,
  deps: PipelineDeps,
  state: SourceState,
  items: ExtractedItem[],
  fetched: Pick<FetchedPage, 'fetchedAt' | 'validators'>,
  page: RememberedPage,
): Promise<CommittedRun> {
  const failureNotices = clearFailureNotices(state.failureNotices);
  const committed = await deps.store.commitRun(
    state,
    items,
    { pendingOutput: true, page, ...(failureNotices ? { failureNotices } : {}) },
    {
      now: fetched.fetchedAt,
      timezone: source.timezone,
      historySize: source.historySize,
      retainDays: source.retainDays,
    },
  );
  const published = await publishSourceFeed(source, deps, {
    history: committed.history,
    page,
    failureNotices: failureNotices ?? state.failureNotices,
    feedVersion: state.feedVersion,
  });
  const confirm: SourceStateChanges = { pendingOutput: false, validators: fetched.validators };
  if (published.feedVersion) confirm.feedVersion = published.feedVersion;
  return { committed, written: published.written, confirm };
}

/**
 * Nothing new at the source (304 or the same body): re-render the feed only when a killed run left it
 * pending, or when failure notices are to go; returns the files written and what to confirm.
 */
export async function repairOutput(
  source: SourceConfig,
  deps: PipelineDeps,
  state: SourceState,
): Promise<{ written: string[]; confirm: SourceStateChanges }> {
  const failureNotices = clearFailureNotices(state.failureNotices);
  if (!state.pendingOutput && !failureNotices) return { written: [], confirm: {} };
  // Only now is the history read: an unchanged page with nothing to repair never reads it.
  const published = await publishSourceFeed(source, deps, {
    ...state,
    history: await deps.store.readHistory(state),
    failureNotices: failureNotices ?? state.failureNotices,
  });
  const confirm: SourceStateChanges = { pendingOutput: false };
  if (failureNotices) confirm.failureNotices = failureNotices;
  if (published.feedVersion) confirm.feedVersion = published.feedVersion;
  return { written: published.written, confirm };
}

/** Step 3: the run's last write. */
export async function confirmRun(
  deps: PipelineDeps,
  sourceId: string,
  confirm: SourceStateChanges,
  fence?: number,
): Promise<void> {
  await deps.store.saveSourceState(sourceId, confirm, fence);
}
