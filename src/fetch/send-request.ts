/**
 * One HTTP exchange, dispatched straight to undici's connection pool with a small handler (the
 * same core `request()` uses, minus its stream and async-resource layers: a 304 costs about a
 * third less CPU this way). Never `fetch()`, which adds `Cache-Control: no-cache` to conditional
 * requests. Redirects are not followed here: the caller handles every hop.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { parseUndiciHeaders } from './undici-modules.js';
import type { FetchFailure } from './fetch-error.js';
import { FetchFailureSignal } from './fetch-error.js';
import { decompressBody } from './read-body.js';

/** Response headers as undici gives them. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What to send and how much to accept. */
export interface ExchangeOptions {
  url: URL;
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  headersTimeoutMs: number;
  /** Deadline for the whole body (undici's own body timeout, an idle timeout, stays as a backstop). */
  bodyTimeoutMs: number;
  /** Cap on bytes received and on bytes after decompression. */
  maxBytes: number;
  /** Looks at a 2xx response before its body is read; a failure aborts the transfer. */
  inspect?: (headers: ResponseHeaders) => FetchFailure | undefined;
  /**
   * Digest a compressed 2xx body as it came (see {@link digestWire}); when the digest equals this one
   * (the last page's, empty when none is known), the body is not decompressed: the exchange says `sameWire`.
   */
  knownWire?: string;
  /** Called once undici has written the request to the socket (the moment the site can see it). */
  onWritten?: () => void;
}

/** A finished exchange; `body` is set for 2xx responses only, unless `sameWire`. */
export interface Exchange {
  status: number;
  headers: ResponseHeaders;
  body?: Buffer;
  /** The digest of a compressed 2xx body as it came, when `knownWire` asked for it. */
  wireHash?: string;
  /** The compressed body's digest equals `knownWire`: the body is the known one, and was not decompressed. */
  sameWire?: boolean;
  /** The first bytes of a non-2xx body as sent (still encoded), for recognising what answered. */
  errorHead?: Buffer;
  wireBytes: number;
}

/**
 * Sends a GET and reads the body of a 2xx answer under the byte cap and the body deadline, then
 * undoes Content-Encoding; other bodies are discarded so the connection can be reused. Rejects
 * with a FetchFailureSignal (headers-timeout, too-large, body-deadline, content-encoding, or an
 * `inspect` failure) or with undici's own error.
 */
export async function sendRequest(options: ExchangeOptions): Promise<Exchange> {
  const received = await new Promise<Received>((resolve, reject) => {
    const handler = new ExchangeHandler(options, resolve, reject);
    const { url } = options;
    options.dispatcher.dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers: options.headers,
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      },
      handler,
    );
  });
  const { status, headers, raw } = received;
  if (raw === undefined) return { status, headers, errorHead: received.errorHead, wireBytes: 0 };
  const encoding = headerValue(headers, 'content-encoding');
  const wireHash = options.knownWire === undefined ? undefined : digestWire(raw, encoding);
  if (wireHash !== undefined && wireHash === options.knownWire)
    return { status, headers, wireHash, sameWire: true, wireBytes: raw.length };
  const body = await decompressBody(raw, encoding, options.maxBytes);
  return { status, headers, body, wireHash, wireBytes: raw.length };
}

/**
 * sha256 of a compressed body and its Content-Encoding; undefined for a body sent as is (its
 * `bodyHash` is the digest of the same bytes). Hashing the few KB on the wire instead of inflating
 * and hashing the whole page is most of what an identical page costs.
 */
export function digestWire(raw: Buffer, encoding: string | undefined): string | undefined {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity') return undefined;
  return createHash('sha256').update(coding).update('\n').update(raw).digest('hex');
}

/** The first value of a response header. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True for the statuses whose Location we follow (300 and 304 are not redirects to follow). */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

// --- Internal helpers ---

/** An exchange as it came off the wire; `raw` is the still-encoded 2xx body. */
interface Received {
  status: number;
  headers: ResponseHeaders;
  raw?: Buffer;
  errorHead?: Buffer;
}

/** Small error pages are read to the end to keep the connection alive; bigger ones close it. */
const DISCARD_LIMIT_BYTES = 64 * 1024;
/** How much of an error page is kept (challenge stubs are small; their markers come early). */
const ERROR_HEAD_BYTES = 8 * 1024;
const DISCARD_TIMEOUT_MS = 5_000;
const NO_HEADERS: ResponseHeaders = Object.freeze({}) as ResponseHeaders;

