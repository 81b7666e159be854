/** The store stage's error class. */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** A store backend that cannot be reached, opened or trusted (codes STORE_UNAVAILABLE, STORE_CORRUPT). */
export class StoreError extends AppError {
  override name = 'StoreError';

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Whether a backend error says the SQLite file is damaged (truncated, overwritten, not a database). */
export function isSqliteCorruption(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/** What to do about a damaged SQLite file: move it away; the next run rebuilds history from the feeds. */
export function corruptSqliteHint(file: string): string {
  return (
    `${file} is damaged or is not a feedwright store. Move it away (mv ${file} ${file}.broken) and run again: ` +
    "a new store is created and each source's history is rebuilt from its feed in the output folder, so no item is announced twice."
  );
}
