import { describe, expect, it } from 'vitest';
import { JSON_FEED_VERSION, renderFeed, type FeedMeta } from '../../../src/feed/index.js';
import { storedItem } from './fixtures.js';

const meta: FeedMeta = {
  id: 'mee-news',
  title: '生态环境部 · 要闻动态',
  description: '要闻',
  homePageUrl: 'https://www.mee.gov.cn/ywdt/',
  siteUrl: 'https://feeds.example.org/env',
  language: 'zh-CN',
  ttlMinutes: 30,
  image: 'https://www.mee.gov.cn/logo.png',
  icon: 'https://www.mee.gov.cn/favicon.ico',
  maxItems: 3,
};

function items() {
  return [storedItem(1, 30), storedItem(2, 1), storedItem(3, 5), storedItem(4, 2), storedItem(5, 50)];
}

describe('renderFeed', () => {
  it('is byte-stable and independent of input order', () => {
    const a = renderFeed(meta, items());
    const b = renderFeed(meta, items().reverse());
    expect(b).toEqual(a);
  });

  it('shows the newest maxItems, newest first, and dates the feed by its newest item', () => {
    const feed = renderFeed(meta, items());
    expect(feed.itemCount).toBe(3);
    const json = JSON.parse(feed.json) as { items: Array<{ title: string }> };
    expect(json.items.map((i) => i.title)).toEqual(['生态环境部通知 2', '生态环境部通知 4', '生态环境部通知 3']);
    expect(feed.updated).toEqual(new Date('2024-05-01T07:00:00Z'));
    expect(feed.rss).toContain('<lastBuildDate>Wed, 01 May 2024 07:00:00 GMT</lastBuildDate>');
    expect(feed.atom).toMatch(
      /<feed [^>]*>\s*<id>[^<]+<\/id>\s*<title>[^<]+<\/title>\s*<updated>2024-05-01T07:00:00.000Z<\/updated>/,
    );
  });

  it('moves the feed date when a title change moves an item’s updatedAt', () => {
    const changed = items().map((i) =>
      i.id === 'id3' ? { ...i, title: '更正', updatedAt: new Date('2024-05-01T09:00:00Z') } : i,
    );
    const feed = renderFeed(meta, changed);
    expect(feed.updated).toEqual(new Date('2024-05-01T09:00:00Z'));
    expect(feed.atom).toContain('<updated>2024-05-01T09:00:00.000Z</updated>');
    expect(feed.rss).toContain('<pubDate>Wed, 01 May 2024 03:00:00 GMT</pubDate>');
  });

  it('writes JSON Feed 1.1 with ids, urls and date_published on every item', () => {
    const json = JSON.parse(renderFeed(meta, items()).json) as Record<string, unknown> & {
      items: Array<Record<string, unknown>>;
    };
    expect(json.version).toBe(JSON_FEED_VERSION);
    expect(json).toMatchObject({
      feed_url: 'https://feeds.example.org/env/mee-news.feed.json',
      language: 'zh-CN',
      authors: [{ name: meta.title }],
      icon: meta.image,
      favicon: meta.icon,
    });
    for (const item of json.items) {
      expect(item.id).toBe(item.url);
      expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
      expect(typeof (item.content_text ?? item.content_html)).toBe('string');
    }
  });

  it('uses the link as a permalink GUID, and a URN GUID with the home page link when there is no link', () => {
    const { link: _unused, ...linkless } = storedItem(9, 0);
    const feed = renderFeed({ ...meta, maxItems: 10 }, [storedItem(1, 1), linkless]);
    expect(feed.rss).toContain('<guid isPermaLink="true">https://www.mee.gov.cn/ywdt/1.shtml</guid>');
    expect(feed.rss).toContain('<guid isPermaLink="false">urn:feedwright:mee:id9</guid>');
    expect(feed.rss).toMatch(/<title>生态环境部通知 9<\/title>\s*<link>https:\/\/www\.mee\.gov\.cn\/ywdt\/<\/link>/);
    expect(feed.atom).toContain('<id>urn:feedwright:mee:id9</id>');
  });

  it('writes self links from site.url, ttl, language, image and icon', () => {
    const feed = renderFeed(meta, items());
    expect(feed.rss).toContain(
      '<atom:link href="https://feeds.example.org/env/mee-news.rss.xml" rel="self" type="application/rss+xml"/>',
    );
    expect(feed.atom).toContain('<link rel="self" href="https://feeds.example.org/env/mee-news.atom.xml"/>');
    expect(feed.rss).toContain('<ttl>30</ttl>');
    expect(feed.rss).toContain('<language>zh-CN</language>');
    expect(feed.atom).toContain('xml:lang="zh-CN"');
    expect(feed.rss).toContain('<url>https://www.mee.gov.cn/logo.png</url>');
    expect(feed.atom).toContain('<icon>https://www.mee.gov.cn/favicon.ico</icon>');
    const bare = renderFeed({ id: 'x', title: 'x', homePageUrl: 'https://e.org/', maxItems: 5 }, items());
    expect(bare.rss).not.toContain('rel="self"');
    expect(bare.rss).not.toContain('<ttl>');
    expect(JSON.parse(bare.json)).not.toHaveProperty('feed_url');
  });

  it('never writes an RSS <author>; uses dc:creator with its namespace, and Atom authors', () => {
    const feed = renderFeed(meta, [storedItem(1, 1, { author: '办公厅' })]);
    expect(feed.rss).not.toMatch(/<author>/);
    expect(feed.rss).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
    expect(feed.rss).toContain('<dc:creator>办公厅</dc:creator>');
    expect(feed.atom).toMatch(/<feed[^>]*>[\s\S]*?<author>\s*<name>生态环境部 · 要闻动态<\/name>/);
    expect(feed.atom).toMatch(/<entry>[\s\S]*<author>\s*<name>办公厅<\/name>/);
  });

  it('removes characters XML 1.0 forbids and normalises to NFC', () => {
    const title = 'Cafe\u0301 \u0001\u0008\u000B\u001F\uFFFE bad\uD800 end \u{1F600} שלום 中文';
    const feed = renderFeed(meta, [storedItem(1, 1, { title, summary: 'a\u0000b' })]);
    for (const doc of [feed.rss, feed.atom, feed.json]) {
      expect(doc).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      expect(doc).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(JSON.parse(feed.json).items[0].title).toBe('Café  bad end \u{1F600} שלום 中文'.replace('  ', ' '));
  });

  it('keeps every `]]>` inside CDATA closed and escapes markup in plain summaries', () => {
    const feed = renderFeed(meta, [
      storedItem(1, 1, { title: 'a ]]> b ]]> c ]]> d', summary: '<b>not html</b> & more' }),
    ]);
    expect(feed.rss).toContain('<title>a ]]&gt; b ]]&gt; c ]]&gt; d</title>');
    expect(feed.rss).toContain('<description><![CDATA[&lt;b&gt;not html&lt;/b&gt; &amp; more]]></description>');
    const html = renderFeed(meta, [storedItem(1, 1, { summary: '<p>x ]]> y ]]> z</p>', summaryIsHtml: true })]);
    expect(html.rss).toContain('<description><![CDATA[<p>x ]]]]><![CDATA[> y ]]]]><![CDATA[> z</p>]]></description>');
    expect(feed.atom).toContain('<title type="text">a ]]&gt; b ]]&gt; c ]]&gt; d</title>');
  });

  it('writes plain-text fields as escaped text, never CDATA, and keeps a literal `&amp;` literal', () => {
    const title = '</title><script>alert(1)</script> &amp; AT&T';
    const feed = renderFeed({ ...meta, title: 'Feed &amp; <b>' }, [
      storedItem(1, 1, { title, author: '<i>办公厅</i> &amp;' }),
    ]);
    const escaped = '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; AT&amp;T';
    expect(feed.rss).toContain(`<title>${escaped}</title>`);
    expect(feed.rss).toContain('<dc:creator>&lt;i&gt;办公厅&lt;/i&gt; &amp;amp;</dc:creator>');
    expect(feed.rss).toContain('<title>Feed &amp;amp; &lt;b&gt;</title>');
    expect(feed.atom).toContain(`<title type="text">${escaped}</title>`);
    for (const doc of [feed.rss, feed.atom]) expect(doc).not.toMatch(/<(title|dc:creator|name)[^>]*><!\[CDATA\[/);
    expect(feed.rss).not.toContain('\u0001');
  });

  it('writes Atom entry ids as feed does, `&` escaped once, also when a summary holds the id placeholders', () => {
    const ids = (atom: string) =>
      [...atom.matchAll(/<entry>\s*<title[^>]*>[^<]*<\/title>\s*<id>([^<]*)<\/id>/g)].map((m) => m[1]);
    const linked = renderFeed(meta, [
      storedItem(1, 1, { link: 'https://www.mee.gov.cn/list?a=1&b=2' }),
      storedItem(2, 2, { link: 'https://www.mee.gov.cn/list?q=a&amp;b' }),
    ]);
    expect(ids(linked.atom)).toEqual([
      'https://www.mee.gov.cn/list?a=1&amp;b=2',
      'https://www.mee.gov.cn/list?q=a&amp;amp;b',
    ]);
    // Entry ids reach xml-js as placeholders `x:<n>` (render-xml-feeds.ts); a summary with that markup
    // keeps its text, and every entry keeps its own id.
    const hostile = renderFeed(meta, [
      storedItem(1, 1, { summary: '<p>see <id>x:1</id> and <id>x:0</id></p>', summaryIsHtml: true }),
      storedItem(2, 2),
    ]);
    expect(ids(hostile.atom)).toEqual(['https://www.mee.gov.cn/ywdt/1.shtml', 'https://www.mee.gov.cn/ywdt/2.shtml']);
    expect(hostile.atom).toContain('<![CDATA[<p>see <id>x:1</id> and <id>x:0</id></p>]]>');
    expect(hostile.atom).not.toMatch(/<id>x:\d+<\/id>\s*<link/);
  });

  it('removes C1 controls such as U+0085 (NEL) like C0 ones', () => {
    const feed = renderFeed(meta, [storedItem(1, 1, { title: 'a\u0085b\u0080c\u009Fd', summary: 'x\u0085y' })]);
    for (const doc of [feed.rss, feed.atom, feed.json]) expect(doc).not.toMatch(/[\u0080-\u009F]/);
    expect(feed.rss).toContain('<title>abcd</title>');
  });

  it('gives topic-feed entries GUIDs of their own (topic id + item id), keeping the article link', () => {
    const { link: _unused, ...linkless } = storedItem(9, 0);
    const topic = renderFeed({ ...meta, id: 'air', kind: 'topic', maxItems: 10 }, [storedItem(1, 1), linkless]);
    const source = renderFeed({ ...meta, maxItems: 10 }, [storedItem(1, 1), linkless]);
    expect(topic.rss).toContain('<guid isPermaLink="false">urn:feedwright:topic:air:id1</guid>');
    expect(topic.rss).toContain('<link>https://www.mee.gov.cn/ywdt/1.shtml</link>');
    expect(topic.rss).toContain('<guid isPermaLink="false">urn:feedwright:topic:air:id9</guid>');
    expect(topic.atom).toContain('<id>urn:feedwright:topic:air:id1</id>');
    const ids = (doc: string) => (JSON.parse(doc) as { items: Array<{ id: string; url: string }> }).items;
    expect(ids(topic.json).map((i) => i.id)).toEqual(['urn:feedwright:topic:air:id9', 'urn:feedwright:topic:air:id1']);
    expect(ids(topic.json)[1]?.url).toBe('https://www.mee.gov.cn/ywdt/1.shtml');
    const sourceIds = new Set(ids(source.json).map((i) => i.id));
    for (const item of ids(topic.json)) expect(sourceIds.has(item.id)).toBe(false);
  });

  it('gives JSON Feed items without a summary an empty content_text, so readers show the headline once', () => {
    const json = JSON.parse(renderFeed(meta, [storedItem(1, 1), storedItem(2, 2, { summary: '摘要' })]).json) as {
      items: Array<Record<string, unknown>>;
    };
    expect(json.items[0]).toMatchObject({ title: '生态环境部通知 1', content_text: '' });
    expect(json.items[0]).not.toHaveProperty('content_html');
    expect(json.items[1]).toMatchObject({ title: '生态环境部通知 2', content_text: '摘要' });
  });

  it('writes RFC 822 dates in RSS and RFC 3339 dates in Atom', () => {
    const feed = renderFeed(meta, items());
    for (const [, date] of feed.rss.matchAll(/<pubDate>([^<]+)<\/pubDate>/g))
      expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    for (const [, date] of feed.atom.matchAll(/<(?:updated|published)>([^<]+)<\//g))
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('renders an empty feed with a fixed date', () => {
    const a = renderFeed(meta, []);
    expect(a.itemCount).toBe(0);
    expect(a.updated).toBeUndefined();
    expect(a.rss).toContain('<lastBuildDate>Thu, 01 Jan 1970 00:00:00 GMT</lastBuildDate>');
    expect(renderFeed(meta, [])).toEqual(a);
  });

  it('adds an image enclosure only for known image types', () => {
    const feed = renderFeed(meta, [
      storedItem(1, 1, { image: 'https://e.org/a.JPG' }),
      storedItem(2, 2, { image: 'https://e.org/img?id=3' }),
    ]);
    expect(feed.rss).toContain('<enclosure length="0" type="image/jpeg" url="https://e.org/a.JPG"/>');
    expect(feed.rss.match(/<enclosure/g)).toHaveLength(1);
  });
});
