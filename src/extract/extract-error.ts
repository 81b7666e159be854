/** The extract stage's error: a page or feed that yields nothing usable. */
import { AppError, formatErrorMessage, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** Options for {@link ExtractError}. */
export interface ExtractErrorOptions extends AppErrorOptions {
  /** The selector involved, when one is to blame. */
  selector?: string;
}

/** Raised when extraction cannot produce items (no container, no titled item, a broken feed, a bad selector). */
export class ExtractError extends AppError {
  override name = 'ExtractError';
  readonly selector?: string;

  constructor(code: ErrorCode, sourceId: string, what: string, detail: string, options: ExtractErrorOptions = {}) {
    super(code, formatErrorMessage('extract', what, { sourceId, detail }), { ...options, sourceId });
    this.selector = options.selector;
  }

  /** Rebuilds an error from its fields, e.g. after it crossed from a worker thread; the message is kept as it was. */
  static fromFields(fields: {
    code: ErrorCode;
    message: string;
    sourceId?: string;
    hint?: string;
    selector?: string;
  }): ExtractError {
    const error = new ExtractError(fields.code, fields.sourceId ?? '', '', '', {
      hint: fields.hint,
      selector: fields.selector,
    });
    error.message = fields.message;
    return error;
  }
}
