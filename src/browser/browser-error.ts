/** The browser stage's error type: what failed while rendering a page, for which source, and what to do. */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** Options for {@link BrowserError}. */
export interface BrowserErrorOptions extends AppErrorOptions {
  url?: string;
  status?: number;
}

/** A page the headless browser could not render (no Chromium, launch failure, timeout, navigation error). */
export class BrowserError extends AppError {
  override name = 'BrowserError';
  readonly url?: string;
  readonly status?: number;

  constructor(code: ErrorCode, message: string, options: BrowserErrorOptions = {}) {
    super(code, message, options);
    this.url = options.url;
    this.status = options.status;
  }
}

/** `browser: source "<id>": <what> (<detail>)`, the message format every stage uses. */
export function formatBrowserMessage(sourceId: string, what: string, detail?: string): string {
  return `browser: source "${sourceId}": ${what}${detail ? ` (${detail})` : ''}`;
}
