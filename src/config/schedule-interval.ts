/** How often a cron schedule fires, for feed `<ttl>` values and staleness rules. */
import cron from 'node-cron';

/** The shortest gap in milliseconds between the next 24 fires of a valid cron expression. */
export function measureScheduleInterval(expression: string, timezone: string): number {
  // Large configs repeat a handful of schedules; each measurement walks the cron calendar.
  const key = `${timezone} ${expression}`;
  const known = measured.get(key);
  if (known !== undefined) return known;
  const interval = computeInterval(expression, timezone);
  measured.set(key, interval);
  return interval;
}

// --- Internal helpers ---

const measured = new Map<string, number>();

function computeInterval(expression: string, timezone: string): number {
  // A stopped task is only a calculator here: it is never started and is destroyed right away.
  const task = cron.createTask(expression, () => undefined, { timezone });
  try {
    const fires = task.getNextRuns(24).map((date) => date.getTime());
    let shortest = Number.POSITIVE_INFINITY;
    for (let i = 1; i < fires.length; i += 1) shortest = Math.min(shortest, fires[i]! - fires[i - 1]!);
    return Number.isFinite(shortest) ? shortest : 86_400_000;
  } finally {
    void task.destroy();
  }
}
