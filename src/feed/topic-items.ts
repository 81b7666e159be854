/**
 * Topic feeds: merge several sources' histories, keep items matching `include` and not `exclude`,
 * and show an item published by several sources once.
 */
import type { StoredItem, TopicFeedConfig } from '../model.js';
import { describeError, formatErrorMessage, INTERNAL_HINT } from '../errors.js';
import { compileLinearRegex, splitSlashPattern, type LinearRegex } from '../linear-regex/index.js';
import { OutputError } from './output-error.js';

/** Two items with the same normalised title are the same story when published this close together. */
const DUPLICATE_TITLE_WINDOW_MS = 3 * 86_400_000;

/** Merges and filters sources' histories for one topic feed. */
export function selectTopicItems(topic: TopicFeedConfig, histories: ReadonlyMap<string, StoredItem[]>): StoredItem[] {
  const include = topic.include.map((pattern) => compilePattern(topic.id, pattern));
  const exclude = topic.exclude.map((pattern) => compilePattern(topic.id, pattern));
  const fields = topic.match.length > 0 ? topic.match : (['title'] as const);
  const sourceIds = topic.sources === 'all' ? [...histories.keys()] : topic.sources;
  const candidates: StoredItem[] = [];
  for (const sourceId of new Set(sourceIds)) {
    for (const item of histories.get(sourceId) ?? []) {
      const text = fields.map((field) => matchText(item, field)).join('\n');
      if (include.length > 0 && !include.some((test) => test(text))) continue;
      if (exclude.some((test) => test(text))) continue;
      candidates.push(item);
    }
  }
  const order = new Map(candidates.map((item, i) => [item, i]));
  return removeDuplicates(candidates)
    .sort(
      (a, b) =>
        b.publishedAt.getTime() - a.publishedAt.getTime() ||
        b.firstSeenAt.getTime() - a.firstSeenAt.getTime() ||
        (order.get(a) ?? 0) - (order.get(b) ?? 0),
    )
    .slice(0, Math.max(0, topic.maxItems));
}

// --- Internal helpers ---

/**
 * Folds text for word matching: NFKC, case-folded, whitespace folded. `toLowerCase()` is the
 * root-locale mapping (the same as `toLocaleLowerCase('und')` for every code point) at a fifth of
 * the cost, which matters: a topic over all sources folds every stored title on each publish.
 */
function foldForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ');
}

type Matcher = (text: string) => boolean;

/**
 * `/regex/flags` is a regular expression, run in the linear-time engine so no title can freeze a
 * publish; anything else is a word matched case-insensitively anywhere.
 */
function compilePattern(topicId: string, pattern: string): Matcher {
  const regex = splitSlashPattern(pattern);
  if (regex === undefined) {
    const word = foldForMatch(pattern).trim();
    return (text) => word !== '' && foldForMatch(text).includes(word);
  }
  let compiled: LinearRegex;
  try {
    // `g` and `y` mean nothing for a yes/no test.
    compiled = compileLinearRegex(regex.source, regex.flags.replace(/[gy]/g, ''));
  } catch (error) {
    // Config compiled every topic pattern with the same engine; one failing here is a bug.
    throw new OutputError(
      'INTERNAL',
      formatErrorMessage('feed', `invalid pattern ${pattern}`, { topicId, detail: describeError(error) }),
      { sourceId: topicId, hint: INTERNAL_HINT, cause: error },
    );
  }
  return (text) => compiled.test(text) || compiled.test(text.normalize('NFKC'));
}

function matchText(item: StoredItem, field: 'title' | 'summary'): string {
  if (field === 'title') return item.title;
  if (item.summary === undefined) return '';
  return item.summaryIsHtml ? item.summary.replace(/<[^>]*>/g, ' ') : item.summary;
}

/**
 * Keeps the earliest copy of a story (same id, i.e. same canonical link, or same title ignoring
 * case and whitespace within three days): a later repost by another source must not re-announce it under a new GUID.
 */
function removeDuplicates(items: StoredItem[]): StoredItem[] {
  const oldestFirst = [...items].sort(
    (a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.firstSeenAt.getTime() - b.firstSeenAt.getTime(),
  );
  const seenIds = new Set<string>();
  const keptByTitle = new Map<string, number[]>();
  const kept: StoredItem[] = [];
  for (const item of oldestFirst) {
    if (seenIds.has(item.id)) continue;
    // A dropped copy's id still counts: another source's item with the same link is the same story.
    seenIds.add(item.id);
    const title = titleKey(item.title);
    const times = keptByTitle.get(title) ?? [];
    const at = item.publishedAt.getTime();
    if (title !== '' && times.some((t) => Math.abs(t - at) <= DUPLICATE_TITLE_WINDOW_MS)) continue;
    keptByTitle.set(title, [...times, at]);
    kept.push(item);
  }
  return kept;
}

/** Titles compared across sources ignore all whitespace: CJK sites differ in spacing around 《》 and numbers. */
function titleKey(title: string): string {
  return foldForMatch(title).replace(/\s+/gu, '');
}
