/**
 * Start-up against a service that is not there yet (a container started before its Redis is the
 * normal case): retry with a capped exponential backoff until it opens or the worker is told to stop.
 */
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';

/** Options for {@link retryUntilOpen}. */
export interface RetryUntilOpenOptions {
  /** Aborted by SIGINT/SIGTERM: the wait ends at once and the call resolves undefined. */
  signal: AbortSignal;
  logger: Logger;
  /** Names the service in the log lines, e.g. "the store (Redis at redis://…)". */
  what: string;
  /** Whether an error may go away by itself (a refused connection) rather than being a mistake to fix. */
  isTransient: (error: unknown) => boolean;
  /** Told about each failed attempt (e.g. for /healthz). */
  onFailure?: (error: unknown) => void;
  /** First wait, doubled after each failure up to maxDelayMs (defaults 1 s and 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Calls `open` until it resolves; a non-transient error is thrown at once. Logs one line when the
 * waiting starts and one when it ends; the attempts in between go to debug.
 */
export async function retryUntilOpen<T>(
  open: () => Promise<T>,
  options: RetryUntilOpenOptions,
): Promise<T | undefined> {
  const { logger, what, signal } = options;
  const startedAt = Date.now();
  let delayMs = options.initialDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt += 1) {
    if (signal.aborted) return undefined;
    try {
      const opened = await open();
      if (attempt > 1)
        logger.info(
          { attempts: attempt },
          `${what} answers after ${attempt} attempts (${formatSeconds(Date.now() - startedAt)}): starting`,
        );
      return opened;
    } catch (error) {
      if (!options.isTransient(error)) throw error;
      options.onFailure?.(error);
      const fields = { err: error, attempt, retryInMs: delayMs };
      if (attempt === 1) {
        logger.warn(
          fields,
          `${what} is unavailable at start-up (${describeError(error)}); retrying with backoff until it answers, /healthz says 503 meanwhile`,
        );
      } else {
        logger.debug(fields, `${what} still unavailable (${describeError(error)})`);
      }
    }
    if (!(await sleep(delayMs, signal))) return undefined;
    delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 30_000);
  }
}

// --- Internal helpers ---

/** Resolves true after ms, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function formatSeconds(ms: number): string {
  return `${(ms / 1_000).toFixed(1)}s`;
}
