import { describe, expect, it } from 'vitest';
import { renderOpml, type FeedListing } from '../../../src/feed/index.js';

const listings: FeedListing[] = [
  { id: 'air', kind: 'topic', title: '大气 & <空气>', homePageUrl: 'https://feeds.example.org/', itemCount: 3 },
  {
    id: 'mee-news',
    kind: 'source',
    title: '生态环境部 · 要闻动态',
    description: 'line1\nline2 "q"',
    homePageUrl: 'https://www.mee.gov.cn/ywdt/?a=1&b=2',
    itemCount: 20,
    language: 'zh-CN',
  },
];

describe('renderOpml', () => {
  it('lists every feed with its title and absolute RSS link under site.url, sources first', () => {
    const opml = renderOpml({ title: 'Env watch', url: 'https://feeds.example.org/env' }, listings);
    expect(opml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(opml).toContain('<title>Env watch</title>');
    expect(opml.indexOf('mee-news.rss.xml')).toBeLessThan(opml.indexOf('air.rss.xml'));
    expect(opml).toContain('xmlUrl="https://feeds.example.org/env/mee-news.rss.xml"');
    expect(opml).toContain('text="大气 &amp; &lt;空气&gt;"');
    expect(opml).toContain('htmlUrl="https://www.mee.gov.cn/ywdt/?a=1&amp;b=2"');
    expect(opml).toContain('description="line1 line2 &quot;q&quot;"');
    expect(opml).toContain('language="zh-CN"');
    expect(opml.match(/type="rss"/g)).toHaveLength(2);
  });

  it('uses relative links without site.url and leaves out empty groups', () => {
    const opml = renderOpml({ title: 'x' }, [listings[1] as FeedListing]);
    expect(opml).toContain('xmlUrl="mee-news.rss.xml"');
    expect(opml).not.toContain('专题');
    expect(opml).toContain('<outline text="来源 Sources"');
  });

  it('is stable for the same input', () => {
    expect(renderOpml({ title: 'x' }, listings)).toBe(renderOpml({ title: 'x' }, listings));
  });
});
