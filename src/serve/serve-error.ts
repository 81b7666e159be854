/** Errors raised by the serve stage. */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** A serve-stage failure, e.g. a port that cannot be bound. */
export class ServeError extends AppError {
  override name = 'ServeError';

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
