/**
 * The one place that turns anything that went wrong during a fetch into a typed FetchError:
 * code, operator-facing message, hint, and whether another attempt could help.
 */
import { STATUS_CODES } from 'node:http';
import { describeError, formatErrorMessage, type ErrorCode } from '../errors.js';
import type { FetchPolicy } from '../model.js';
import { CHALLENGE_HINT } from '../anti-bot/recognize-challenge.js';
import { FetchError, FetchFailureSignal, type FetchFailure } from './fetch-error.js';

/** Where a failure happened, for the message. */
export interface FailureContext {
  sourceId: string;
  url: string;
  /** Attempts made for this URL so far, including the failing one. */
  attempts: number;
  policy: FetchPolicy;
}

/**
 * Turns a failure into a FetchError; returns undefined for a thrown value that is not a
 * network or protocol failure (a bug), which the caller rethrows untouched.
 */
export function classifyFailure(
  failure: Exclude<FetchFailure, { kind: 'thrown' }>,
  context: FailureContext,
): FetchError;
export function classifyFailure(failure: FetchFailure, context: FailureContext): FetchError | undefined;
export function classifyFailure(failure: FetchFailure, context: FailureContext): FetchError | undefined {
  if (failure.kind === 'thrown') return classifyThrown(failure.error, context);
  if (failure.kind === 'status') return classifyStatus(failure, context);
  const described = describeFailure(failure, context);
  return buildError(described, context);
}

// --- Internal helpers ---

interface Described {
  code: ErrorCode;
  what: string;
  detail: string;
  hint: string;
  retryable?: boolean;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
  challenge?: string;
}

function buildError(described: Described, context: FailureContext): FetchError {
  const after = context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  const message = `${formatErrorMessage('fetch', described.what, { sourceId: context.sourceId, detail: described.detail })}${after}`;
  return new FetchError(described.code, message, {
    sourceId: context.sourceId,
    url: context.url,
    status: described.status,
    retryAfterMs: described.retryAfterMs,
    attempts: context.attempts,
    retryable: described.retryable ?? false,
    hint: described.hint,
    cause: described.cause,
    challenge: described.challenge,
  });
}

function classifyStatus(failure: Extract<FetchFailure, { kind: 'status' }>, context: FailureContext): FetchError {
  const { status, retryAfterMs, challenge } = failure;
  const reason = STATUS_CODES[status] ?? 'unknown status';
  const wait = retryAfterMs === undefined ? '' : `; Retry-After ${formatSeconds(retryAfterMs)}`;
  return buildError(
    {
      code: 'FETCH_HTTP_STATUS',
      what: `HTTP ${status} from ${context.url}`,
      detail: challenge ? `${reason}: ${challenge} anti-bot JavaScript challenge` : `${reason}${wait}`,
      hint: challenge ? CHALLENGE_HINT : hintForStatus(status, retryAfterMs, context.policy),
      // Asking again only meets the same challenge.
      retryable: !challenge && RETRYABLE_STATUSES.has(status),
      status,
      retryAfterMs,
      challenge,
    },
    context,
  );
}

const HEADERS_TIMEOUT_HINT = 'The server is slow to answer; raise `headersTimeout` for this source or try later.';

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

function hintForStatus(status: number, retryAfterMs: number | undefined, policy: FetchPolicy): string {
  if (status === 429) {
    const capped = retryAfterMs !== undefined && retryAfterMs > policy.maxRetryDelayMs;
    return capped
      ? `The site asks us to wait ${formatSeconds(retryAfterMs)}, longer than \`maxRetryDelay\`; feedwright gave up instead of waiting. Lower this source's frequency.`
      : "The site is rate limiting us; lower this source's frequency or raise `minDelay`.";
  }
  if (status === 401 || status === 407)
    return 'The page needs credentials; add headers or cookies for this source if you are allowed to.';
  if (status === 403) return 'The site may block automated clients; check the user agent or lower the frequency.';
  if (status === 404 || status === 410) return 'The page has moved or been removed; update the source URL.';
  if (status >= 500) return 'The site has a server problem that usually passes; the last good feed is kept meanwhile.';
  if (status >= 300 && status < 400)
    return 'The server sent a redirect without a usable Location header; check the source URL in a browser.';
  return 'The server refused the request; open the URL in a browser and compare.';
}

