/**
 * Every ItemStore call goes through here: a deadline (a silent Redis must not hang a run), and any
 * failure turned into a StoreError that says what the store could not do, for which source, and the
 * backend's hint (STORE_CORRUPT for a damaged SQLite file, STORE_UNAVAILABLE otherwise).
 */
import { describeError, formatErrorMessage } from '../errors.js';
import { StoreError, isSqliteCorruption } from './store-error.js';

/** The hints the errors carry (the backend knows what to suggest). */
export interface StoreErrorHints {
  /** Shown as the hint of STORE_UNAVAILABLE errors, e.g. "Is Redis running at redis://127.0.0.1:6379?". */
  unavailableHint: string;
  /** Shown as the hint when the backend reports its data damaged (a corrupt SQLite page). */
  corruptHint?: string;
}

/** Runs one store call with a deadline of `timeoutMs` (0: none) and its failure as a StoreError. */
export function guardStoreCall<T>(
  what: string,
  sourceId: string | undefined,
  hints: StoreErrorHints,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  return runGuarded(what, sourceId, hints, () => (timeoutMs > 0 ? withDeadline(work(), timeoutMs) : work()));
}

// --- Internal helpers ---

/** Rejects when a store call takes longer than `ms` (the call itself may still finish later; its result is dropped). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function runGuarded<T>(
  what: string,
  sourceId: string | undefined,
  hints: StoreErrorHints,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const detail = describeError(error);
    if (isSqliteCorruption(error)) {
      throw new StoreError('STORE_CORRUPT', formatErrorMessage('store', what, { sourceId, detail }), {
        sourceId,
        hint: hints.corruptHint ?? hints.unavailableHint,
        cause: error,
      });
    }
    throw new StoreError('STORE_UNAVAILABLE', formatErrorMessage('store', what, { sourceId, detail }), {
      sourceId,
      hint: hints.unavailableHint,
      cause: error,
    });
  }
}
