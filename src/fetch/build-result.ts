/**
 * Turns the final exchange of a fetch into a FetchResult: 304 → not-modified, an unchanged body
 * (the same compressed bytes as last time, or the same sha256 once decompressed) → not-modified
 * without decoding, anything else → a decoded page.
 *
 * Same-body is reported whenever the hash matches, even when the server also sent ETag or
 * Last-Modified: identical bytes extract to identical items, and many servers send validators
 * that change on every request.
 */
import { hash } from 'node:crypto';
import type { FetchRequest, FetchResult, FetchValidators } from '../model.js';
import { classifyFailure } from './classify-error.js';
import { isXmlType, judgeContentType, parseContentType, sniffMediaType } from './content-type.js';
import { decodeBody } from './decode-body.js';
import type { FetchTrace } from './fetcher-types.js';
import { headerValue, type Exchange, type ResponseHeaders } from './send-request.js';

/** Everything known at the end of a fetch. */
export interface ResultInput {
  request: FetchRequest;
  exchange: Exchange;
  finalUrl: URL;
  startedAt: number;
  trace: FetchTrace;
  now: () => number;
}

/**
 * Builds the result; `contentType` is the media type without parameters (sniffed when the server
 * sent none or text/plain). Throws FetchError (FETCH_CONTENT_TYPE) when a sniffed body is not wanted.
 */
export function buildResult(input: ResultInput): FetchResult {
  const { request, exchange } = input;
  const finishedAt = input.now();
  const outcome = {
    sourceId: request.sourceId,
    requestedUrl: request.url,
    finalUrl: input.finalUrl.href,
    fetchedAt: new Date(finishedAt),
    durationMs: finishedAt - input.startedAt,
    requests: input.trace.requests,
    waitMs: input.trace.waitMs,
  };
  if (exchange.status === 304) {
    const validators = withHeaderValidators({ ...request.validators }, exchange.headers);
    return { kind: 'not-modified', reason: 'http-304', ...outcome, status: 304, validators };
  }
  const validators = withHeaderValidators({}, exchange.headers);
  if (exchange.wireHash) validators.wireHash = exchange.wireHash;
  if (exchange.sameWire) {
    // The compressed bytes are the last page's: so is the body, whose digest is the last page's too.
    validators.bodyHash = request.validators?.bodyHash;
    return { kind: 'not-modified', reason: 'same-body', ...outcome, status: exchange.status, validators };
  }
  const body = exchange.body ?? Buffer.alloc(0);
  validators.bodyHash = hash('sha256', body, 'hex');
  if (request.validators?.bodyHash === validators.bodyHash) {
    return { kind: 'not-modified', reason: 'same-body', ...outcome, status: exchange.status, validators };
  }
  const header = headerValue(exchange.headers, 'content-type');
  const media = parseContentType(header);
  const accepted = media && judgeContentType(media, request.purpose) === 'accept';
  const contentType = accepted ? media.essence : sniffMediaType(body, request.purpose, media?.essence);
  if (!contentType) {
    const context = { sourceId: request.sourceId, url: input.finalUrl.href, attempts: 1, policy: request.policy };
    throw classifyFailure({ kind: 'content-type', contentType: header ?? '', purpose: request.purpose }, context);
  }
  const decoded = decodeBody(body, {
    contentTypeCharset: media?.charset,
    forcedCharset: request.policy.encoding,
    xml: isXmlType(contentType),
  });
  return {
    kind: 'fetched',
    ...outcome,
    status: exchange.status,
    contentType,
    charset: decoded.charset,
    body: decoded.text,
    bytes: body.length,
    warnings: decoded.warnings,
    validators,
  };
}

// --- Internal helpers ---

/**
 * Copies the response's ETag and Last-Modified into `validators`, replacing older ones. On a 304
 * this keeps last run's validators unless the 304 sent fresh ones (RFC 9111 §4.3.4).
 */
function withHeaderValidators(validators: FetchValidators, headers: ResponseHeaders): FetchValidators {
  const etag = headerValue(headers, 'etag');
  const lastModified = headerValue(headers, 'last-modified');
  if (etag) validators.etag = etag;
  if (lastModified) validators.lastModified = lastModified;
  return validators;
}
