import { describe, expect, it } from 'vitest';
import { renderIndexPage, type FeedListing } from '../../../src/feed/index.js';

const listings: FeedListing[] = [
  {
    id: 'mee-news',
    kind: 'source',
    title: '生态环境部 · 要闻动态',
    description: '<script>alert(1)</script>',
    homePageUrl: 'https://www.mee.gov.cn/ywdt/',
    updated: new Date('2024-05-01T07:00:00Z'),
    itemCount: 20,
    checkedAt: new Date('2024-05-01T07:55:00Z'),
    health: { sourceId: 'mee-news', status: 'ok', lastFound: 20, lastNew: 2, consecutiveFailures: 0 },
    headlines: Array.from({ length: 7 }, (_, n) => ({
      title: `要闻 ${n} <b>`,
      link: `https://www.mee.gov.cn/ywdt/${n}.shtml`,
      published: new Date(Date.parse('2024-05-01T07:00:00Z') - n * 86_400_000),
    })),
  },
  {
    id: 'same',
    kind: 'source',
    title: 'Same title',
    description: 'Same  title',
    homePageUrl: 'https://same.example/',
    itemCount: 1,
    health: { sourceId: 'same', status: 'not-modified', lastFound: 1, lastNew: 0, consecutiveFailures: 0 },
    headlines: [{ title: 'linkless', published: new Date('2024-05-01T07:00:00Z') }],
  },
  {
    id: 'broken',
    kind: 'source',
    title: 'Broken',
    homePageUrl: 'https://broken.example/',
    itemCount: 5,
    health: {
      sourceId: 'broken',
      status: 'failing',
      lastFound: 0,
      lastNew: 0,
      consecutiveFailures: 4,
      failingSince: '2024-04-29T01:00:00.000Z',
      lastError: { code: 'FETCH_HTTP_STATUS', message: 'fetch: source "broken": HTTP 503', hint: 'Try later' },
    },
  },
  {
    id: 'layout',
    kind: 'source',
    title: 'Layout',
    homePageUrl: 'https://layout.example/',
    itemCount: 5,
    health: {
      sourceId: 'layout',
      status: 'degraded',
      lastFound: 0,
      lastNew: 0,
      consecutiveFailures: 0,
      degradedReason: 'page yielded 0 items (used to yield 20)',
    },
  },
  { id: 'air', kind: 'topic', title: '大气', homePageUrl: 'https://feeds.example.org/', itemCount: 7 },
];

describe('renderIndexPage', () => {
  const html = renderIndexPage(
    { title: 'Env & watch', url: 'https://feeds.example.org/', language: 'zh-CN' },
    listings,
    new Date('2024-05-01T08:00:00Z'),
    { timeZone: 'Asia/Shanghai' },
  );

  it('lists every feed with its RSS, Atom and JSON links, item count, check time and newest item', () => {
    for (const id of ['mee-news', 'broken', 'layout', 'air']) {
      for (const suffix of ['rss.xml', 'atom.xml', 'feed.json'])
        expect(html).toContain(`href="https://feeds.example.org/${id}.${suffix}"`);
    }
    expect(html).toContain(
      '上次检查 <span class="en" lang="en">Checked</span></dt><dd><time datetime="2024-05-01T07:55:00.000Z">2024-05-01 15:55 UTC+08:00</time>',
    );
    expect(html).toContain(
      '最新条目 <span class="en" lang="en">Newest item</span></dt><dd><time datetime="2024-05-01T07:00:00.000Z">2024-05-01 15:00 UTC+08:00</time>',
    );
    expect(html).toContain('<dd>20</dd>');
    expect(html).toContain('href="feeds.opml"');
  });

  it('shows the newest five headlines of each feed, linked when they have a link', () => {
    const card = html.slice(html.indexOf('id="feed-mee-news"'), html.indexOf('id="feed-same"'));
    expect(card.match(/<ol class="headlines">[\s\S]*?<\/ol>/)?.[0].match(/<li>/g)).toHaveLength(5);
    expect(card).toContain(
      '<li><a href="https://www.mee.gov.cn/ywdt/0.shtml">要闻 0 &lt;b&gt;</a> <time datetime="2024-05-01T07:00:00.000Z">05-01</time></li>',
    );
    expect(card).not.toContain('要闻 5');
    expect(html).toContain('<li>linkless <time');
  });

  it('drops a description equal to the title', () => {
    const card = html.slice(html.indexOf('id="feed-same"'), html.indexOf('id="feed-broken"'));
    expect(card).not.toContain('class="desc"');
  });

  it('shows each source’s health in subscriber words, with the reason and the hint for a failing source', () => {
    expect(html).toContain('status-ok">正常更新 <span lang="en">Working</span>');
    const same = html.slice(html.indexOf('id="feed-same"'), html.indexOf('id="feed-broken"'));
    expect(same).toContain('status-ok">正常更新 <span lang="en">Working</span>');
    expect(html).toContain(
      'status-failing">暂停更新 <span lang="en">Not updating</span>，始于 <span lang="en">since</span> <time datetime="2024-04-29T01:00:00.000Z">2024-04-29 09:00 UTC+08:00</time>',
    );
    expect(html).toContain('原因 <span lang="en">Why</span>: fetch: source &quot;broken&quot;: HTTP 503');
    expect(html).toContain('建议 <span lang="en">What to do</span>: Try later');
    expect(html).toContain(
      'status-degraded">网页可能已改版，暂无新条目 <span lang="en">The page changed; no new items for now</span>',
    );
    expect(html).toContain('page yielded 0 items (used to yield 20)');
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