/** Ends the discarding of an error page's body early; never reaches the caller. */
class DiscardEnded extends Error {}

/**
 * undici handler for one exchange. One object with one timer slot instead of a stream, an
 * AbortController and per-request closures: the timer is the headers deadline until the
 * headers arrive (undici's own timers tick about once a second, too coarse for short
 * deadlines), then the body deadline for a 2xx or the discard deadline for anything else.
 */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  private abortRequest?: (reason: Error) => void;
  /** A failure decided before undici handed us the abort function (the request was still queued). */
  private pendingAbort?: Error;
  private settled = false;
  private discarding = false;
  private status = 0;
  private headers = NO_HEADERS;
  private chunks: Buffer[] = [];
  private size = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly options: ExchangeOptions,
    private readonly resolve: (received: Received) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(onHeadersDeadline, options.headersTimeoutMs, this);
  }

  onRequestSent(): void {
    this.options.onWritten?.();
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortRequest = abort;
    if (this.pendingAbort) abort(this.pendingAbort);
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    // 1xx responses are informational; the final response follows on the same request.
    if (status < 200 || this.settled) return true;
    clearTimeout(this.timer);
    this.status = status;
    this.headers = parseUndiciHeaders(rawHeaders) as ResponseHeaders;
    if (status >= 300) {
      this.discarding = true;
      // A 304 has no body by definition (undici completes it right after these headers): no deadline needed.
      if (status !== 304)
        this.timer = setTimeout(onDiscardDeadline, Math.min(this.options.bodyTimeoutMs, DISCARD_TIMEOUT_MS), this);
      return true;
    }
    const failure = this.options.inspect?.(this.headers) ?? checkDeclaredLength(this.headers, this.options.maxBytes);
    // Aborting closes the connection: cheaper than downloading a PDF or a 2 GB file we will not use.
    if (failure) this.abort(new FetchFailureSignal(failure));
    else this.timer = setTimeout(onBodyDeadline, this.options.bodyTimeoutMs, this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return true;
    this.size += chunk.length;
    if (this.discarding) {
      if (this.size - chunk.length < ERROR_HEAD_BYTES) this.chunks.push(chunk);
      if (this.size > DISCARD_LIMIT_BYTES) this.abort(new DiscardEnded());
      return true;
    }
    if (this.size > this.options.maxBytes) {
      this.abort(new FetchFailureSignal({ kind: 'too-large', limitBytes: this.options.maxBytes }));
      return true;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settle();
    const { status, headers, chunks } = this;
    if (this.discarding) {
      this.resolve({ status, headers, errorHead: this.errorHead() });
      return;
    }
    const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.size);
    this.resolve({ status, headers, raw });
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settle();
    // An error page is only read to keep the connection; whatever ends that read, the status stands.
    if (this.discarding) this.resolve({ status: this.status, headers: this.headers, errorHead: this.errorHead() });
    else this.reject(error);
  }

  /** The start of a discarded error page, when it had a body. */
  private errorHead(): Buffer | undefined {
    if (this.chunks.length === 0) return undefined;
    const head = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    return head.subarray(0, ERROR_HEAD_BYTES);
  }

  /** Stops the exchange: undici then calls onError with `reason` (at once, or when the request leaves its queue). */
  abort(reason: Error): void {
    if (this.abortRequest) {
      this.abortRequest(reason);
      return;
    }
    this.pendingAbort = reason;
    this.onError(reason);
  }

  private settle(): void {
    this.settled = true;
    clearTimeout(this.timer);
  }
}

function onHeadersDeadline(handler: ExchangeHandler): void {
  handler.abort(new FetchFailureSignal({ kind: 'headers-timeout', timeoutMs: handler.options.headersTimeoutMs }));
}

function onBodyDeadline(handler: ExchangeHandler): void {
  // undici's bodyTimeout is an idle timeout; a body that trickles forever needs a deadline of its own.
  handler.abort(new FetchFailureSignal({ kind: 'body-deadline', timeoutMs: handler.options.bodyTimeoutMs }));
}

function onDiscardDeadline(handler: ExchangeHandler): void {
  // A trickling error page must not hold a slot: drop it (the connection closes).
  handler.abort(new DiscardEnded());
}

function checkDeclaredLength(headers: ResponseHeaders, maxBytes: number): FetchFailure | undefined {
  const declared = Number(headerValue(headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes)
    return { kind: 'too-large', limitBytes: maxBytes, declaredBytes: declared };
  return undefined;
}
