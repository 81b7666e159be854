import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/fetch/classify-error.js';
import { FetchFailureSignal, type FetchFailure } from '../../../src/fetch/fetch-error.js';
import { defaultFetchPolicy, FetchError } from '../../../src/fetch/index.js';

const context = {
  sourceId: 'mee-news',
  url: 'https://www.mee.gov.cn/ywdt/',
  attempts: 1,
  policy: defaultFetchPolicy(),
};

/** An error shaped like the ones undici and node:net throw. */
function systemError(code: string, message = code, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

describe('classifyFailure', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'FETCH_TIMEOUT', true, /no connection to .* within 10 s/],
    ['UND_ERR_HEADERS_TIMEOUT', 'FETCH_TIMEOUT', true, /no response headers .* within 20 s/],
    ['UND_ERR_BODY_TIMEOUT', 'FETCH_TIMEOUT', true, /stalled/],
    ['ENOTFOUND', 'FETCH_DNS', false, /cannot resolve/],
    ['EAI_AGAIN', 'FETCH_DNS', true, /cannot resolve/],
    ['CERT_HAS_EXPIRED', 'FETCH_TLS', false, /TLS handshake/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'FETCH_TLS', false, /TLS handshake/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'FETCH_TLS', false, /TLS handshake/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'FETCH_TLS', false, /TLS handshake/],
    ['ECONNRESET', 'FETCH_CONNECTION', true, /connection to .* failed/],
    ['ECONNREFUSED', 'FETCH_CONNECTION', true, /connection to .* failed/],
    ['UND_ERR_SOCKET', 'FETCH_CONNECTION', true, /connection to .* failed/],
    ['HPE_INVALID_CONSTANT', 'FETCH_CONNECTION', false, /connection to .* failed/],
    ['UND_ERR_INVALID_ARG', 'FETCH_INVALID_URL', false, /invalid request/],
  ] as const)('classifies %s as %s', (code, expected, retryable, what) => {
    const error = classifyFailure({ kind: 'thrown', error: systemError(code, 'boom') }, context);
    expect(error).toBeInstanceOf(FetchError);
    expect(error?.code).toBe(expected);
    expect(error?.retryable).toBe(retryable);
    expect(error?.message).toMatch(what);
    expect(error?.message).toMatch(/^fetch: source "mee-news": .+ \(.+\)$/);
    expect(error?.hint).toBeTruthy();
    expect(error?.sourceId).toBe('mee-news');
    expect(error?.url).toBe(context.url);
  });

  it('says an https:// URL reached a plain HTTP port, without blaming the certificate', async () => {
    const plain = createServer((_req, res) => res.end('plain http'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(plain.address() as AddressInfo).port}/list/`;
    try {
      const thrown = await request(url).then(
        () => undefined,
        (e: unknown) => e,
      );
      const error = classifyFailure({ kind: 'thrown', error: thrown }, { ...context, url });
      expect(error?.code).toBe('FETCH_TLS');
      expect(error?.message).toContain(`${url} does not speak TLS: the server answered in plain HTTP`);
      expect(error?.hint).toContain('use http://');
      expect(error?.hint).not.toMatch(/certificate/i);
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('finds the system error a wrapper hides in its cause chain', () => {
    const wrapped = new TypeError('fetch failed', {
      cause: systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND www.mee.gov.cn'),
    });
    const error = classifyFailure({ kind: 'thrown', error: wrapped }, context);
    expect(error?.code).toBe('FETCH_DNS');
    expect(error?.cause).toBe(wrapped);
  });

  it('unwraps failure signals thrown from streams', () => {
    const signal = new FetchFailureSignal({ kind: 'too-large', limitBytes: 10 });
    expect(classifyFailure({ kind: 'thrown', error: signal }, context)?.code).toBe('FETCH_TOO_LARGE');
  });

  it('returns undefined for a plain bug, so it is not disguised as a network failure', () => {
    expect(classifyFailure({ kind: 'thrown', error: new TypeError('x is not a function') }, context)).toBeUndefined();
  });

  it.each([
    [404, false, /moved or been removed/],
    [403, false, /block automated clients/],
    [401, false, /credentials/],
    [429, true, /rate limiting/],
    [500, false, /server problem/],
    [502, true, /server problem/],
    [503, true, /server problem/],
    [504, true, /server problem/],
    [418, false, /refused the request/],
  ] as const)('classifies HTTP %i', (status, retryable, hint) => {
    const error = classifyFailure({ kind: 'status', status }, { ...context, attempts: 3 });
    expect(error.code).toBe('FETCH_HTTP_STATUS');
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.hint).toMatch(hint);
    expect(error.message).toMatch(
      new RegExp(
        `^fetch: source "mee-news": HTTP ${status} from https://www\\.mee\\.gov\\.cn/ywdt/ \\(.+\\) after 3 attempts$`,
      ),
    );
  });

  it('formats the issue example exactly', () => {
    const error = classifyFailure({ kind: 'status', status: 503 }, { ...context, attempts: 3 });
    expect(error.message).toBe(
      'fetch: source "mee-news": HTTP 503 from https://www.mee.gov.cn/ywdt/ (Service Unavailable) after 3 attempts',
    );
  });

  const failures: Array<[Exclude<FetchFailure, { kind: 'thrown' }>, string]> = [
    [{ kind: 'body-deadline', timeoutMs: 60_000 }, 'FETCH_TIMEOUT'],
    [{ kind: 'headers-timeout', timeoutMs: 1_500 }, 'FETCH_TIMEOUT'],
    [{ kind: 'too-large', limitBytes: 1, declaredBytes: 2 }, 'FETCH_TOO_LARGE'],
    [{ kind: 'redirect-loop', chain: ['a', 'b', 'a'] }, 'FETCH_REDIRECT_LOOP'],
    [{ kind: 'too-many-redirects', limit: 5, chain: ['a'] }, 'FETCH_TOO_MANY_REDIRECTS'],
    [{ kind: 'bad-redirect', location: 'mailto:x' }, 'FETCH_INVALID_URL'],
    [{ kind: 'content-type', contentType: 'application/pdf', purpose: 'page' }, 'FETCH_CONTENT_TYPE'],
    [{ kind: 'content-encoding', encoding: 'zstd' }, 'FETCH_DECODE'],
    [{ kind: 'robots', userAgent: 'feedwright/0.1.0', robotsUrl: 'https://x/robots.txt', line: 3 }, 'FETCH_ROBOTS'],
    [{ kind: 'invalid-url', detail: 'not an absolute URL' }, 'FETCH_INVALID_URL'],
    [{ kind: 'closed' }, 'FETCH_CONNECTION'],
  ];
  it.each(failures)('classifies a %o failure', (failure, code) => {
    const error = classifyFailure(failure, context);
    expect(error.code).toBe(code);
    expect(error.hint).toBeTruthy();
    expect(error.message.startsWith('fetch: source "mee-news": ')).toBe(true);
  });
});
