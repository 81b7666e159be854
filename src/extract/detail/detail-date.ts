/**
 * The publication date of an item's own page, from the most to the least explicit source: the
 * configured selector; `<meta>` publication tags (`article:published_time` and its kin: `og:`,
 * `pubdate`, `publishdate`, `PubDate`, Dublin Core, `itemprop=datePublished`); JSON-LD
 * `datePublished`; `<time datetime>` (inside `<article>`/`<main>` first); then a labelled date in the
 * visible text (`发布时间：2019-08-27 10:21`, `发布日期`, `时间：`, `Published:`). A day in the URL path
 * (`/2021/03/04/`, `t20210304_`) is used only when the page gives no date, and as the year of year-less
 * dates on the page (see url-date.ts). The readers live in metadata-date.ts (meta, JSON-LD, scripts)
 * and visible-date.ts (`<time>`, date elements, labels, bylines); this module orders them.
 */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { FieldSelector, ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { parseDateInContext } from '../date/parse-date.js';
import { readDateValue } from '../html/field-selector.js';
import type { WarningCollector } from '../warnings.js';
import { readJsonLdDate, readMetaPublicationDate, readModifiedMeta, readScriptDate } from './metadata-date.js';
import { readUrlDate, withUrlToday } from './url-date.js';
import {
  isSameDay,
  readBylineDate,
  readDateElement,
  readLabelledDate,
  readTimeElement,
  RELATIVE_TEXT,
} from './visible-date.js';

/** Where a detail page's date was read. */
export type DetailDateSource = 'selector' | 'meta' | 'json-ld' | 'time' | 'text' | 'url';

/** A date read from a detail page and where it came from. */
export interface DetailDate {
  parsed: ParsedDate;
  source: DetailDateSource;
  /** The raw value, for reports. */
  text: string;
}

/** Finds the page's publication date, trying each source in the documented order. */
export function findDetailDate(
  $: CheerioAPI,
  selectors: FieldSelector | undefined,
  pageDates: DateContext,
  warnings: WarningCollector,
  url?: string,
): DetailDate | undefined {
  const urlDay = url === undefined ? undefined : readUrlDate(url, pageDates);
  // Year-less dates on the page (`03/04 09:15`) take the URL's year rather than the latest past one.
  const dates = urlDay ? withUrlToday(pageDates, urlDay) : pageDates;
  if (selectors && selectors.length > 0) {
    const configured = readConfiguredDate($, selectors, dates, warnings);
    if (configured) return configured;
  }
  const readers = [
    readMetaPublicationDate,
    readJsonLdDate,
    readTimeElement,
    readDateElement,
    readLabelledDate,
    readBylineDate,
    readScriptDate,
  ];
  let found: DetailDate | undefined;
  let relative: DetailDate | undefined;
  for (const read of readers) {
    const date = read($, dates, warnings);
    if (!date || !isPlausible(date.parsed, dates)) continue;
    // `15 minutes ago` is weaker than a date in a script or an attribute found later.
    if (RELATIVE_TEXT.test(date.text)) {
      relative ??= date;
      continue;
    }
    if (!found) {
      found = date;
      continue;
    }
    // A bare day (`<meta name="publishdate" content="2019-08-27">`) is refined by a later source that
    // gives the time on that same day (the byline `2019年08月27日16:42`).
    if (found.parsed.precision === 'time') return found;
    if (date.parsed.precision === 'time' && isSameDay(found.parsed, date.parsed, dates)) return date;
  }
  if (found) return found;
  if (relative) return relative;
  // The URL's day when the page itself shows no date (never over a date the page gives).
  if (urlDay?.day !== undefined) {
    const text = [urlDay.year, urlDay.month, urlDay.day].map((n) => String(n).padStart(2, '0')).join('-');
    return { parsed: { date: new Date(urlDay.ms), precision: 'day' }, source: 'url', text };
  }
  // Modification evidence only when the page carries no publication evidence at all.
  const modified = readModifiedMeta($, dates);
  return modified && isPlausible(modified.parsed, dates) ? modified : undefined;
}

// --- Internal helpers ---

function isPlausible(parsed: ParsedDate, dates: DateContext): boolean {
  const ms = parsed.date.getTime();
  return ms >= EARLIEST && ms <= dates.now.toMillis() + DAY_MS;
}

const EARLIEST = Date.UTC(1990, 0, 1);
const DAY_MS = 86_400_000;

function readConfiguredDate(
  $: CheerioAPI,
  selectors: FieldSelector,
  dates: DateContext,
  warnings: WarningCollector,
): DetailDate | undefined {
  for (const spec of selectors) {
    const elements = (spec.css === '' ? [] : $(spec.css).toArray()).filter(
      (node): node is Element => 'attribs' in node,
    );
    for (const element of elements) {
      const text = readDateValue($, element, spec);
      if (text === '') continue;
      const parsed = parseDateInContext(text, dates);
      if (parsed) return { parsed, source: 'selector', text };
      warnings.add(
        'detail-date-unparsed',
        `the detail date selector \`${spec.raw}\` matched text that is not a date`,
        text,
      );
      break;
    }
  }
  return undefined;
}
