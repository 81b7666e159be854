/** Errors raised by the schedule stage itself (not by the runs it starts). */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** A schedule-stage failure: a source that cannot be scheduled, or a misuse of the scheduler. */
export class ScheduleError extends AppError {
  override name = 'ScheduleError';

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
