/** A command line that cannot be carried out as given (unknown source, bad address): exit code 2. */
import { AppError } from '../errors.js';

/** Wrong arguments; the message says what was expected. */
export class UsageError extends AppError {
  override name = 'UsageError';

  constructor(message: string, hint?: string) {
    super('USAGE', message, { hint });
  }
}