function describeFailure(
  failure: Exclude<FetchFailure, { kind: 'thrown' | 'status' }>,
  context: FailureContext,
): Described {
  const url = context.url;
  switch (failure.kind) {
    case 'headers-timeout':
      return {
        code: 'FETCH_TIMEOUT',
        what: `no response headers from ${url} within ${formatSeconds(failure.timeoutMs)}`,
        detail: 'headers timeout',
        retryable: true,
        hint: HEADERS_TIMEOUT_HINT,
      };
    case 'body-deadline':
      return {
        code: 'FETCH_TIMEOUT',
        what: `timed out reading the body of ${url}`,
        detail: `not complete after ${formatSeconds(failure.timeoutMs)}`,
        hint: 'The server sends very slowly; raise `timeout` (the whole-body deadline) for this source or try later.',
      };
    case 'too-large':
      return {
        code: 'FETCH_TOO_LARGE',
        what: `response from ${url} is too large`,
        detail: describeTooLarge(failure),
        hint: 'Raise `maxSize` for this source if the page is really that big.',
      };
    case 'redirect-loop':
      return {
        code: 'FETCH_REDIRECT_LOOP',
        what: `redirect loop at ${url}`,
        detail: failure.chain.join(' → '),
        hint: 'The site redirects in a circle, often because it expects cookies; open the URL in a browser.',
      };
    case 'too-many-redirects':
      return {
        code: 'FETCH_TOO_MANY_REDIRECTS',
        what: `more than ${failure.limit} redirects from ${url}`,
        detail: failure.chain.join(' → '),
        hint: 'Use the final URL as the source URL, or raise `maxRedirects`.',
      };
    case 'bad-redirect':
      return {
        code: 'FETCH_INVALID_URL',
        what: `unusable redirect from ${url}`,
        detail: `Location: ${failure.location}`,
        hint: 'The site redirects to something that is not an http(s) URL; check the source URL in a browser.',
      };
    case 'content-type':
      return {
        code: 'FETCH_CONTENT_TYPE',
        what: `unexpected content type from ${url}`,
        detail: `${failure.contentType || 'none'}; expected ${failure.purpose === 'detail' ? 'HTML' : 'HTML, XML or a JSON feed'}`,
        hint: 'The URL does not point to a web page or feed; check the source URL.',
      };
    case 'content-encoding':
      return {
        code: 'FETCH_DECODE',
        what: `cannot decode the body of ${url}`,
        detail: `Content-Encoding ${failure.encoding}${failure.detail ? `: ${failure.detail}` : ''}`,
        hint: 'The server sent a compressed body feedwright cannot read; try again later or report it.',
      };
    case 'robots':
      return {
        code: 'FETCH_ROBOTS',
        what: `robots.txt disallows ${url}`,
        detail: `${failure.robotsUrl}${failure.line !== undefined && failure.line > 0 ? ` line ${failure.line}` : ''} for user agent "${failure.userAgent}"`,
        hint: 'Set `robots: ignore` for this source only if you have permission from the site.',
      };
    case 'private-address':
      return {
        code: 'FETCH_PRIVATE_ADDRESS',
        what: `refused to connect to ${url}: ${failure.host} is on a private network`,
        detail: `${failure.addresses.join(', ')}; the source's own address is public`,
        hint: "A public source's redirects and links may only lead to public addresses, so a page cannot make feedwright read from inside your network. If this source is meant to reach that host, set `privateNetwork: allow` on it.",
      };
    case 'closed':
      return {
        code: 'FETCH_CONNECTION',
        what: `fetcher closed before fetching ${url}`,
        detail: 'close() was called',
        hint: 'feedwright was shutting down; the source runs again next time.',
      };
    case 'invalid-url':
      return {
        code: 'FETCH_INVALID_URL',
        what: `invalid request for ${url}`,
        detail: failure.detail,
        hint: 'Check the source URL (absolute http or https), its headers and cookies.',
      };
  }
}

function describeTooLarge(failure: { limitBytes: number; declaredBytes?: number; decoded?: boolean }): string {
  const limit = `limit ${failure.limitBytes} bytes`;
  if (failure.declaredBytes !== undefined) return `Content-Length ${failure.declaredBytes} bytes, ${limit}`;
  return failure.decoded ? `decompressed body over ${limit}` : `body over ${limit}, transfer aborted`;
}

