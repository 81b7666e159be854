/** The feed/output stage's error class. */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** A feed or page that could not be built or written (code OUTPUT_WRITE; INTERNAL for a topic filter config should have refused). */
export class OutputError extends AppError {
  override name = 'OutputError';

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
