/**
 * Scoring one list page: expected rows matched one-to-one, in page order, to extracted items with the
 * same link and the same title (the visible title, or the link's full `title` attribute the product
 * restores for truncated titles). Dates are compared as calendar days in the page's zone, over
 * matched rows whose gold date is not null.
 */
import { DateTime } from 'luxon';
import { canonicalizeUrl } from '../src/extract/index.js';
import type { ExtractedItem } from '../src/model.js';
import type { GoldRow } from './corpus.js';

/** Counts of one page in one mode. */
export interface ListScore {
  expected: number;
  found: number;
  matched: number;
  /** Found items whose link matches an expected row but whose title does not. */
  titleMisses: number;
  /** Matched rows with a gold date. */
  dated: number;
  datedCorrect: number;
  /** Matched rows without any printed date (`date_raw` null) that still got a date: an invented date. */
  invented: number;
  /** First few mismatches, for the report. */
  examples: string[];
}

/** Scores the items extracted from one page against its gold rows. */
export function scoreList(goldRows: GoldRow[], items: ExtractedItem[], page: PageUrls, zone: string): ListScore {
  const rows = distinctRows(goldRows, page.url);
  const score: ListScore = {
    expected: rows.length,
    found: items.length,
    matched: 0,
    titleMisses: 0,
    dated: 0,
    datedCorrect: 0,
    invented: 0,
    examples: [],
  };
  const baseUrl = page.url;
  const unused = items.map((item) => ({
    item,
    link: normalizeLink(rebase(item.link, page), baseUrl),
    title: normalizeTitle(item.title),
  }));
  const taken = new Set<number>();
  for (const row of rows) {
    const links = [row.link, row.link_original]
      .map((link) => normalizeLink(link ?? undefined, baseUrl))
      .filter(Boolean);
    const titles = [row.title, row.title_attr].filter((t): t is string => typeof t === 'string').map(normalizeTitle);
    const sameLink = (i: number): boolean => links.length === 0 || links.includes(unused[i]?.link ?? '');
    const index = unused.findIndex((entry, i) => !taken.has(i) && sameLink(i) && titles.includes(entry.title));
    if (index < 0) {
      const linkOnly = unused.findIndex((_entry, i) => !taken.has(i) && links.length > 0 && sameLink(i));
      if (linkOnly >= 0) {
        score.titleMisses += 1;
        note(score, `title "${short(unused[linkOnly]?.item.title)}" for "${short(row.title)}"`);
      } else note(score, `missed "${short(row.title)}"`);
      continue;
    }
    taken.add(index);
    score.matched += 1;
    const item = unused[index]?.item;
    if (row.date !== null) {
      score.dated += 1;
      const day = item?.published ? DateTime.fromJSDate(item.published.date, { zone }).toISODate() : undefined;
      if (day === row.date) score.datedCorrect += 1;
      else note(score, `date ${day ?? 'none'} for ${row.date} "${short(row.title)}"`);
    } else if (row.date_raw === null && item?.published) {
      score.invented += 1;
      note(
        score,
        `invented date ${DateTime.fromJSDate(item.published.date, { zone }).toISODate()} for "${short(row.title)}"`,
      );
    }
  }
  const extra = unused.filter((_entry, i) => !taken.has(i)).slice(0, 2);
  for (const entry of extra) note(score, `extra "${short(entry.item.title)}"`);
  return score;
}

/** The page's URL and the document's own `<base href>` (absolute), if any. */
export interface PageUrls {
  url: string;
  documentBase?: string;
}

/**
 * Gold rows as the product can give them: rows repeating an earlier row's link (compared as the
 * store compares them, without fragment or tracking parameters; by title when there is no link) are
 * one item by design (`duplicates-collapsed`), so only the first is expected.
 */
export function distinctRows(rows: GoldRow[], baseUrl: string): GoldRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const link = row.link ? normalizeLink(row.link, baseUrl) : '';
    const key = link === '' ? `title:${normalizeTitle(row.title)}` : canonicalizeUrl(link);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Adds the counts of `b` to `a`. */
export function addScores(a: ListScore, b: ListScore): ListScore {
  return {
    expected: a.expected + b.expected,
    found: a.found + b.found,
    matched: a.matched + b.matched,
    titleMisses: a.titleMisses + b.titleMisses,
    dated: a.dated + b.dated,
    datedCorrect: a.datedCorrect + b.datedCorrect,
    invented: a.invented + b.invented,
    examples: [],
  };
}

/** An empty score (the start of a sum). */
export function emptyScore(): ListScore {
  return { expected: 0, found: 0, matched: 0, titleMisses: 0, dated: 0, datedCorrect: 0, invented: 0, examples: [] };
}

/** matched / found; 1 when nothing was found and nothing expected. */
export function precision(s: ListScore): number {
  return s.found === 0 ? (s.expected === 0 ? 1 : 0) : s.matched / s.found;
}

/** matched / expected. */
export function recall(s: ListScore): number {
  return s.expected === 0 ? 1 : s.matched / s.expected;
}

/** Right days / matched dated rows; undefined when no matched row has a gold date. */
export function dateAccuracy(s: ListScore): number | undefined {
  return s.dated === 0 ? undefined : s.datedCorrect / s.dated;
}

// --- Internal helpers ---

const MAX_EXAMPLES = 4;

function note(score: ListScore, text: string): void {
  if (score.examples.length < MAX_EXAMPLES) score.examples.push(text);
}

/**
 * Gold resolves hrefs against the page URL and ignores `<base href>`; browsers and the product resolve
 * against `<base>`. A found link under the document base is read back as relative to the page URL.
 */
function rebase(link: string | undefined, page: PageUrls): string | undefined {
  if (!link || !page.documentBase || !link.startsWith(page.documentBase)) return link;
  const relative = link.slice(page.documentBase.length);
  return URL.canParse(relative, page.url) ? new URL(relative, page.url).href : link;
}

function normalizeTitle(title: string): string {
  return title.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function normalizeLink(link: string | undefined, base: string): string {
  if (!link) return '';
  try {
    const url = new URL(link.trim(), base);
    url.hash = '';
    return url.href;
  } catch {
    // A gold href the URL parser rejects is compared as written.
    return link.trim();
  }
}

function short(text: string | undefined): string {
  const value = text ?? '';
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}
