/**
 * The date context for one source's run: its zone and "now", or an EXTRACT_PARSE error naming the
 * source when the zone is not a valid IANA name (config checks zones, library callers may not).
 */
import { ExtractError } from '../extract-error.js';
import type { DateContext } from './date-building.js';
import { createDateContext } from './parse-date.js';
import { readSlashOrder, type SlashOrder } from './slash-order.js';

/**
 * Builds the context or throws ExtractError (EXTRACT_PARSE) for an unknown zone. With the page's
 * text, an ambiguous `05/08/2019` is read in the order the page's other dates show (slash-order.ts).
 */
export function sourceDateContext(sourceId: string, timezone: string, now: Date, pageText?: string): DateContext {
  const dates = createDateContext(timezone, now);
  if (dates) {
    if (pageText !== undefined) {
      let order: { value: SlashOrder | undefined } | undefined;
      dates.slashOrder = () => (order ??= { value: readSlashOrder(pageText, dates.zoneName) }).value;
    }
    return dates;
  }
  throw new ExtractError('EXTRACT_PARSE', sourceId, 'cannot read dates in an unknown time zone', timezone, {
    hint: 'Set `timezone:` to an IANA zone name such as Asia/Shanghai.',
  });
}
