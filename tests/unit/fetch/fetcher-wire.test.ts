import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RouteHandler } from '../../helpers/http-server.js';
import { oversizeBody, respond } from '../../helpers/knob-server.js';
import { captureFetchError, pageRequest, useFetchTestEnv } from './fetch-test-kit.js';

const PAGE = `<html><body><ul>${Array.from({ length: 200 }, (_, i) => `<li><a href="/n/${i}">关于第${i}号通知</a></li>`).join('')}</ul></body></html>`;

describe('fetcher on the wire: gzip sizing, error pages, informational responses', () => {
  const env = useFetchTestEnv();

  it('inflates a body of several gzip members (the trailer only sizes the last one)', async () => {
    const half = PAGE.length / 2;
    const body = Buffer.concat([gzipSync(PAGE.slice(0, half)), gzipSync(PAGE.slice(half))]);
    env.server.route('/members', respond(200, { 'content-encoding': 'gzip' }, body));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/members`));
    expect(result.kind === 'fetched' && result.body).toBe(PAGE);
  });

  it.each([
    ['smaller', 10],
    ['far larger', 0xffffffff],
  ])('reports a gzip body whose trailer announces a %s size as corrupt, not as a page', async (_label, announced) => {
    const body = gzipSync(PAGE);
    body.writeUInt32LE(announced, body.length - 4);
    env.server.route('/lying', respond(200, { 'content-encoding': 'gzip' }, body));
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/lying`, { retries: 0 })));
    expect(error.code).toBe('FETCH_DECODE');
  });

  it('keeps the status of an error page whose body is too big to drain, and closes that connection', async () => {
    const big = oversizeBody(8 * 1024 * 1024, { declareLength: false });
    env.server.route('/gone', (req, res, seen) => {
      res.statusCode = 404;
      return big(req, wrapWriteHead(res, 404), seen);
    });
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/gone`)));
    expect(error.code).toBe('FETCH_HTTP_STATUS');
    expect(error.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(big.bytesWritten()).toBeLessThan(4 * 1024 * 1024);
  });

  it('drains a small error page so its connection stays open for later requests', async () => {
    const ports: Array<number | undefined> = [];
    const recordPort =
      (status: number, body: string): RouteHandler =>
      (req, res, seen) => {
        ports.push(req.socket.remotePort);
        return respond(status, {}, body)(req, res, seen);
      };
    env.server.route('/missing', recordPort(404, 'not here'.repeat(100)));
    env.server.route('/page', recordPort(200, PAGE));
    await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/missing`)));
    // undici gives the request that follows at once a second connection; the next one finds the first free again.
    for (let i = 0; i < 2; i += 1)
      expect((await env.fetcher.fetch(pageRequest(`${env.server.origin}/page`))).kind).toBe('fetched');
    expect(ports).toHaveLength(3);
    expect(ports[2]).toBe(ports[0]);
  });

  it.each(['#top', '#'])('sends the URL without its fragment (%s) and reports it without one', async (fragment) => {
    env.server.route('/list', respond(200, { 'content-type': 'text/html; charset=utf-8' }, PAGE));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/list?page=1${fragment}`));
    expect(result.finalUrl).toBe(`${env.server.origin}/list?page=1`);
    expect(env.server.requests.map((r) => r.path)).toEqual(['/list']);
  });

  it('waits past an informational 102 response for the final one', async () => {
    env.server.route('/slowly', (_req, res) => {
      res.writeProcessing();
      setTimeout(() => void respond(200, {}, PAGE)(_req, res, undefined as never), 20);
    });
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/slowly`));
    expect(result.kind === 'fetched' && result.body).toBe(PAGE);
  });
});

// --- Internal helpers ---

/** Makes a handler that writes 200 headers write `status` instead. */
function wrapWriteHead(res: ServerResponse, status: number): ServerResponse {
  const writeHead = res.writeHead.bind(res) as (code: number, headers?: Record<string, string>) => ServerResponse;
  (res as unknown as { writeHead: (code: number, headers?: Record<string, string>) => ServerResponse }).writeHead = (
    _code,
    headers,
  ) => writeHead(status, headers);
  return res;
}
