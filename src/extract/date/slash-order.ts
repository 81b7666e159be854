/**
 * Which number comes first in a page's numeric dates with the year last: `27/08/2019` is day first,
 * `08/27/2019` month first, and `05/08/2019` says nothing by itself. A page writes all its dates one
 * way, so a date whose day is over 12 settles the others; a page whose dates are all ambiguous is read
 * the way its zone's country writes dates, when that is known (the US month first, most of the world
 * day first), and not at all otherwise.
 */

/** Day first (`27/08/2019`) or month first (`08/27/2019`). */
export type SlashOrder = 'day-first' | 'month-first';

/** The order the page's own dates show, else its zone's habit; undefined when neither tells. */
export function readSlashOrder(pageText: string, zoneName: string): SlashOrder | undefined {
  let dayFirst = 0;
  let monthFirst = 0;
  let seen = 0;
  for (const match of pageText.matchAll(NUMERIC_DATE)) {
    const a = Number(match[1]);
    const b = Number(match[3]);
    if (a > 12 && b <= 12) dayFirst += 1;
    else if (b > 12 && a <= 12) monthFirst += 1;
    if (++seen >= MAX_DATES_READ) break;
  }
  if (dayFirst > 0 && monthFirst === 0) return 'day-first';
  if (monthFirst > 0 && dayFirst === 0) return 'month-first';
  if (dayFirst > 0 || monthFirst > 0) return undefined;
  if (MONTH_FIRST_ZONES.test(zoneName)) return 'month-first';
  if (DAY_FIRST_ZONES.test(zoneName)) return 'day-first';
  return undefined;
}

// --- Internal helpers ---

/** `27/08/2019`, `08-27-2019`, `8/27/19`: two numbers and a year, one separator. */
const NUMERIC_DATE = /(?<![\d/\-.])(\d{1,2})([-/])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/-])/g;

/** Dates looked at, at most: a page's dates agree, and a huge page is not scanned to its end. */
const MAX_DATES_READ = 200;

/** Zones of countries that write the month first: the United States (and its Pacific states), the Philippines. */
const MONTH_FIRST_ZONES =
  /^(?:America\/(?:New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Detroit|Boise|Juneau|Menominee|Nome|Sitka|Yakutat|Adak|Metlakatla|Indiana\/\w+|Kentucky\/\w+|North_Dakota\/\w+)|Pacific\/Honolulu|US\/\w+|Asia\/Manila)$/;

/** Zones of countries that write the day first with slashes or dashes (Europe, Africa, Oceania, South Asia, Latin America…). */
const DAY_FIRST_ZONES =
  /^(?:(?:Europe|Africa|Australia|Atlantic)\/|America\/(?:Sao_Paulo|Argentina\/|Buenos_Aires|Mexico_City|Bogota|Lima|Santiago|Caracas|Montevideo|Asuncion|La_Paz|Guayaquil)|Asia\/(?:Kolkata|Calcutta|Karachi|Dhaka|Colombo|Kathmandu|Singapore|Kuala_Lumpur|Hong_Kong|Jakarta|Bangkok|Ho_Chi_Minh|Dubai|Riyadh|Jerusalem|Tel_Aviv)$|Pacific\/Auckland$)/;
