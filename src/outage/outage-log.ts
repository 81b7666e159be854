/**
 * Logging for an outage that repeats the same failure many times a minute (a lost Redis fails every
 * command, every reconnect attempt and every fire): the first failure is logged at once, later ones
 * at most once per interval as one line with how many came meanwhile, and the recovery once.
 */
import type { Logger } from '../log.js';

/** Options for {@link createOutageLog}. */
export interface OutageLogOptions {
  /** Level of the failure lines (default `error`). */
  level?: 'warn' | 'error';
  /** At most one failure line per interval (default one minute). */
  intervalMs?: number;
  /** The clock (tests pass a fake one). */
  now?: () => number;
}

/** Throttled failure lines for one thing that can be down. */
export interface OutageLog {
  /** Logs the failure now, or counts it when a line went out less than an interval ago. */
  failed(fields: Record<string, unknown>, message: string): void;
  /**
   * The thing answers again: logs `message(failures)` at info once if failures were seen since the
   * last recovery (no line without a message), and the next failure is logged at once.
   */
  recovered(fields: Record<string, unknown>, message?: (failures: number) => string): void;
  /** True between a failure and the next recovery. */
  isDown(): boolean;
}

/** One failure line a minute during an outage, however often it fails. */
export const OUTAGE_LOG_INTERVAL_MS = 60_000;

/** Creates an outage log writing to `logger`. */
export function createOutageLog(logger: Logger | undefined, options: OutageLogOptions = {}): OutageLog {
  const level = options.level ?? 'error';
  const intervalMs = options.intervalMs ?? OUTAGE_LOG_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let loggedAt: number | undefined;
  let unlogged = 0;
  let total = 0;
  return {
    failed(fields, message) {
      total += 1;
      const at = now();
      if (loggedAt !== undefined && at - loggedAt < intervalMs) {
        unlogged += 1;
        return;
      }
      const again = unlogged > 0 ? `; ${unlogged} more like it since the last line` : '';
      logger?.[level]({ ...fields, repeats: unlogged }, `${message}${again}`);
      loggedAt = at;
      unlogged = 0;
    },
    recovered(fields, message) {
      if (total === 0) return;
      if (message) logger?.info({ ...fields, failures: total }, message(total));
      loggedAt = undefined;
      unlogged = 0;
      total = 0;
    },
    isDown: () => total > 0,
  };
}
