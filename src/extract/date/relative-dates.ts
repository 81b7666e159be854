/**
 * Relative dates in Simplified, Traditional and English (`刚刚`, `5分钟前`, `3小時前`, `昨天 14:30`,
 * `2 hours ago`, `yesterday`), Japanese (`3時間前`, `2週間前`, `1か月前`), Korean (`3시간 전`, `어제`),
 * German, French and Spanish (`vor 2 Stunden`, `il y a 3 jours`, `hace 2 horas`, `gestern, 18:00 Uhr`)
 * and bare clock times (`14:30`, meaning today), all against the injected "now" in the source zone.
 * A day word of those languages (`heute`, `hier`, `ayer`, `어제`) is only read with a clock time after
 * it or as the whole text: in running text it is a word of prose (`hier` is German for "here").
 */
import type { DateTime } from 'luxon';
import { readClock, type DateContext, type DateHit } from './date-building.js';
import { readCjkNumber } from './chinese-numerals.js';

/** One row of the relative-date table. */
export interface RelativePattern {
  name: string;
  re: RegExp;
  wholeOnly: boolean;
  build(groups: Record<string, string | undefined>, ctx: DateContext): DateHit | undefined;
}

/** The relative-date table. */
export const RELATIVE_PATTERNS: readonly RelativePattern[] = [
  {
    name: 'just-now',
    re: /(?:刚刚|剛剛|刚才|剛才|\bjust now\b|\b(?:a )?moments? ago\b)/i,
    wholeOnly: false,
    build: (_g, ctx) => ({ ms: ctx.now.startOf('minute').toMillis(), precision: 'time' }),
  },
  {
    // 5分钟前, 3小時前, 半小时前, 三天前, 2个月前, 10秒前
    name: 'ago-cjk',
    re: /(?<n>\d{1,4}|[一二两兩三四五六七八九十半]{1,3})\s*(?<unit>秒钟?|秒鐘?|分钟|分鐘|分|个?小时|個?小時|時間|钟头|鐘頭|天|日|周|週間?|星期|个月|個月|[かヶカヵケ]月|年)\s*(?:之)?前/,
    wholeOnly: false,
    build: (g, ctx) => buildAgo(readCjkNumber(g.n ?? ''), CJK_UNITS[normalizeCjkUnit(g.unit ?? '')], ctx),
  },
  {
    // 2 hours ago, an hour ago, 3 mins ago
    name: 'ago-en',
    re: /\b(?<n>\d{1,4}|an?|one)\s+(?<unit>sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?|months?|years?)\s+ago\b/i,
    wholeOnly: false,
    build: (g, ctx) => buildAgo(readEnglishNumber(g.n ?? ''), englishUnit(g.unit ?? ''), ctx),
  },
  {
    // Korean: 3시간 전, 10분 전, 1일 전, 2주 전, 3개월 전, 1년 전
    name: 'ago-ko',
    re: /(?<n>\d{1,4})\s*(?<unit>초|분|시간|일|주|개월|달|년)\s*전/,
    wholeOnly: false,
    build: (g, ctx) => buildAgo(Number(g.n), KOREAN_UNITS[g.unit ?? ''], ctx),
  },
  {
    // German, French, Spanish: vor 2 Stunden, vor einem Tag, il y a 3 heures, il y a un jour, hace 2 días
    name: 'ago-intl',
    re: /(?:\bvor|\bil y a|\bhace)\s+(?<n>\d{1,4}|einer?|einem|une?|una?)\s+(?<unit>sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?|secondes?|minutes?|heures?|jours?|semaines?|mois|ans|années?|an|segundos?|minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?|años?)\b/i,
    wholeOnly: false,
    build: (g, ctx) => buildAgo(readIntlNumber(g.n ?? ''), intlUnit(g.unit ?? ''), ctx),
  },
  {
    // gestern, 18:00 Uhr; heute 09:30; hier à 14h30; ayer a las 10:00; 어제 14:30 (a clock time after the word)
    name: 'day-word-intl-time',
    re: /(?<word>\b(?:vorgestern|gestern|heute|avant-hier|hier|aujourd'hui|anteayer|ayer|hoy)\b|그저께|그제|어제|오늘),?\s*(?:um|à|a las|a la)?\s*(?<h>\d{1,2})\s*[:h]\s*(?<mi>[0-5]\d)(?!\d)/i,
    wholeOnly: false,
    build: (g, ctx) => buildDayWord(g, ctx),
  },
  {
    // The same words as the whole text (a date cell): gestern, hier, ayer, 어제
    name: 'day-word-intl',
    re: /^(?<word>vorgestern|gestern|heute|avant-hier|hier|aujourd'hui|anteayer|ayer|hoy|그저께|그제|어제|오늘)$/i,
    wholeOnly: true,
    build: (g, ctx) => buildDayWord(g, ctx),
  },
  {
    // 今天, 昨天 14:30, 前天, 今天下午, yesterday, today 09:00. A day word glued to the next word is part of
    // that word or of prose, not a date: 今日头条 (a news app), 今天迎来十周岁, 昨天的故事.
    name: 'day-word',
    re: /(?<word>今天|今日|昨天|昨日|前天|\btoday\b|\byesterday\b)(?!(?!上午|下午|中午|晚上|凌晨|早上|早晨|傍晚|夜里|夜間|晚間|晚间)[\u4e00-\u9fff])(?:\s*(?<h>\d{1,2})\s*[:时時点點]\s*(?<mi>[0-5]\d)(?!\d))?/i,
    wholeOnly: false,
    build: (g, ctx) => buildDayWord(g, ctx),
  },
  {
    // 14:30 as the whole text: today, or yesterday when that time has not come yet
    name: 'time-only',
    re: /^(?<h>\d{1,2}):(?<mi>[0-5]\d)(?::(?<s>[0-5]\d))?$/,
    wholeOnly: true,
    build: (g, ctx) => buildTimeOnly(g, ctx),
  },
];

// --- Internal helpers ---

type Unit = 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

const CJK_UNITS: Record<string, Unit> = {
  秒: 'seconds',
  分: 'minutes',
  小时: 'hours',
  天: 'days',
  周: 'weeks',
  月: 'months',
  年: 'years',
};

function normalizeCjkUnit(unit: string): string {
  if (unit.startsWith('秒')) return '秒';
  if (unit.startsWith('分')) return '分';
  if (/小[时時]|[钟鐘]头|鐘頭|時間/.test(unit)) return '小时';
  if (unit === '天' || unit === '日') return '天';
  if (unit === '周' || unit.startsWith('週') || unit === '星期') return '周';
  if (unit.endsWith('月')) return '月';
  return unit;
}

/** Days before today a day word means (today's words are left out: 0). */
const DAYS_BACK: Record<string, number> = {
  前天: 2,
  昨天: 1,
  昨日: 1,
  yesterday: 1,
  gestern: 1,
  vorgestern: 2,
  hier: 1,
  'avant-hier': 2,
  ayer: 1,
  anteayer: 2,
  어제: 1,
  그제: 2,
  그저께: 2,
};

const KOREAN_UNITS: Record<string, Unit> = {
  초: 'seconds',
  분: 'minutes',
  시간: 'hours',
  일: 'days',
  주: 'weeks',
  개월: 'months',
  달: 'months',
  년: 'years',
};

function readIntlNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return /^(?:einer?|einem|une?|una?)$/i.test(text) ? 1 : undefined;
}

/** A German, French or Spanish time unit by its stem. */
function intlUnit(unit: string): Unit | undefined {
  const u = unit.toLowerCase();
  if (/^(?:sekunde|seconde|segundo)/.test(u)) return 'seconds';
  if (/^minut/.test(u)) return 'minutes';
  if (/^(?:stunde|heure|hora)/.test(u)) return 'hours';
  if (/^(?:tag|jour|d[ií]a)/.test(u)) return 'days';
  if (/^(?:woche|semaine|semana)/.test(u)) return 'weeks';
  if (/^(?:monat|mois|mes)/.test(u)) return 'months';
  if (/^(?:jahr|an|ann|año)/.test(u)) return 'years';
  return undefined;
}

function readEnglishNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return /^(?:an?|one)$/i.test(text) ? 1 : undefined;
}

function englishUnit(unit: string): Unit | undefined {
  const u = unit.toLowerCase();
  if (u.startsWith('s')) return 'seconds';
  if (u.startsWith('mi')) return 'minutes';
  if (u.startsWith('h')) return 'hours';
  if (u.startsWith('d')) return 'days';
  if (u.startsWith('w')) return 'weeks';
  if (u.startsWith('mo')) return 'months';
  if (u.startsWith('y')) return 'years';
  return undefined;
}

function buildAgo(amount: number | undefined, unit: Unit | undefined, ctx: DateContext): DateHit | undefined {
  if (amount === undefined || unit === undefined) return undefined;
  if (unit === 'seconds' || unit === 'minutes' || unit === 'hours') {
    const minutes = Math.round(amount * (unit === 'hours' ? 60 : unit === 'minutes' ? 1 : 1 / 60));
    return { ms: minutesBack(ctx, minutes), precision: 'time' };
  }
  if (!Number.isInteger(amount)) return undefined;
  return { ms: dayStartBack(ctx, unit, amount).toMillis(), precision: 'day' };
}

function buildDayWord(g: Record<string, string | undefined>, ctx: DateContext): DateHit | undefined {
  const back = DAYS_BACK[(g.word ?? '').toLowerCase()] ?? 0;
  const day = dayStartBack(ctx, 'days', back);
  const time = readClock({ hour: g.h, minute: g.mi });
  if (time === null) return undefined;
  if (!time) return { ms: day.toMillis(), precision: 'day' };
  return { ms: day.set({ hour: time.hour, minute: time.minute }).toMillis(), precision: 'time' };
}

/**
 * `now` minus `minutes`, at the start of its minute. Minutes and hours are exact time, not calendar
 * arithmetic, and a zone whose offset is whole minutes (every zone since the 1970s) starts its
 * minutes where UTC does: plain arithmetic then gives what luxon would, without its zone lookups.
 */
function minutesBack(ctx: DateContext, minutes: number): number {
  if (!Number.isInteger(ctx.now.offset)) return ctx.now.minus({ minutes }).startOf('minute').toMillis();
  const ms = ctx.now.toMillis() - minutes * MINUTE_MS;
  return ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
}

const MINUTE_MS = 60_000;

/**
 * The start of the day `amount` `unit`s before now, remembered per date context (one extraction: one
 * zone and "now"). luxon's calendar arithmetic in a zone costs ~20 µs a call here, and a page of
 * relative dates repeats a few of them (`3天前`, `昨天`) row after row.
 */
function dayStartBack(ctx: DateContext, unit: Unit, amount: number): DateTime {
  let memo = DAY_STARTS.get(ctx);
  if (memo === undefined) DAY_STARTS.set(ctx, (memo = new Map()));
  const key = `${unit}${amount}`;
  let day = memo.get(key);
  if (day === undefined) memo.set(key, (day = ctx.now.minus({ [unit]: amount }).startOf('day')));
  return day;
}

const DAY_STARTS = new WeakMap<DateContext, Map<string, DateTime>>();

function buildTimeOnly(g: Record<string, string | undefined>, ctx: DateContext): DateHit | undefined {
  const time = readClock({ hour: g.h, minute: g.mi, second: g.s });
  if (!time) return undefined;
  const today = ctx.now.startOf('day').set({ hour: time.hour, minute: time.minute, second: time.second });
  // A clock time later than now (beyond a few minutes of clock skew) must be from yesterday.
  const dt = today > ctx.now.plus({ minutes: 5 }) ? today.minus({ days: 1 }) : today;
  return { ms: dt.toMillis(), precision: 'time' };
}
