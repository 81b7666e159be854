import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveBytes } from '../../helpers/http-server.js';
import { compressed } from '../../helpers/knob-server.js';
import { pageRequest, useFetchTestEnv } from './fetch-test-kit.js';

const BODY = '<html><body><ul><li><a href="/1">生态环境部印发《通知》</a> 2019-08-27</li></ul></body></html>';

/** A server-side conditional GET: 304 when the client's validator matches. */
function conditional(validator: { etag?: string; lastModified?: string }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const etagMatches = validator.etag !== undefined && req.headers['if-none-match'] === validator.etag;
    const dateMatches =
      validator.lastModified !== undefined && req.headers['if-modified-since'] === validator.lastModified;
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (validator.etag) headers.etag = validator.etag;
    if (validator.lastModified) headers['last-modified'] = validator.lastModified;
    if (etagMatches || dateMatches) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, headers).end(BODY);
  };
}

describe('fetcher conditional GET', () => {
  const env = useFetchTestEnv();

  it('sends If-None-Match and reports a 304 as not-modified, keeping the validators', async () => {
    env.server.route('/etag', conditional({ etag: '"v1"' }));
    const first = await env.fetcher.fetch(pageRequest(`${env.server.origin}/etag`));
    expect(first.kind).toBe('fetched');
    expect(first.validators.etag).toBe('"v1"');
    const second = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/etag`, {}, { validators: first.validators }),
    );
    expect(second).toMatchObject({
      kind: 'not-modified',
      reason: 'http-304',
      status: 304,
      validators: first.validators,
    });
    expect(env.server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(env.fetcher.stats().notModified).toBe(1);
  });

  it('sends If-Modified-Since and reports a 304 as not-modified', async () => {
    const lastModified = 'Tue, 27 Aug 2019 08:00:00 GMT';
    env.server.route('/lm', conditional({ lastModified }));
    const first = await env.fetcher.fetch(pageRequest(`${env.server.origin}/lm`));
    expect(first.validators).toMatchObject({ lastModified });
    const second = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/lm`, {}, { validators: first.validators }),
    );
    expect(second).toMatchObject({ kind: 'not-modified', reason: 'http-304' });
    expect(env.server.requests[1]?.headers['if-modified-since']).toBe(lastModified);
    expect(env.server.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('takes a fresh ETag from a 304 while keeping the body hash', async () => {
    env.server.route('/rotate', (_req, res) => void res.writeHead(304, { etag: '"v2"' }).end());
    const previous = { etag: '"v1"', bodyHash: 'abc' };
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/rotate`, {}, { validators: previous }));
    expect(result.validators).toEqual({ etag: '"v2"', bodyHash: 'abc' });
  });

  it('reports an identical body as same-body without decoding it', async () => {
    env.server.route('/plain', serveBytes(BODY));
    const first = await env.fetcher.fetch(pageRequest(`${env.server.origin}/plain`));
    expect(first.validators.bodyHash).toBe(createHash('sha256').update(BODY).digest('hex'));
    expect(first.validators.etag).toBeUndefined();
    const second = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/plain`, {}, { validators: first.validators }),
    );
    expect(second).toMatchObject({ kind: 'not-modified', reason: 'same-body', status: 200 });
    expect(second.validators.bodyHash).toBe(first.validators.bodyHash);
    expect(env.server.count('/plain')).toBe(2);
  });

  it('hashes the decompressed body, so gzip and identity copies of one page match', async () => {
    env.server.route('/gz', compressed(BODY, 'gzip'));
    env.server.route('/raw', serveBytes(BODY));
    const zipped = await env.fetcher.fetch(pageRequest(`${env.server.origin}/gz`));
    const again = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/raw`, {}, { validators: zipped.validators }),
    );
    expect(again).toMatchObject({ kind: 'not-modified', reason: 'same-body' });
  });

  it('recognises the same compressed bytes as the same body before decompressing them', async () => {
    env.server.route('/gz', compressed(BODY, 'gzip'));
    const first = await env.fetcher.fetch(pageRequest(`${env.server.origin}/gz`));
    expect(first.validators.wireHash).toMatch(/^[0-9a-f]{64}$/);
    // A body hash that no decompressed body matches: only the wire digest can say "same".
    const validators = { ...first.validators, bodyHash: 'not-of-this-body' };
    const again = await env.fetcher.fetch(pageRequest(`${env.server.origin}/gz`, {}, { validators }));
    expect(again).toMatchObject({ kind: 'not-modified', reason: 'same-body', status: 200 });
    expect(again.validators).toMatchObject({ wireHash: first.validators.wireHash, bodyHash: 'not-of-this-body' });
  });

  it('decompresses changed compressed bytes: a changed page is fetched, the same page in other bytes is same-body', async () => {
    env.server.route('/gz', compressed(BODY, 'gzip'));
    const first = await env.fetcher.fetch(pageRequest(`${env.server.origin}/gz`));
    env.server.route('/changed', compressed(BODY.replace('通知', '公告'), 'gzip'));
    const changed = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/changed`, {}, { validators: first.validators }),
    );
    expect(changed.kind).toBe('fetched');
    expect(changed.validators.wireHash).not.toBe(first.validators.wireHash);
    // The same page compressed otherwise (another server, a gzip timestamp): decompressed, then the same body.
    env.server.route('/br', compressed(BODY, 'br'));
    const other = await env.fetcher.fetch(pageRequest(`${env.server.origin}/br`, {}, { validators: first.validators }));
    expect(other).toMatchObject({ kind: 'not-modified', reason: 'same-body' });
    expect(other.validators.bodyHash).toBe(first.validators.bodyHash);
    expect(other.validators.wireHash).not.toBe(first.validators.wireHash);
  });

  it('returns the page when the body changed', async () => {
    env.server.route('/plain', serveBytes(BODY));
    const result = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/plain`, {}, { validators: { bodyHash: 'stale' } }),
    );
    expect(result.kind).toBe('fetched');
  });
});
