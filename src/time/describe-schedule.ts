/**
 * What a cron expression means in time (shared by config, for `intervalMs` and the politeness check,
 * and by schedule, for coordination and /healthz staleness): the shortest and longest gap between two fires.
 * The shortest gap sizes coordination keys; the longest one drives the /healthz staleness rule
 * (a weekday-only schedule must not look dead over the weekend).
 */
import { createTask, parse, validateDetailed } from 'node-cron';

/** The gaps between consecutive fires of a cron expression, in wall-clock time. */
export interface ScheduleDescription {
  valid: boolean;
  /** Smallest interval between two consecutive fires. */
  intervalMs?: number;
  /** Largest interval between two consecutive fires (e.g. over a weekend for `0 9 * * 1-5`). */
  maxIntervalMs?: number;
  error?: string;
}

/** Describes a node-cron expression (5 or 6 fields): whether it is valid and its smallest and largest fire interval. */
export function describeSchedule(expr: string): ScheduleDescription {
  const cached = cache.get(expr);
  if (cached) return cached;
  const description = computeDescription(expr);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expr, description);
  return description;
}

// --- Internal helpers ---

const DAY_MS = 86_400_000;
/** Eight years cover every leap-day and weekday combination that repeats within a cycle. */
const SHORT_WINDOW_DAYS = 8 * 366;
/** node-cron itself searches a hundred years ahead; rare AND-combinations (Feb 29 on a Monday) need it. */
const LONG_WINDOW_DAYS = 100 * 366;
/** Fixed reference so the answer never depends on today's date. */
const WINDOW_START_UTC = Date.UTC(2024, 0, 1);
const CACHE_LIMIT = 256;
const cache = new Map<string, ScheduleDescription>();

function computeDescription(expr: string): ScheduleDescription {
  const validation = validateDetailed(expr);
  if (!validation.valid) {
    const error = validation.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'invalid cron expression';
    return { valid: false, error };
  }
  const times = listTimesOfDay(expr);
  const first = times[0];
  const last = times.at(-1);
  if (first === undefined || last === undefined)
    return { valid: false, error: 'the expression matches no time of day' };
  const days = listMatchingDays(expr, first);
  if (days.length === 0) return { valid: false, error: 'the expression never fires' };
  return { valid: true, ...measureGaps(times, days) };
}

/** Seconds after midnight at which the expression fires, ascending. */
function listTimesOfDay(expr: string): number[] {
  const fields = parse(expr);
  const times: number[] = [];
  for (const hour of fields.hour) {
    for (const minute of fields.minute) {
      for (const second of fields.second) times.push(hour * 3600 + minute * 60 + second);
    }
  }
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * Day numbers (days since WINDOW_START_UTC) on which the expression fires. Uses node-cron's own
 * matcher through a task that is never started, so `L`, `W`, `#` and its AND rule for day-of-month
 * and day-of-week are honoured exactly as the scheduler will.
 */
function listMatchingDays(expr: string, firstTimeOfDay: number): number[] {
  // Day of month, month and day of week all `*`: every day matches; scanning 8 years (~60 ms) would say the same.
  if (
    expr
      .trim()
      .split(/\s+/)
      .slice(-3)
      .every((field) => field === '*')
  )
    return [0, 1];
  const probe = createTask(expr, () => undefined, { timezone: 'UTC' });
  try {
    const days = scanDays(probe.match.bind(probe), firstTimeOfDay, SHORT_WINDOW_DAYS);
    return days.length >= 2 ? days : scanDays(probe.match.bind(probe), firstTimeOfDay, LONG_WINDOW_DAYS);
  } finally {
    void probe.destroy();
  }
}

function scanDays(match: (date: Date) => boolean, timeOfDay: number, windowDays: number): number[] {
  const days: number[] = [];
  for (let day = 0; day < windowDays; day++) {
    if (match(new Date(WINDOW_START_UTC + day * DAY_MS + timeOfDay * 1000))) days.push(day);
  }
  return days;
}

function measureGaps(times: number[], days: number[]): { intervalMs: number; maxIntervalMs: number } {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(((times[i] ?? 0) - (times[i - 1] ?? 0)) * 1000);
  // From the last fire of one matching day to the first fire of the next matching day.
  const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) * 1000;
  for (let i = 1; i < days.length; i++) gaps.push(((days[i] ?? 0) - (days[i - 1] ?? 0)) * DAY_MS - span);
  // A single fire in the whole window (a yearly Feb 29 on a Monday): the window length is a floor.
  if (gaps.length === 0) gaps.push(LONG_WINDOW_DAYS * DAY_MS);
  return { intervalMs: Math.min(...gaps), maxIntervalMs: Math.max(...gaps) };
}
