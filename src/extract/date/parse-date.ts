/**
 * Date parsing for list pages and feeds: a table-driven parser that runs every parse in the
 * source's IANA zone against an injected "now". It never throws; text it cannot read yields
 * undefined so the caller can leave the item undated and warn.
 */
import { DateTime } from 'luxon';
import type { ParsedDate } from '../../model.js';
import { buildDate, type DateContext, type DateHit } from './date-building.js';
import { getCachedZone } from '../../time/cached-zone.js';
import { DATE_PATTERNS, MAY_NAME_MONTH, type DatePattern } from './date-patterns.js';
import { RELATIVE_PATTERNS } from './relative-dates.js';
import { arabizeCjkDates } from './chinese-numerals.js';

/** Options for {@link parseDate}. */
export interface ParseDateOptions {
  /** IANA zone the page's dates are written in, e.g. `Asia/Shanghai`. */
  timezone: string;
  /** The moment "now" for relative dates and year inference. */
  now: Date;
  /** Explicit luxon format tokens; when given, only this format is tried. */
  format?: string;
}

/** A date found inside a longer text, with where it was found. */
export interface DateMatch {
  parsed: ParsedDate;
  index: number;
  length: number;
}

/** Parses a date written on a page or in a feed (absolute, relative or a Unix timestamp); undefined if none. */
export function parseDate(text: string, options: ParseDateOptions): ParsedDate | undefined {
  const ctx = createDateContext(options.timezone, options.now);
  return ctx ? parseDateInContext(text, ctx, options.format) : undefined;
}

/** {@link parseDate} with a prepared context, for callers parsing many dates against one "now". */
export function parseDateInContext(text: string, ctx: DateContext, format?: string): ParsedDate | undefined {
  const cleaned = normalizeDateText(text);
  if (cleaned === '' || (!format && !MAY_HOLD_DATE.test(cleaned))) return undefined;
  if (format) return parseWithFormat(cleaned, format, ctx);
  const whole = parseWholeText(cleaned, ctx);
  if (whole) return whole;
  return findCleanedDate(cleaned, ctx)?.parsed;
}

/** Finds the first date written anywhere in a text (earliest position, longest form on ties). */
export function findDateInText(text: string, ctx: DateContext): DateMatch | undefined {
  return findCleanedDate(normalizeDateText(text), ctx);
}

/** Parses a text that is nothing but a date (brackets and a short label allowed); undefined otherwise. */
export function parseDateOnlyText(text: string, ctx: DateContext): ParsedDate | undefined {
  const cleaned = normalizeDateText(text);
  if (!MAY_HOLD_DATE.test(cleaned)) return undefined;
  const whole = parseWholeText(cleaned, ctx);
  if (whole) return whole;
  const found = findCleanedDate(cleaned, ctx);
  if (!found) return undefined;
  const rest = cleaned.slice(0, found.index) + cleaned.slice(found.index + found.length);
  // What is left must be decoration: brackets, punctuation or a short label such as 发布时间：.
  return /\d/.test(rest) || rest.replace(/[\s[\]()（）【】〔〕:：|·,，\-–—]/g, '').length > 8
    ? undefined
    : found.parsed;
}

/** Builds the parse context for a zone and an instant; undefined when the zone is not a valid IANA zone. */
export function createDateContext(timezone: string, now: Date): DateContext | undefined {
  const zone = getCachedZone(timezone);
  if (!zone.isValid) return undefined;
  const dt = DateTime.fromJSDate(now, { zone });
  return dt.isValid
    ? { zone, zoneName: zone.name, now: dt, today: { year: dt.year, month: dt.month, day: dt.day } }
    : undefined;
}

/** Folds full-width characters, whitespace and Chinese-numeral dates so the table sees one spelling of each form. */
function normalizeDateText(text: string): string {
  // NFKC only matters for full-width forms (０-９, ：, ／, U+3000); most texts have none.
  const folded = NEEDS_NFKC.test(text) ? text.normalize('NFKC') : text;
  return arabizeCjkDates(folded.replace(/\s+/g, ' ').trim());
}

// --- Internal helpers ---

const PLAIN_YMD = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const NEEDS_NFKC = /[\u3000\uff01-\uff5e]/;
const MAY_HOLD_DATE =
  /[0-9刚剛今昨前전제늘]|just|moment|ago|today|yesterday|\bvor\b|gestern|heute|il y a|hier|aujourd|hace|ayer|hoy/i;
const RELATIVE_HINT =
  /[刚剛今昨前전제늘]|just|moment|ago|today|yesterday|\bvor\b|gestern|heute|il y a|hier|aujourd|hace|ayer|hoy/i;
