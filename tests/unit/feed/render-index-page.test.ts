import { describe, expect, it } from 'vitest';
import { renderIndexPage, type FeedListing } from '../../../src/feed/index.js';

const listings: FeedListing[] = [
  {
    id: 'mee-news', kind: 'source', title: '生态环境部 · 要闻动态', description: '<script>alert(1)</script>', homePageUrl: 'https://www.mee.gov.cn/ywdt/',
    updated: new Date('2024-05-01T07:00:00Z'), itemCount: 20,
    health: { sourceId: 'mee-news', status: 'ok', lastFound: 20, lastNew: 2, consecutiveFailures: 0 },
  },
  {
    id: 'broken', kind: 'source', title: 'Broken', homePageUrl: 'https://broken.example/', itemCount: 5,
    health: { sourceId: 'broken', status: 'failing', lastFound: 0, lastNew: 0, consecutiveFailures: 4, failingSince: '2024-04-29T01:00:00.000Z', lastError: { code: 'FETCH_HTTP_STATUS', message: 'fetch: source "broken": HTTP 503', hint: 'Try later' } },
  },
  {
    id: 'layout', kind: 'source', title: 'Layout', homePageUrl: 'https://layout.example/', itemCount: 5,
    health: { sourceId: 'layout', status: 'degraded', lastFound: 0, lastNew: 0, consecutiveFailures: 0, degradedReason: 'page yielded 0 items (used to yield 20)' },
  },
  { id: 'air', kind: 'topic', title: '大气', homePageUrl: 'https://feeds.example.org/', itemCount: 7 },
];

describe('renderIndexPage', () => {
  const html = renderIndexPage({ title: 'Env & watch', url: 'https://feeds.example.org/', language: 'zh-CN' }, listings, new Date('2024-05-01T08:00:00Z'), { timeZone: 'Asia/Shanghai' });

  it('lists every feed with its RSS, Atom and JSON links, item count and last update', () => {
    for (const id of ['mee-news', 'broken', 'layout', 'air']) {
      for (const suffix of ['rss.xml', 'atom.xml', 'feed.json']) expect(html).toContain(`href="https://feeds.example.org/${id}.${suffix}"`);
    }
    expect(html).toContain('<time datetime="2024-05-01T07:00:00.000Z">2024-05-01 15:00 UTC+08:00</time>');
    expect(html).toContain('<dd>20</dd>');
    expect(html).toContain('href="feeds.opml"');
  });

  it('shows each source’s health with bilingual labels', () => {
    expect(html).toContain('status-ok">正常 <span lang="en">OK</span>');
    expect(html).toContain('status-failing">失败，始于 <span lang="en">Failing since</span> <time datetime="2024-04-29T01:00:00.000Z">2024-04-29 09:00 UTC+08:00</time>');
    expect(html).toContain('fetch: source &quot;broken&quot;: HTTP 503 — Try later');
    expect(html).toContain('status-degraded">异常 <span lang="en">Degraded</span>');
    expect(html).toContain('page yielded 0 items (used to yield 20)');
    expect(html).toContain('最后更新 <span class="en" lang="en">Last update</span>');
  });

  it('escapes text, has no script and no external assets', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(?:link|img|script)[^>]+(?:src|href)="https?:/i);
    expect(html).toContain('<title>Env &amp; watch</title>');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta name="viewport"');
  });

  it('uses relative feed links without site.url', () => {
    const relative = renderIndexPage({ title: 't' }, listings, new Date(0));
    expect(relative).toContain('href="air.rss.xml"');
    expect(relative).toContain('UTC+00:00');
  });
});
