/**
 * Relative dates in Simplified, Traditional and English (`刚刚`, `5分钟前`, `3小時前`, `昨天 14:30`,
 * `2 hours ago`, `yesterday`) and bare clock times (`14:30`, meaning today), all against the
 * injected "now" in the source zone.
 */
import type { DurationLikeObject } from 'luxon';
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
    re: /(?<n>\d{1,4}|[一二两兩三四五六七八九十半]{1,3})\s*(?<unit>秒钟?|秒鐘?|分钟|分鐘|分|个?小时|個?小時|钟头|鐘頭|天|日|周|週|星期|个月|個月|年)\s*(?:之)?前/,
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
  if (/小[时時]|[钟鐘]头|鐘頭/.test(unit)) return '小时';
  if (unit === '天' || unit === '日') return '天';
  if (unit === '周' || unit === '週' || unit === '星期') return '周';
  if (unit.endsWith('月')) return '月';
  return unit;
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
    const duration: DurationLikeObject = {
      minutes: Math.round(amount * (unit === 'hours' ? 60 : unit === 'minutes' ? 1 : 1 / 60)),
    };
    return { ms: ctx.now.minus(duration).startOf('minute').toMillis(), precision: 'time' };
  }
  if (!Number.isInteger(amount)) return undefined;
  return {
    ms: ctx.now
      .minus({ [unit]: amount })
      .startOf('day')
      .toMillis(),
    precision: 'day',
  };
}

function buildDayWord(g: Record<string, string | undefined>, ctx: DateContext): DateHit | undefined {
  const word = (g.word ?? '').toLowerCase();
  const back = word === '前天' ? 2 : word === '昨天' || word === '昨日' || word === 'yesterday' ? 1 : 0;
  const day = ctx.now.minus({ days: back }).startOf('day');
  const time = readClock({ hour: g.h, minute: g.mi });
  if (time === null) return undefined;
  if (!time) return { ms: day.toMillis(), precision: 'day' };
  return { ms: day.set({ hour: time.hour, minute: time.minute }).toMillis(), precision: 'time' };
}

function buildTimeOnly(g: Record<string, string | undefined>, ctx: DateContext): DateHit | undefined {
  const time = readClock({ hour: g.h, minute: g.mi, second: g.s });
  if (!time) return undefined;
  const today = ctx.now.startOf('day').set({ hour: time.hour, minute: time.minute, second: time.second });
  // A clock time later than now (beyond a few minutes of clock skew) must be from yesterday.
  const dt = today > ctx.now.plus({ minutes: 5 }) ? today.minus({ days: 1 }) : today;
  return { ms: dt.toMillis(), precision: 'time' };
}
