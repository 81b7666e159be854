/**
 * The fetch stage's error type and the internal failure descriptions that become one.
 * Only `classify-error.ts` builds FetchErrors; everything else describes what went wrong.
 */
import { AppError, type AppErrorOptions, type ErrorCode } from '../errors.js';

/** Options for {@link FetchError}. */
export interface FetchErrorOptions extends AppErrorOptions {
  url: string;
  status?: number;
  retryAfterMs?: number;
  /** HTTP attempts made for the failing URL (1 when nothing was retried). */
  attempts?: number;
  /** Whether another attempt could succeed (network trouble, 429, 502–504). */
  retryable?: boolean;
  /** The vendor of the anti-bot JavaScript challenge the site answered with, when it was one. */
  challenge?: string;
}

/** A failed fetch: one typed error with the URL, the HTTP status when there was one, and a hint. */
export class FetchError extends AppError {
  override name = 'FetchError';
  readonly url: string;
  readonly status?: number;
  /** How long the server asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs?: number;
  readonly attempts: number;
  readonly retryable: boolean;
  /** The anti-bot challenge's vendor when the error status came with one (a browser may pass it). */
  readonly challenge?: string;

  constructor(code: ErrorCode, message: string, options: FetchErrorOptions) {
    super(code, message, options);
    this.url = options.url;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts ?? 1;
    this.retryable = options.retryable ?? false;
    this.challenge = options.challenge;
  }
}

/** What went wrong, before it is turned into a FetchError. */
export type FetchFailure =
  | { kind: 'thrown'; error: unknown }
  /** `challenge`: the vendor of an anti-bot JavaScript challenge served with this status. */
  | { kind: 'status'; status: number; retryAfterMs?: number; challenge?: string }
  | { kind: 'headers-timeout'; timeoutMs: number }
  | { kind: 'body-deadline'; timeoutMs: number }
  | { kind: 'too-large'; limitBytes: number; declaredBytes?: number; decoded?: boolean }
  | { kind: 'redirect-loop'; chain: string[] }
  | { kind: 'too-many-redirects'; limit: number; chain: string[] }
  | { kind: 'bad-redirect'; location: string }
  | { kind: 'content-type'; contentType: string; purpose: 'page' | 'detail' }
  | { kind: 'content-encoding'; encoding: string; detail?: string }
  | { kind: 'robots'; userAgent: string; robotsUrl: string; line?: number }
  | { kind: 'invalid-url'; detail: string }
  /** A public source's hop or link to a non-public address (`addresses`: what the host is or resolved to). */
  | { kind: 'private-address'; host: string; addresses: string[] }
  | { kind: 'closed' };

/** Carries a {@link FetchFailure} through code that can only throw (stream handlers, loops). */
export class FetchFailureSignal extends Error {
  override name = 'FetchFailureSignal';
  readonly failure: FetchFailure;

  constructor(failure: FetchFailure) {
    super(`fetch failure: ${failure.kind}`);
    this.failure = failure;
  }
}