function classifyThrown(error: unknown, context: FailureContext): FetchError | undefined {
  const signal = findInChain(error, (e) => e instanceof FetchFailureSignal);
  if (signal instanceof FetchFailureSignal) return classifyFailure(signal.failure, context);
  if (error instanceof FetchError) return error;
  const code = findErrorCode(error);
  if (code === undefined) return undefined;
  const described = describeNetworkError(code, context);
  const detail = `${code}: ${describeError(error)}`;
  return buildError({ ...described, detail, cause: error }, context);
}

function describeNetworkError(code: string, context: FailureContext): Omit<Described, 'detail'> {
  const url = context.url;
  const { policy } = context;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return {
      code: 'FETCH_TIMEOUT',
      what: `no connection to ${url} within ${formatSeconds(policy.connectTimeoutMs)}`,
      retryable: true,
      hint: 'The host does not answer; it may be down or block us. Raise `connectTimeout` or try later.',
    };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return {
      code: 'FETCH_TIMEOUT',
      what: `no response headers from ${url} within ${formatSeconds(policy.headersTimeoutMs)}`,
      retryable: true,
      hint: HEADERS_TIMEOUT_HINT,
    };
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return {
      code: 'FETCH_TIMEOUT',
      what: `body of ${url} stalled`,
      retryable: true,
      hint: 'The server stopped sending mid-body; raise `timeout` for this source or try later.',
    };
  }
  if (DNS_CODES.has(code)) {
    return {
      code: 'FETCH_DNS',
      what: `cannot resolve the host of ${url}`,
      retryable: code === 'EAI_AGAIN',
      hint: 'Check the host name in the source URL; the domain may have expired, or DNS is down on this machine.',
    };
  }
  if (PLAIN_HTTP_CODES.has(code)) {
    return {
      code: 'FETCH_TLS',
      what: `${url} does not speak TLS: the server answered in plain HTTP`,
      hint: 'The port serves http://, not https://; use http:// in the source URL, or the port the site serves HTTPS on.',
    };
  }
  if (isTlsCode(code)) {
    return {
      code: 'FETCH_TLS',
      what: `TLS handshake with ${url} failed`,
      hint: "The site's certificate is invalid, expired or for another name; fix the URL or ask the site owner.",
    };
  }
  if (
    code === 'UND_ERR_INVALID_ARG' ||
    code === 'ERR_INVALID_URL' ||
    code === 'ERR_INVALID_HTTP_TOKEN' ||
    code === 'ERR_INVALID_CHAR'
  ) {
    return {
      code: 'FETCH_INVALID_URL',
      what: `invalid request for ${url}`,
      hint: 'Check the source URL (absolute http or https), its headers and cookies.',
    };
  }
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
    return {
      code: 'FETCH_CONNECTION',
      what: `fetcher closed while fetching ${url}`,
      hint: 'feedwright was shutting down; the source runs again next time.',
    };
  }
  return {
    code: 'FETCH_CONNECTION',
    what: `connection to ${url} failed`,
    retryable: RETRYABLE_NETWORK_CODES.has(code),
    hint: 'The connection was refused or dropped; the site may be down or blocking us. It usually passes.',
  };
}

/** OpenSSL's verdicts on a reply that is not TLS at all: the certificate was never reached. */
const PLAIN_HTTP_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$|UND_ERR_PRX_TLS$)/.test(
    code,
  );
}

/** The first string `code` found on the error or its causes (undici wraps socket errors). */
function findErrorCode(error: unknown): string | undefined {
  const withCode = findInChain(error, (e) => typeof (e as { code?: unknown }).code === 'string');
  const code = (withCode as { code?: string } | undefined)?.code;
  // A bare SocketError hides the more specific system error (ECONNRESET…) in its cause.
  if (code === 'UND_ERR_SOCKET') {
    const cause = (withCode as { cause?: unknown }).cause;
    return findErrorCode(cause) ?? code;
  }
  return code;
}

function findInChain(error: unknown, test: (candidate: object) => boolean): object | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth += 1) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
