/**
 * Building blocks shared by the date table: local date construction in the source zone, year
 * inference for dates printed without a year, 12-hour clock markers and numeric offsets.
 *
 * Absolute dates are computed without building luxon DateTimes (the hot path of extraction): the wall
 * clock is read as UTC and shifted by the zone's offset, found with luxon's own two-step offset fix.
 */
import { FixedOffsetZone, type DateTime, type Zone } from 'luxon';
import type { ParsedDate } from '../../model.js';
import { resolveZoneAbbreviation } from './zone-abbreviations.js';
import type { SlashOrder } from './slash-order.js';

/** The zone and the injected "now" every parse runs against. */
export interface DateContext {
  /** The source zone (offset-cached, see src/time/cached-zone.ts). */
  zone: Zone;
  /** Its IANA name, e.g. to decide what "CST" means. */
  zoneName: string;
  now: DateTime;
  /** Today's calendar day in the source zone, for year inference. */
  today: { year: number; month: number; day: number };
  /** How the page orders an ambiguous `05/08/2019` (slash-order.ts), asked only when one turns up. */
  slashOrder?: () => SlashOrder | undefined;
}

/** A candidate date found by one table row: an instant in epoch milliseconds. */
export interface DateHit {
  ms: number;
  precision: ParsedDate['precision'];
}

/** Calendar and clock fields as read from the text (strings straight from a regex match). */
export interface DateFields {
  year?: string;
  month: string | number;
  day: string;
  hour?: string;
  minute?: string;
  second?: string;
  meridiem?: string;
  zone?: string;
}

/** Builds a date from matched fields in the source zone (or the matched offset); undefined if invalid. */
export function buildDate(fields: DateFields, ctx: DateContext): DateHit | undefined {
  const month = typeof fields.month === 'number' ? fields.month : Number(fields.month);
  const day = Number(fields.day);
  // An impossible clock reading (25:10) after a good date keeps the day rather than losing the date.
  const time = readClock(fields) ?? undefined;
  const zone = fields.zone ? readZone(fields.zone, ctx.zoneName) : ctx.zone;
  if (zone === undefined) return undefined;
  const precision: DateHit['precision'] = time ? 'time' : 'day';
  if (fields.year === undefined) return inferYear(month, day, time, zone, ctx);
  const year = Number(fields.year);
  if (year < 1900 || year > 2200) return undefined;
  const ms = zonedEpoch(zone, year, month, day, time);
  return ms === undefined ? undefined : { ms, precision };
}

/**
 * Picks the year for a date printed without one: the latest such day that is not after today,
 * so late-December rows read in January land in the previous year.
 */
function inferYear(
  month: number,
  day: number,
  time: Clock | undefined,
  zone: Zone,
  ctx: DateContext,
): DateHit | undefined {
  const { today } = ctx;
  const notAfterToday = month < today.month || (month === today.month && day <= today.day);
  // Eight years back is enough to reach the previous 29 February.
  for (let year = notAfterToday ? today.year : today.year - 1; year >= today.year - 8; year -= 1) {
    const ms = zonedEpoch(zone, year, month, day, time);
    if (ms !== undefined) return { ms, precision: time ? 'time' : 'day' };
  }
  return undefined;
}

/** Epoch milliseconds of a wall-clock time in a zone; undefined for an impossible calendar day. */
function zonedEpoch(zone: Zone, year: number, month: number, day: number, time?: Clock): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const local = Date.UTC(year, month - 1, day, time?.hour ?? 0, time?.minute ?? 0, time?.second ?? 0);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  // luxon's fixOffset: guess with the offset at the wall time read as UTC, then correct once; in a DST
  // gap the two candidates differ and the later offset wins (the time moves forward, as luxon does).
  const o1 = zone.offset(local);
  let guess = local - o1 * 60_000;
  const o2 = zone.offset(guess);
  if (o1 === o2) return guess;
  guess -= (o2 - o1) * 60_000;
  const o3 = zone.offset(guess);
  if (o2 === o3) return guess;
  return local - Math.min(o2, o3) * 60_000;
}

/** Parses a numeric offset (`+0800`, `+08:00`, `GMT+8`, `Z`) or an abbreviation into a luxon zone. */
function readZone(text: string, sourceZone: string): Zone | undefined {
  const cleaned = text.trim().replace(/^(?:GMT|UTC)\s*(?=[+-])/i, '');
  if (/^z$/i.test(cleaned)) return FixedOffsetZone.utcInstance;
  const numeric = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(cleaned);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    if (minutes > 14 * 60) return undefined;
    return FixedOffsetZone.instance(numeric[1] === '-' ? -minutes : minutes);
  }
  const offset = resolveZoneAbbreviation(cleaned, sourceZone);
  return offset === undefined ? undefined : FixedOffsetZone.instance(offset);
}

/** Hour, minute and second of a time of day. */
export interface Clock {
  hour: number;
  minute: number;
  second: number;
}

/** Reads the clock fields; undefined when there is no time, null when the time is impossible. */
export function readClock(
  fields: Pick<DateFields, 'hour' | 'minute' | 'second' | 'meridiem'>,
): Clock | undefined | null {
  if (fields.hour === undefined || fields.minute === undefined) return undefined;
  const hour = applyMeridiem(Number(fields.hour), fields.meridiem);
  const minute = Number(fields.minute);
  const second = Number(fields.second ?? 0);
  if (hour === null || hour > 23 || minute > 59 || second > 60) return null;
  return { hour, minute, second: Math.min(second, 59) };
}

/** Converts a 12-hour clock reading with an English or Chinese marker to 24-hour; null if invalid. */
function applyMeridiem(hour: number, marker: string | undefined): number | null {
  if (!marker) return hour;
  const m = marker.toLowerCase();
  if (hour > 12) return m === 'pm' || AFTERNOON.has(m) ? hour : null;
  if (m === 'pm' || m === 'p.m.' || AFTERNOON.has(m)) return hour === 12 ? 12 : hour + 12;
  if (m === '中午') return hour < 11 ? hour + 12 : hour;
  return hour === 12 ? 0 : hour; // am, 上午, 凌晨, 早上
}

// --- Internal helpers ---

const AFTERNOON = new Set(['下午', '晚上', '傍晚', '晚间', '晚間']);
