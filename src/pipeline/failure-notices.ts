/**
 * `reportFailuresInFeed`: while a source is failing, its own feed carries one notice item per day
 * ("source failing since …") with a stable GUID per day, so subscribers learn the feed went quiet
 * for a reason. The notices disappear once the source works again. The notices are part of the
 * source's state (store/SourceState); these functions only decide them.
 */
import { DateTime } from 'luxon';
import type { FailureNotice, SourceConfig, SourceHealth, StoredItem } from '../model.js';

/** The notices with today's added for a failing source, or undefined when they stay as they are. */
export function addFailureNotice(
  source: SourceConfig,
  notices: FailureNotice[],
  health: SourceHealth,
  now: Date,
): FailureNotice[] | undefined {
  if (!source.reportFailuresInFeed || health.status !== 'failing') return undefined;
  const day = DateTime.fromJSDate(now, { zone: source.timezone }).toISODate() ?? now.toISOString().slice(0, 10);
  if (notices.some((notice) => notice.day === day)) return undefined;
  const notice: FailureNotice = {
    day,
    at: now.toISOString(),
    since: health.failingSince ?? now.toISOString(),
    message: health.lastError?.message ?? 'the source could not be read',
  };
  return [notice, ...notices].slice(0, MAX_NOTICES);
}

/** No notices for a source that works again: undefined when there were none to clear. */
export function clearFailureNotices(notices: FailureNotice[]): FailureNotice[] | undefined {
  return notices.length > 0 ? [] : undefined;
}

/** The notices of a source as feed items. */
export function failureNoticeItems(source: SourceConfig, notices: FailureNotice[]): StoredItem[] {
  if (!source.reportFailuresInFeed) return [];
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

// --- Internal helpers ---

/** Notices older than this many days are dropped even if the source still fails. */
const MAX_NOTICES = 14;
