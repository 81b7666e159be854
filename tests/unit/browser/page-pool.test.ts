/**
 * The page pool's bookkeeping with a stand-in browser (the e2e browser tests drive the real one):
 * which kept page a render may get, eviction, retirement, and a browser change.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createPagePool, MAX_RENDERS_PER_PAGE } from '../../../src/browser/page-pool.js';
import type { RenderRequest } from '../../../src/browser/index.js';

function fakeBrowser(): Browser & { closed: number; created: number } {
  const browser = {
    closed: 0,
    created: 0,
    isConnected: () => true,
    async newContext() {
      browser.created += 1;
      const page = { isClosed: () => false };
      return {
        newPage: async () => page,
        close: async () => void (browser.closed += 1),
      };
    },
  };
  return browser as unknown as Browser & { closed: number; created: number };
}

function request(url: string, extra: Partial<RenderRequest> = {}): RenderRequest {
  return {
    sourceId: 's',
    url,
    userAgent: 'feedwright/test',
    headers: {},
    cookies: [],
    timeoutMs: 1000,
    admit: async () => () => undefined,
    ...extra,
  };
}

describe('page pool', () => {
  it('gives a kept page only to a render of the same host with the same User-Agent and headers', async () => {
    const browser = fakeBrowser();
    const pool = createPagePool(4);
    const a = await pool.lease(browser, request('https://a.example.org/list/'));
    pool.giveBack(browser, a);
    expect((await pool.lease(browser, request('https://b.example.org/list/'))).renders).toBe(0);
    expect((await pool.lease(browser, request('https://a.example.org/x', { userAgent: 'other' }))).renders).toBe(0);
    expect(
      (await pool.lease(browser, request('https://a.example.org/x', { headers: { 'accept-language': 'en' } }))).renders,
    ).toBe(0);
    const again = await pool.lease(browser, request('https://a.example.org/other/page'));
    expect(again.page).toBe(a.page);
    expect(again.renders).toBe(1);
    expect(pool.reused()).toBe(1);
  });

  it('keeps kept and lent pages within maxPages, closing the least recently used kept one first', async () => {
    const browser = fakeBrowser();
    const pool = createPagePool(2);
    const a = await pool.lease(browser, request('https://a.example.org/'));
    const b = await pool.lease(browser, request('https://b.example.org/'));
    pool.giveBack(browser, a);
    pool.giveBack(browser, b);
    expect(pool.idle()).toBe(2);
    // One more page lent: a (least recently used) is closed before c's page is made.
    const c = await pool.lease(browser, request('https://c.example.org/'));
    expect(browser.closed).toBe(1);
    expect(pool.idle()).toBe(1);
    // b is still kept: lending it makes no new page.
    expect((await pool.lease(browser, request('https://b.example.org/'))).renders).toBe(1);
    pool.closed(c);
    expect((await pool.lease(browser, request('https://a.example.org/'))).renders).toBe(0);
    expect(browser.closed).toBe(1);
  });

  it('retires a page after its last render and forgets pages of another browser', async () => {
    const browser = fakeBrowser();
    const pool = createPagePool(2);
    let lease = await pool.lease(browser, request('https://a.example.org/'));
    for (let i = 1; i < MAX_RENDERS_PER_PAGE; i += 1) {
      pool.giveBack(browser, lease);
      lease = await pool.lease(browser, request('https://a.example.org/'));
      expect(lease.renders).toBe(i);
    }
    pool.giveBack(browser, lease);
    await new Promise((resolve) => setImmediate(resolve));
    expect(browser.closed).toBe(1);
    expect(pool.idle()).toBe(0);

    pool.giveBack(browser, await pool.lease(browser, request('https://a.example.org/')));
    const relaunched = fakeBrowser();
    expect((await pool.lease(relaunched, request('https://a.example.org/'))).renders).toBe(0);
    expect(relaunched.created).toBe(1);
  });
});
