/**
 * Turns the final exchange of a fetch into a FetchResult: 304 → not-modified, an unchanged body
 * (same sha256 as last time) → not-modified without decoding, anything else → a decoded page.
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
  // Each outcome is built as one literal (no spreads): this runs once per fetch, 304s included.
  if (exchange.status === 304) {
    return {
      kind: 'not-modified',
      reason: 'http-304',
      sourceId: request.sourceId,
      requestedUrl: request.url,
      finalUrl: input.finalUrl.href,
      status: 304,
      fetchedAt: new Date(finishedAt),
      durationMs: finishedAt - input.startedAt,
      requests: input.trace.requests,
      validators: refreshValidators(request.validators, exchange.headers),
    };
  }
  const body = exchange.body ?? Buffer.alloc(0);
  const validators = readValidators(exchange.headers, hashBody(body));
  if (request.validators?.bodyHash === validators.bodyHash) {
    return {
      kind: 'not-modified',
      reason: 'same-body',
      sourceId: request.sourceId,
      requestedUrl: request.url,
      finalUrl: input.finalUrl.href,
      status: exchange.status,
      fetchedAt: new Date(finishedAt),
      durationMs: finishedAt - input.startedAt,
      requests: input.trace.requests,
      validators,
    };
  }
  const header = headerValue(exchange.headers, 'content-type');
  const media = parseContentType(header);
  const accepted = media && judgeContentType(media, request.purpose) === 'accept';
  const contentType = accepted ? media.essence : sniffMediaType(body, request.purpose, media?.essence);
  if (!contentType) {
    const context = { sourceId: request.sourceId, url: input.finalUrl.href, attempts: 1, policy: request.policy };
    throw classifyFailure({ kind: 'content-type', contentType: header ?? '', purpose: request.purpose }, context);
  }
  const decoded = decodeBody(body, { contentTypeCharset: media?.charset, forcedCharset: request.policy.encoding, xml: isXmlType(contentType) });
  return {
    kind: 'fetched',
    sourceId: request.sourceId,
    requestedUrl: request.url,
    finalUrl: input.finalUrl.href,
    status: exchange.status,
    fetchedAt: new Date(finishedAt),
    durationMs: finishedAt - input.startedAt,
    requests: input.trace.requests,
    contentType,
    charset: decoded.charset,
    body: decoded.text,
    bytes: body.length,
    warnings: decoded.warnings,
    validators,
  };
}

/** sha256 of the decompressed body, hex. */
export function hashBody(body: Buffer): string {
  return hash('sha256', body, 'hex');
}

// --- Internal helpers ---

function readValidators(headers: ResponseHeaders, bodyHash: string): FetchValidators {
  const validators: FetchValidators = {};
  const etag = headerValue(headers, 'etag');
  const lastModified = headerValue(headers, 'last-modified');
  if (etag) validators.etag = etag;
  if (lastModified) validators.lastModified = lastModified;
  validators.bodyHash = bodyHash;
  return validators;
}

/** A 304 keeps last run's validators; a fresh ETag or Last-Modified on the 304 replaces the old one (RFC 9111 §4.3.4). */
function refreshValidators(previous: FetchValidators | undefined, headers: ResponseHeaders): FetchValidators {
  const validators: FetchValidators = { ...previous };
  const etag = headerValue(headers, 'etag');
  const lastModified = headerValue(headers, 'last-modified');
  if (etag) validators.etag = etag;
  if (lastModified) validators.lastModified = lastModified;
  return validators;
}
