import { DateTime } from 'luxon';
import { getCachedZone } from '../../../src/time/cached-zone.js';
import { describe, expect, it } from 'vitest';
import { renderFeed } from '../../../src/feed/index.js';
import type { StoredItem } from '../../../src/model.js';
import { formatRfc3339, formatRfc822, zonedDate } from '../../../src/feed/zone-dates.js';

const instant = new Date('2026-11-26T16:00:00Z'); // 2026-11-27 00:00 in Asia/Shanghai

describe('feed dates in the feed time zone', () => {
  it.each([
    ['Asia/Shanghai', 'Fri, 27 Nov 2026 00:00:00 +0800', '2026-11-27T00:00:00+08:00'],
    ['Asia/Taipei', 'Fri, 27 Nov 2026 00:00:00 +0800', '2026-11-27T00:00:00+08:00'],
    ['America/New_York', 'Thu, 26 Nov 2026 11:00:00 -0500', '2026-11-26T11:00:00-05:00'],
    [undefined, 'Thu, 26 Nov 2026 16:00:00 GMT', '2026-11-26T16:00:00Z'],
  ])('%s', (zone, rfc822, rfc3339) => {
    expect(formatRfc822(instant, zone)).toBe(rfc822);
    expect(formatRfc3339(instant, zone)).toBe(rfc3339);
  });

  it('writes the same dates as luxon for any instant, zone and millisecond', () => {
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'UTC',
      'Asia/Kathmandu',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2_000; i++) {
      // 1990–2040, with DST transitions hit by chance; every fourth instant has milliseconds.
      const ms =
        Date.UTC(1990, 0, 1) +
        Math.floor(random() * 50 * 365.25 * 86_400) * 1000 +
        (i % 4 === 0 ? Math.floor(random() * 1000) : 0);
      const zone = zones[i % zones.length] as string;
      const date = new Date(ms);
      const luxonZone = DateTime.fromMillis(ms, { zone: getCachedZone(zone), locale: 'en-US' });
      expect(formatRfc822(date, zone), `${date.toISOString()} ${zone}`).toBe(luxonZone.toRFC2822());
      expect(formatRfc3339(date, zone), `${date.toISOString()} ${zone}`).toBe(
        luxonZone.toISO({ suppressMilliseconds: true }),
      );
    }
    expect(formatRfc3339(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)), undefined)).toBe('2026-01-02T03:04:05.067Z');
  });

  it('writes a date written before the same again, per zone', () => {
    const at = new Date(Date.UTC(2026, 6, 1, 12));
    for (let round = 0; round < 2; round++) {
      expect(formatRfc3339(at, 'Asia/Shanghai')).toBe('2026-07-01T20:00:00+08:00');
      expect(formatRfc3339(at, 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
      expect(formatRfc3339(at, undefined)).toBe('2026-07-01T12:00:00Z');
      expect(formatRfc822(at, 'Asia/Shanghai')).toBe('Wed, 01 Jul 2026 20:00:00 +0800');
      expect(formatRfc822(at, 'Europe/Berlin')).toBe('Wed, 01 Jul 2026 14:00:00 +0200');
    }
  });

  it('hands `feed` dates that write themselves in the zone, the same instant, and never touches titles', () => {
    const zoned = zonedDate(instant, 'Asia/Shanghai');
    expect(zoned.getTime()).toBe(instant.getTime());
    expect(zoned.toUTCString()).toBe('Fri, 27 Nov 2026 00:00:00 +0800');
    expect(zoned.toISOString()).toBe('2026-11-27T00:00:00+08:00');
    expect(zonedDate(instant, undefined)).toBe(instant);
    const feed = renderFeed(
      { id: 's', title: 'S', homePageUrl: 'https://e.org/', maxItems: 5, timezone: 'Asia/Shanghai' },
      [
        {
          id: 'a',
          sourceId: 's',
          title: '<pubDate>Thu, 26 Nov 2026 16:00:00 GMT</pubDate>',
          publishedAt: instant,
          updatedAt: instant,
          firstSeenAt: instant,
        },
      ],
    );
    expect(feed.rss).toContain('<title>&lt;pubDate&gt;Thu, 26 Nov 2026 16:00:00 GMT&lt;/pubDate&gt;</title>');
  });

  it('renders all three documents with +08:00 offsets for a Shanghai source', () => {
    const item: StoredItem = {
      id: 'a',
      sourceId: 's',
      title: '标题',
      link: 'https://example.org/a',
      publishedAt: instant,
      updatedAt: instant,
      firstSeenAt: instant,
    };
    const feed = renderFeed(
      { id: 's', title: 'S', homePageUrl: 'https://example.org/', maxItems: 10, timezone: 'Asia/Shanghai' },
      [item],
    );
    expect(feed.rss).toContain('<pubDate>Fri, 27 Nov 2026 00:00:00 +0800</pubDate>');
    expect(feed.rss).toContain('<lastBuildDate>Fri, 27 Nov 2026 00:00:00 +0800</lastBuildDate>');
    expect(feed.atom).toContain('<published>2026-11-27T00:00:00+08:00</published>');
    expect(feed.atom).toContain('<updated>2026-11-27T00:00:00+08:00</updated>');
    expect(feed.atom).not.toMatch(/<(updated|published)>[^<]*Z</);
    expect(JSON.parse(feed.json).items[0].date_published).toBe('2026-11-27T00:00:00+08:00');
  });
});
