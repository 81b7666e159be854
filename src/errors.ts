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
  | 'FETCH_PRIVATE_ADDRESS'
  // extract
  | 'EXTRACT_NO_ITEMS'
  | 'EXTRACT_NO_CONTAINER'
  | 'EXTRACT_PARSE'
  | 'EXTRACT_BAD_SELECTOR'
  | 'EXTRACT_CHALLENGE'
  | 'EXTRACT_LIST_CHANGED'
  // browser
  | 'BROWSER_NOT_FOUND'
  | 'BROWSER_LAUNCH'
  | 'BROWSER_TIMEOUT'
  | 'BROWSER_NAVIGATION'
  | 'BROWSER_HTTP_STATUS'
  | 'BROWSER_CRASHED'
  | 'BROWSER_REDIRECT'
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

/** The stage (or command) a message comes from: its first word. */
export type MessageStage =
  | 'config'
  | 'fetch'
  | 'extract'
  | 'store'
  | 'feed'
  | 'output'
  | 'pipeline'
  | 'schedule'
  | 'serve'
  | 'start'
  | 'internal';

/** Who a message is about (a source, a topic feed, any feed; none for the process as a whole) and the technical detail. */
export interface MessageParts {
  sourceId?: string;
  topicId?: string;
  feedId?: string;
  /** Shown in parentheses after what happened: a status, a path, the underlying error. */
  detail?: string;
}

/** The one message format of every error: `<stage>: source "<id>": <what happened> (<detail>)`. */
export function formatErrorMessage(stage: MessageStage, what: string, parts: MessageParts = {}): string {
  const subject =
    parts.sourceId !== undefined
      ? `source "${parts.sourceId}": `
      : parts.topicId !== undefined
        ? `topic "${parts.topicId}": `
        : parts.feedId !== undefined
          ? `feed "${parts.feedId}": `
          : '';
  return `${stage}: ${subject}${what}${parts.detail === undefined ? '' : ` (${parts.detail})`}`;
}

/** The hint of errors that only a bug in feedwright can cause. */
export const INTERNAL_HINT = 'This is a bug in feedwright; please report it with the log line above.';

/** The message of anything thrown, for log lines and error messages (an empty message falls back to the name). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(error: unknown, sourceId?: string): AppError {
  if (error instanceof AppError) return error;
  const message = formatErrorMessage('internal', 'unexpected error', {
    sourceId: sourceId || undefined,
    detail: describeError(error),
  });
  return new AppError('INTERNAL', message, { sourceId, cause: error, hint: INTERNAL_HINT });
}
