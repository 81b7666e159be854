import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { serveBytes } from '../../helpers/http-server.js';
import { compressed, oversizeBody, respond } from '../../helpers/knob-server.js';
import { captureFetchError, pageRequest, useFetchTestEnv } from './fetch-test-kit.js';

const ZH_PAGE = [
  '<html><head><title>生态环境部 要闻动态</title></head><body><ul>',
  '<li><a href="/1">生态环境部印发《关于进一步加强重金属污染防控的意见》</a> 2019-08-27</li>',
  '<li><a href="/2">关于开展2019年全国生态环境执法大练兵活动的通知</a> 2019-08-26</li>',
  '<li><a href="/3">生态环境部召开部常务会议 审议并原则通过《长江保护修复攻坚战行动计划》</a> 2019-08-25</li>',
  '</ul></body></html>',
].join('\n');

describe('fetcher content handling', () => {
  const env = useFetchTestEnv();

  it.each(['gzip', 'br', 'deflate', 'deflate-raw'] as const)(
    'decodes a %s body and asks for compression',
    async (encoding) => {
      env.server.route('/z', compressed(ZH_PAGE, encoding));
      const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/z`));
      expect(result.kind === 'fetched' && result.body).toBe(ZH_PAGE);
      expect(result.kind === 'fetched' && result.bytes).toBe(Buffer.byteLength(ZH_PAGE));
      expect(env.server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
      expect(env.fetcher.stats().bytes).toBeLessThan(Buffer.byteLength(ZH_PAGE));
    },
  );

  it('caps the decompressed size too (a small gzip bomb is too large)', async () => {
    env.server.route('/bomb', compressed(Buffer.alloc(5 * 1024 * 1024, 'a'), 'gzip'));
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/bomb`, { maxBytes: 1024 * 1024 })),
    );
    expect(error.code).toBe('FETCH_TOO_LARGE');
    expect(error.message).toContain('decompressed body over limit 1048576 bytes');
  });

  it('reports a corrupt compressed body', async () => {
    env.server.route('/broken', respond(200, { 'content-encoding': 'gzip' }, Buffer.from('definitely not gzip')));
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/broken`)));
    expect(error.code).toBe('FETCH_DECODE');
    expect(error.message).toContain('Content-Encoding gzip');
  });

  it.each([
    ['image/png', 'page'],
    ['application/pdf', 'page'],
    ['application/zip', 'page'],
    ['application/rss+xml', 'detail'],
    ['application/json', 'detail'],
  ] as const)('rejects %s for a %s without downloading the body', async (type, purpose) => {
    const big = oversizeBody(20 * 1024 * 1024, { declareLength: false, contentType: type });
    env.server.route('/file', big);
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/file`, {}, { purpose })));
    expect(error.code).toBe('FETCH_CONTENT_TYPE');
    expect(error.message).toContain(type);
    expect(error.hint).toMatch(/does not point to a web page or feed/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(big.bytesWritten()).toBeLessThan(10 * 1024 * 1024);
  });

  it.each([
    ['text/html; charset=utf-8', 'text/html'],
    ['application/xhtml+xml', 'application/xhtml+xml'],
    ['application/rss+xml', 'application/rss+xml'],
    ['application/atom+xml; charset=UTF-8', 'application/atom+xml'],
    ['text/xml', 'text/xml'],
    ['application/feed+json', 'application/feed+json'],
  ])('accepts %s for a page', async (header, essence) => {
    env.server.route('/ok', serveBytes('<?xml version="1.0"?><rss></rss>', { 'content-type': header }));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/ok`));
    expect(result.kind === 'fetched' && result.contentType).toBe(essence);
  });

  it('sniffs text/plain and missing types: HTML is accepted, plain text is not', async () => {
    env.server.route(
      '/plain-html',
      serveBytes('  <!DOCTYPE html><html><body>hi</body></html>', { 'content-type': 'text/plain' }),
    );
    env.server.route('/no-type', (_req, res) => {
      res.removeHeader('content-type');
      res.end('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"></rss>');
    });
    env.server.route('/plain-text', serveBytes('just some words', { 'content-type': 'text/plain' }));
    const html = await env.fetcher.fetch(pageRequest(`${env.server.origin}/plain-html`));
    expect(html.kind === 'fetched' && html.contentType).toBe('text/html');
    const xml = await env.fetcher.fetch(pageRequest(`${env.server.origin}/no-type`));
    expect(xml.kind === 'fetched' && xml.contentType).toBe('application/xml');
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/plain-text`)));
    expect(error.code).toBe('FETCH_CONTENT_TYPE');
    expect(error.message).toContain('text/plain');
  });

  it('decodes GBK with and without a declared charset', async () => {
    const bytes = iconv.encode(ZH_PAGE, 'gbk');
    env.server.route('/gbk-header', serveBytes(bytes, { 'content-type': 'text/html; charset=GBK' }));
    env.server.route('/gbk-bare', serveBytes(bytes, { 'content-type': 'text/html' }));
    for (const path of ['/gbk-header', '/gbk-bare']) {
      const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}${path}`));
      expect(result.kind === 'fetched' && result.body).toBe(ZH_PAGE);
      expect(result.kind === 'fetched' && result.charset).toBe('gb18030');
    }
  });

  const LOCALES = [
    ['gb18030', `${ZH_PAGE.replace('<title>', '<title>㐀𠀀 ')}`, 'gb18030'],
    [
      'big5-hkscs',
      ZH_PAGE.replace(
        '<ul>',
        '<ul><li>香港特別行政區政府環境保護署：嘅啲空氣質素健康指數今日處於低至中水平</li>',
      ).replace(/生态环境部/g, '環境保護署'),
      'big5-hkscs',
    ],
    [
      'shift_jis',
      '<html><head><title>環境省 報道発表</title></head><body><ul><li>気候変動に関する新しい報告書を公表しました。詳細はこちらをご覧ください。</li><li>大気汚染防止法の一部を改正する法律について</li></ul></body></html>',
      'shift_jis',
    ],
  ] as const;

  it.each(LOCALES)(
    'decodes a %s page declared in the header, in <meta>, and not at all',
    async (encoding, text, charset) => {
      const bytes = iconv.encode(text, encoding);
      const withMeta = iconv.encode(
        text.replace('<head>', `<head><meta http-equiv="Content-Type" content="text/html; charset=${encoding}">`),
        encoding,
      );
      env.server.route('/header', serveBytes(bytes, { 'content-type': `text/html; charset=${encoding}` }));
      env.server.route('/meta', serveBytes(withMeta, { 'content-type': 'text/html' }));
      env.server.route('/bare', serveBytes(bytes, { 'content-type': 'text/html' }));
      for (const path of ['/header', '/meta', '/bare']) {
        const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}${path}`));
        if (result.kind !== 'fetched') throw new Error('expected a page');
        expect(result.charset).toBe(charset);
        expect(result.body).toContain(text.slice(text.indexOf('<body>'), text.indexOf('<body>') + 40));
        expect(result.warnings).toEqual([]);
      }
    },
  );

  it('decodes GB18030 four-byte characters on a page declared as GB2312', async () => {
    const text = ZH_PAGE.replace('<title>', '<meta charset="gb2312"><title>㐀𠀀 ');
    env.server.route('/gb', serveBytes(iconv.encode(text, 'gb18030'), { 'content-type': 'text/html' }));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/gb`));
    expect(result.kind === 'fetched' && result.body).toContain('㐀𠀀 生态环境部');
    expect(result.kind === 'fetched' && result.warnings).toEqual([]);
  });

  it('decodes a page whose header says UTF-8 but whose bytes are GBK, with a warning naming both', async () => {
    env.server.route('/liar', serveBytes(iconv.encode(ZH_PAGE, 'gbk'), { 'content-type': 'text/html; charset=utf-8' }));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/liar`));
    if (result.kind !== 'fetched') throw new Error('expected a page');
    expect(result.body).toBe(ZH_PAGE);
    expect(result.charset).toBe('gb18030');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.message).toMatch(/Content-Type header declares utf-8 .* gb18030/);
  });

  it('lets the source encoding setting override detection', async () => {
    const big5 = iconv.encode('<p>香港環境保護署 嘅 空氣質素</p>', 'big5-hkscs');
    env.server.route('/forced', serveBytes(big5, { 'content-type': 'text/html; charset=utf-8' }));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/forced`, { encoding: 'big5' }));
    expect(result.kind === 'fetched' && result.body).toBe('<p>香港環境保護署 嘅 空氣質素</p>');
    expect(result.kind === 'fetched' && result.charset).toBe('big5-hkscs');
  });
});
