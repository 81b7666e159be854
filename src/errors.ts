/**
 * The one error base class. Stage subclasses (ConfigError, FetchError, …) live next to their stage
 * and extend it; branch on `code` or `instanceof`, never on message text.
 */

/** Every error code feedwright reports. */
export type ErrorCode =
  // config
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_PARSE'
  // fetch
  | 'FETCH_TIMEOUT'
  | 'FETCH_DNS'
  | 'FETCH_TLS'
  | 'FETCH_CONNECTION'
  | 'FETCH_HTTP_STATUS'
  | 'FETCH_TOO_LARGE'
  | 'FETCH_REDIRECT_LOOP'
  | 'FETCH_TOO_MANY_REDIRECTS'
  | 'FETCH_CONTENT_TYPE'
  | 'FETCH_DECODE'
  | 'FETCH_ROBOTS'
  | 'FETCH_INVALID_URL'
  // extract
  | 'EXTRACT_NO_ITEMS'
  | 'EXTRACT_NO_CONTAINER'
  | 'EXTRACT_PARSE'
  | 'EXTRACT_BAD_SELECTOR'
  | 'EXTRACT_CHALLENGE'
  // browser
  | 'BROWSER_NOT_FOUND'
  | 'BROWSER_LAUNCH'
  | 'BROWSER_TIMEOUT'
  | 'BROWSER_NAVIGATION'
  | 'BROWSER_HTTP_STATUS'
  | 'BROWSER_CRASHED'
  // store and output
  | 'STORE_UNAVAILABLE'
  | 'STORE_CORRUPT'
  | 'STORE_FENCED'
  | 'STORE_EMPTY'
  | 'OUTPUT_WRITE'
  // worker and server
  | 'SERVE_LISTEN'
  | 'QUEUE_UNAVAILABLE'
  // command line
  | 'USAGE'
  // anything unexpected
  | 'INTERNAL';

/** Options shared by every feedwright error. */
export interface AppErrorOptions {
  sourceId?: string;
  /** What the operator can do about it, shown apart from the technical message. */
  hint?: string;
  cause?: unknown;
}

/** Base class of all errors feedwright raises on purpose. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly sourceId?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.sourceId = options.sourceId;
    this.hint = options.hint;
  }
}

/** The message of anything thrown, for log lines and error messages (an empty message falls back to the name). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(error: unknown, sourceId?: string): AppError {
  if (error instanceof AppError) return error;
  const detail = describeError(error);
  const where = sourceId ? `source "${sourceId}": ` : '';
  return new AppError('INTERNAL', `internal: ${where}unexpected error (${detail})`, {
    sourceId,
    cause: error,
    hint: 'This is a bug in feedwright; please report it with the log line above.',
  });
}
