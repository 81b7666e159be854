import { describe, expect, it } from 'vitest';
import { createRobotsCache, type RobotsLoad } from '../../../src/fetch/robots-cache.js';

const UA = 'feedwright/0.1.0 (feed generator)';

describe('createRobotsCache', () => {
  it('loads each origin once while a load is in flight', async () => {
    let loads = 0;
    const cache = createRobotsCache(() => 0);
    const load = async (): Promise<RobotsLoad> => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { kind: 'rules', text: 'User-agent: *\nDisallow: /admin\n' };
    };
    const verdicts = await Promise.all(
      ['https://a.example/list', 'https://a.example/admin/x', 'https://a.example/other'].map(async (url) =>
        cache.check(new URL(url), UA, load),
      ),
    );
    expect(loads).toBe(1);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, false, true]);
    expect(verdicts[1]).toMatchObject({ robotsUrl: 'https://a.example/robots.txt', line: 2 });
  });

  it('keys the cache by origin (scheme, host and port)', async () => {
    const seen: string[] = [];
    const cache = createRobotsCache(() => 0);
    const load = async (robotsUrl: string): Promise<RobotsLoad> => {
      seen.push(robotsUrl);
      return { kind: 'none', status: 404 };
    };
    for (const url of [
      'https://a.example/x',
      'http://a.example/x',
      'https://a.example:8443/x',
      'https://a.example/y',
    ]) {
      await cache.check(new URL(url), UA, load);
    }
    expect(seen).toEqual([
      'https://a.example/robots.txt',
      'http://a.example/robots.txt',
      'https://a.example:8443/robots.txt',
    ]);
  });

  it('answers from fresh cached rules without loading again, and loads again once they expire', async () => {
    let time = 0;
    let loads = 0;
    const cache = createRobotsCache(() => time);
    const load = async (): Promise<RobotsLoad> => {
      loads += 1;
      return { kind: 'rules', text: 'User-agent: *\nDisallow: /admin\n' };
    };
    await cache.check(new URL('https://a.example/list'), UA, load);
    expect(await cache.check(new URL('https://a.example/admin/1'), UA, load)).toMatchObject({
      allowed: false,
      line: 2,
    });
    expect(loads).toBe(1);
    time += 25 * 60 * 60 * 1000;
    await cache.check(new URL('https://a.example/list'), UA, load);
    expect(loads).toBe(2);
  });

  it('judges a URL once per user agent under the same rules, and afresh under new rules', async () => {
    let time = 0;
    let text = 'User-agent: *\nDisallow: /admin\n';
    const cache = createRobotsCache(() => time);
    const load = async (): Promise<RobotsLoad> => ({ kind: 'rules', text });
    const url = new URL('https://a.example/admin/list');
    const first = await cache.check(url, UA, load);
    // The same question again gets the remembered verdict (robots-parser is not asked again).
    expect(await cache.check(new URL(url.href), UA, load)).toBe(first);
    const otherAgent = await cache.check(url, 'otherbot/1.0', load);
    expect(otherAgent).not.toBe(first);
    expect(otherAgent).toMatchObject({ allowed: false });
    // New rules after the TTL: the old verdict is not reused.
    text = 'User-agent: *\nAllow: /\n';
    time += 25 * 60 * 60 * 1000;
    expect(await cache.check(url, UA, load)).toMatchObject({ allowed: true });
  });

  it('reads Crawl-delay for our agent', async () => {
    const cache = createRobotsCache(() => 0);
    const verdict = await cache.check(new URL('https://a.example/'), UA, async () => ({
      kind: 'rules',
      text: 'User-agent: feedwright\nCrawl-delay: 5\n',
    }));
    expect(verdict).toMatchObject({ allowed: true, crawlDelayMs: 5_000 });
  });

  it('forgets a load that threw, so the next check tries again', async () => {
    const cache = createRobotsCache(() => 0);
    await expect(
      cache.check(new URL('https://a.example/'), UA, async () => Promise.reject(new Error('bug'))),
    ).rejects.toThrow('bug');
    const verdict = await cache.check(new URL('https://a.example/'), UA, async () => ({ kind: 'none', status: 404 }));
    expect(verdict.allowed).toBe(true);
  });
});
