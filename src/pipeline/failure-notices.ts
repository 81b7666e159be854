/**
 * `reportFailuresInFeed`: while a source is failing, its own feed carries one notice item per day
 * ("source failing since …") with a stable GUID per day, so subscribers learn the feed went quiet
 * for a reason. The notices disappear once the source works again.
 */
import { DateTime } from 'luxon';
import type { SourceConfig, SourceHealth, StoredItem } from '../model.js';
import type { PipelineDeps } from './deps.js';

const NAMESPACE = 'failure-notices';
/** Notices older than this many days are dropped even if the source still fails. */
const MAX_NOTICES = 14;

/** One day's notice. */
interface FailureNotice {
  day: string;
  at: string;
  since: string;
  message: string;
}

/** Adds today's notice for a failing source; returns true when the notices changed. */
export async function addFailureNotice(source: SourceConfig, deps: PipelineDeps, health: SourceHealth): Promise<boolean> {
  if (!source.reportFailuresInFeed || health.status !== 'failing') return false;
  const now = deps.now();
  const day = DateTime.fromJSDate(now, { zone: source.timezone }).toISODate() ?? now.toISOString().slice(0, 10);
  const notices = (await deps.store.getRecord<FailureNotice[]>(NAMESPACE, source.id)) ?? [];
  if (notices.some((notice) => notice.day === day)) return false;
  const notice: FailureNotice = {
    day,
    at: now.toISOString(),
    since: health.failingSince ?? now.toISOString(),
    message: health.lastError?.message ?? 'the source could not be read',
  };
  await deps.store.setRecord(NAMESPACE, source.id, [notice, ...notices].slice(0, MAX_NOTICES));
  return true;
}

/** Drops the notices of a source that works again; returns true when there were any. */
export async function clearFailureNotices(source: SourceConfig, deps: PipelineDeps): Promise<boolean> {
  if (!source.reportFailuresInFeed) return false;
  const notices = await deps.store.getRecord<FailureNotice[]>(NAMESPACE, source.id);
  if (!notices?.length) return false;
  await deps.store.setRecord(NAMESPACE, source.id, []);
  return true;
}

/** The notices of a source as feed items. */
export async function listFailureNoticeItems(source: SourceConfig, deps: Pick<PipelineDeps, 'store'>): Promise<StoredItem[]> {
  if (!source.reportFailuresInFeed) return [];
  const notices = (await deps.store.getRecord<FailureNotice[]>(NAMESPACE, source.id)) ?? [];
  return notices.map((notice) => {
    const since = DateTime.fromISO(notice.since, { zone: source.timezone }).toFormat('yyyy-MM-dd HH:mm ZZ');
    const at = new Date(notice.at);
    return {
      id: `feedwright-failure:${source.id}:${notice.day}`,
      sourceId: source.id,
      title: `⚠ 源读取失败 / Source failing since ${since}: ${source.name}`,
      summary: `feedwright cannot read ${source.url} (failing since ${since}). Last error: ${notice.message}`,
      publishedAt: at,
      updatedAt: at,
      firstSeenAt: at,
    };
  });
}