const EMBEDDED_ROWS = [...DATE_PATTERNS, ...RELATIVE_PATTERNS].filter((row) => !row.wholeOnly);
const EMBEDDED_ABSOLUTE_ROWS = DATE_PATTERNS.filter((row) => !row.wholeOnly);
const EMBEDDED_RELATIVE_ROWS = RELATIVE_PATTERNS.filter((row) => !row.wholeOnly);
const WHOLE_ROWS = [...DATE_PATTERNS, ...RELATIVE_PATTERNS].filter((row) => row.wholeOnly);

/** The table search over text already normalised by {@link normalizeDateText}. */
function findCleanedDate(cleaned: string, ctx: DateContext): DateMatch | undefined {
  // Absolute forms all contain digits and relative ones a keyword: most texts skip most of the table.
  const digits = /\d/.test(cleaned);
  const relative = RELATIVE_HINT.test(cleaned);
  if (!digits && !relative) return undefined;
  let best: { hit: DateHit; index: number; length: number } | undefined;
  let letters: boolean | undefined;
  for (const row of digits ? (relative ? EMBEDDED_ROWS : EMBEDDED_ABSOLUTE_ROWS) : EMBEDDED_RELATIVE_ROWS) {
    if ((row as DatePattern).needsLetters && !(letters ??= MAY_NAME_MONTH.test(cleaned))) continue;
    const match = row.re.exec(cleaned);
    if (!match) continue;
    if (best && (match.index > best.index || (match.index === best.index && match[0].length <= best.length))) continue;
    const hit = row.build(match.groups ?? {}, ctx);
    if (hit) best = { hit, index: match.index, length: match[0].length };
  }
  return best && { parsed: toParsed(best.hit), index: best.index, length: best.length };
}

function parseWholeText(text: string, ctx: DateContext): ParsedDate | undefined {
  const core = text.replace(/^[[(（【〔\s]+|[\])）】〕\s]+$/g, '');
  // Fast path for the commonest list-page form, `2019-08-27` (or / .) with an optional `14:30[:05]`.
  const plain = PLAIN_YMD.exec(core);
  if (plain) {
    const [, year, , month, day, hour, minute, second] = plain;
    const hit = buildDate({ year, month: month ?? '', day: day ?? '', hour, minute, second }, ctx);
    if (hit) return toParsed(hit);
  }
  if (/^\d+$/.test(core)) return parseDigits(core, ctx);
  if (/^\d{4}-\d{2}-\d{2}T/.test(core)) {
    const iso = DateTime.fromISO(core, { zone: ctx.zone });
    if (iso.isValid) return { date: iso.toJSDate(), precision: 'time' };
  }
  for (const row of WHOLE_ROWS) {
    const match = row.re.exec(core);
    const hit = match ? row.build(match.groups ?? {}, ctx) : undefined;
    if (hit) return toParsed(hit);
  }
  return undefined;
}

/** Unix seconds (10 digits) or milliseconds (13 digits), or a compact yyyyMMdd[HHmm[ss]]. */
function parseDigits(digits: string, ctx: DateContext): ParsedDate | undefined {
  if (digits.length === 10 || digits.length === 13) {
    const ms = digits.length === 10 ? Number(digits) * 1000 : Number(digits);
    // Plausible publication instants only: 1995 to 2100.
    if (ms >= 788_918_400_000 && ms <= 4_102_444_800_000) return { date: new Date(ms), precision: 'time' };
    return undefined;
  }
  const compact = DATE_PATTERNS.find((row) => row.name === 'compact');
  const match = compact?.re.exec(digits);
  const hit = match && compact ? compact.build(match.groups ?? {}, ctx) : undefined;
  return hit && toParsed(hit);
}

function parseWithFormat(text: string, format: string, ctx: DateContext): ParsedDate | undefined {
  const tokens = format.replace(/'[^']*'/g, '');
  const hasYear = /[yY]/.test(tokens);
  const precision: ParsedDate['precision'] = /[HhmsStTX]/.test(tokens) ? 'time' : 'day';
  const options = { zone: ctx.zone, locale: 'en-US' };
  if (hasYear) {
    const dt = DateTime.fromFormat(text, format, options);
    return dt.isValid ? { date: dt.toJSDate(), precision } : undefined;
  }
  // Without a year token luxon would use the real clock's year; infer it from "now" instead.
  for (let year = ctx.now.year; year >= ctx.now.year - 8; year -= 1) {
    const dt = DateTime.fromFormat(`${text} ${year}`, `${format} yyyy`, options);
    if (dt.isValid && dt.startOf('day') <= ctx.now.startOf('day')) return { date: dt.toJSDate(), precision };
  }
  return undefined;
}

function toParsed(hit: DateHit): ParsedDate {
  return { date: new Date(hit.ms), precision: hit.precision };
}
