/** The store stage's error class. */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** A store backend that cannot be reached, opened or trusted (codes STORE_UNAVAILABLE, STORE_CORRUPT). */
export class StoreError extends AppError {
  override name = 'StoreError';

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Builds a store message in the project format: `store: source "<id>": <what> (<detail>)`. */
export function formatStoreMessage(what: string, sourceId: string | undefined, detail?: string): string {
  const where = sourceId === undefined ? '' : `source "${sourceId}": `;
  return `store: ${where}${what}${detail === undefined ? '' : ` (${detail})`}`;
}
