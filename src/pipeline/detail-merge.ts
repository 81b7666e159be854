/**
 * How a detail page's findings combine with what the list page gave. Detail values fill gaps; the one
 * exception is the date: a detail date with a time replaces a list date that had only the day, when both
 * name the same calendar day in the source's zone (a different day means one of the two pages is about
 * something else, such as an update, so the list page's date is kept and a warning says so).
 */
import type { ExtractedItem, ParsedDate } from '../model.js';

/** What a detail page contributed to one item. */
export interface DetailFindings {
  published?: ParsedDate;
  summary?: string;
}

/** The item with the detail findings applied, and a note when the two pages disagreed on the date. */
export function mergeDetailFindings(
  item: ExtractedItem,
  found: DetailFindings,
  timezone: string,
): { item: ExtractedItem; conflict?: string } {
  const merged: ExtractedItem = { ...item };
  let conflict: string | undefined;
  if (found.published) {
    const listed = item.published;
    if (!listed) merged.published = found.published;
    else if (listed.precision === 'day' && found.published.precision === 'time') {
      if (formatDay(listed.date, timezone) === formatDay(found.published.date, timezone))
        merged.published = found.published;
      else
        conflict = `the detail page dates "${item.title}" ${found.published.date.toISOString()}, the list page ${formatDay(listed.date, timezone)}; the list page's date is kept`;
    }
  }
  if (found.summary && !item.summary) {
    merged.summary = found.summary;
    delete merged.summaryIsHtml;
  }
  return conflict ? { item: merged, conflict } : { item: merged };
}

/** Whether an item still lacks something the detail page is asked for (so fetching it can help). */
export function needsDetail(item: ExtractedItem, fields: ReadonlyArray<'date' | 'summary'>): boolean {
  const wantsDate = fields.includes('date') && item.published?.precision !== 'time';
  const wantsSummary = fields.includes('summary') && !item.summary;
  return wantsDate || wantsSummary;
}

// --- Internal helpers ---

/** `2019-08-27`: the calendar day of an instant in a zone. */
function formatDay(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}
