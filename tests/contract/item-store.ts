/**
 * The ItemStore contract: one suite, run against every backend (memory, SQLite, Redis).
 * Each backend test file calls {@link describeItemStoreContract} with a factory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtractedItem } from '../../src/model.js';
import type { ItemStore, CommitContext, SourceState } from '../../src/store/index.js';

/** Opens a fresh, empty store; `reopen` opens the same data again (persistent backends only). */
export interface StoreFactory {
  open(): Promise<ItemStore>;
  reopen?: () => Promise<ItemStore>;
}

const DAY = 86_400_000;
const ZONE = 'Asia/Shanghai';

function ctx(now: string | Date, overrides: Partial<CommitContext> = {}): CommitContext {
  return { now: new Date(now), timezone: ZONE, historySize: 200, retainDays: 180, ...overrides };
}

function linked(n: number, extra: Partial<ExtractedItem> = {}): ExtractedItem {
  const link = `https://www.example.gov.cn/news/${n}.html`;
  return { title: `通知 ${n}`, link, canonicalLink: link, ...extra };
}

/** Registers the shared ItemStore contract for one backend. */
export function describeItemStoreContract(name: string, factory: StoreFactory): void {
  describe(`ItemStore contract: ${name}`, () => {
    let store: ItemStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.clear?.();
      await store.close();
    });

    it('fencing: a run that lost the source to a newer one has its commit and confirm refused, the newer run writes', async () => {
      const stale = { ...(await store.loadSource('fenced')), fence: await store.claimSource('fenced') };
      const fresh = { ...(await store.loadSource('fenced')), fence: await store.claimSource('fenced') };
      expect(fresh.fence).toBeGreaterThan(stale.fence);
      await store.commitRun(fresh, [linked(2), linked(1)], { pendingOutput: true }, ctx('2024-05-01T08:00:00Z'));
      await expect(store.commitRun(stale, [linked(9)], {}, ctx('2024-05-01T07:59:00Z'))).rejects.toMatchObject({
        code: 'STORE_FENCED',
        sourceId: 'fenced',
      });
      await expect(store.saveSourceState('fenced', { pendingOutput: false }, stale.fence)).rejects.toMatchObject({
        code: 'STORE_FENCED',
      });
      const after = await store.loadSource('fenced');
      expect((await store.readHistory(after)).map((item) => item.title)).toEqual(['通知 2', '通知 1']);
      expect(after.pendingOutput).toBe(true);
      await store.saveSourceState('fenced', { pendingOutput: false }, fresh.fence);
      expect((await store.loadSource('fenced')).pendingOutput).toBe(false);
    });

    it('claimAndLoad: loads the state loadSource loads, with a new token that fences off the run before it', async () => {
      await store.commitItems('fenced', [linked(1)], ctx('2024-05-01T07:00:00Z'));
      await store.saveSourceState('fenced', { validators: { etag: '"v1"' }, pendingOutput: true });
      const earlier = await store.claimAndLoad('fenced');
      const claimed = await store.claimAndLoad('fenced');
      const { fence, ...state } = claimed;
      expect(state).toEqual(await store.loadSource('fenced'));
      expect(state.validators).toEqual({ etag: '"v1"' });
      expect(fence).toBeGreaterThan(earlier.fence ?? Infinity);
      await expect(store.saveSourceState('fenced', { pendingOutput: false }, earlier.fence)).rejects.toMatchObject({
        code: 'STORE_FENCED',
      });
      // The history is read from the claimed state as from a loaded one.
      expect((await store.readHistory(claimed)).map((item) => item.title)).toEqual(['通知 1']);
      await store.saveSourceState('fenced', { pendingOutput: false }, fence);
      expect((await store.loadSource('fenced')).pendingOutput).toBe(false);
    });
    it('clear forgets everything, the seen index included: an item seen before is new again', async () => {
      await store.commitItems('mee', [linked(2), linked(1)], ctx('2024-03-01T02:00:00Z'));
      await store.clear?.();
      expect(await store.listHistory('mee')).toEqual([]);
      const again = await store.commitItems('mee', [linked(2), linked(1)], ctx('2024-03-01T03:00:00Z'));
      expect(again.newItems.map((i) => i.title)).toEqual(['通知 2', '通知 1']);
    });

    it('announces new items once, in page order, and never again on the next run', async () => {
      const page = [linked(3), linked(2), linked(1)];
      const first = await store.commitItems('mee', page, ctx('2024-03-01T02:00:00Z'));
      expect(first.newItems.map((i) => i.title)).toEqual(['通知 3', '通知 2', '通知 1']);
      expect(first.history.map((i) => i.title)).toEqual(['通知 3', '通知 2', '通知 1']);
      const second = await store.commitItems('mee', page, ctx('2024-03-01T02:30:00Z'));
      expect(second.newItems).toEqual([]);
      expect(second.changedItems).toEqual([]);
      expect(second.history).toEqual(first.history);
    });

    it('returns Date objects and keeps every field it was given', async () => {
      const item = linked(1, {
        summary: '摘要',
        author: '办公厅',
        image: 'https://www.example.gov.cn/a.png',
        categories: ['大气'],
      });
      const { newItems } = await store.commitItems('mee', [item], ctx('2024-03-01T02:00:00Z'));
      const [stored] = await store.listHistory('mee');
      expect(stored).toEqual(newItems[0]);
      expect(stored?.publishedAt).toBeInstanceOf(Date);
      expect(stored?.firstSeenAt).toBeInstanceOf(Date);
      expect(stored).toMatchObject({
        summary: '摘要',
        author: '办公厅',
        image: 'https://www.example.gov.cn/a.png',
        categories: ['大气'],
        link: item.link,
      });
    });

    it('does not announce an item that left the page and came back, and keeps it in the history meanwhile', async () => {
      await store.commitItems('mee', [linked(2), linked(1)], ctx('2024-03-01T02:00:00Z'));
      const without = await store.commitItems('mee', [linked(3), linked(2)], ctx('2024-03-02T02:00:00Z'));
      expect(without.newItems.map((i) => i.title)).toEqual(['通知 3']);
      expect(without.history.map((i) => i.title)).toContain('通知 1');
      const back = await store.commitItems('mee', [linked(3), linked(2), linked(1)], ctx('2024-03-03T02:00:00Z'));
      expect(back.newItems).toEqual([]);
    });

    it('updates a known link whose title changed instead of adding a second item', async () => {
      const first = await store.commitItems('mee', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      const renamed = await store.commitItems(
        'mee',
        [linked(1, { title: '通知 1（更正）' })],
        ctx('2024-03-02T05:00:00Z'),
      );
      expect(renamed.newItems).toEqual([]);
      expect(renamed.changedItems.map((i) => i.title)).toEqual(['通知 1（更正）']);
      expect(renamed.history).toHaveLength(1);
      const [item] = renamed.history;
      expect(item?.id).toBe(first.newItems[0]?.id);
      expect(item?.publishedAt).toEqual(first.newItems[0]?.publishedAt);
      expect(item?.updatedAt).toEqual(new Date('2024-03-02T05:00:00Z'));
    });

    it('identifies linkless items by normalised title (NFKC, whitespace, case)', async () => {
      await store.commitItems('mee', [{ title: 'Ｎｏｔｉｃｅ  ABOUT\nAir' }], ctx('2024-03-01T02:00:00Z'));
      const again = await store.commitItems('mee', [{ title: 'notice about air' }], ctx('2024-03-01T03:00:00Z'));
      expect(again.newItems).toEqual([]);
      const other = await store.commitItems('other', [{ title: 'notice about air' }], ctx('2024-03-01T03:00:00Z'));
      expect(other.newItems).toHaveLength(1);
    });

    it('treats repeats within one run as one item (first occurrence wins)', async () => {
      const { newItems, history } = await store.commitItems(
        'mee',
        [linked(1), linked(2), linked(1, { title: 'dup' })],
        ctx('2024-03-01T02:00:00Z'),
      );
      expect(newItems.map((i) => i.title)).toEqual(['通知 1', '通知 2']);
      expect(history).toHaveLength(2);
    });

    it('bounds the history to historySize, newest first', async () => {
      for (let day = 1; day <= 5; day += 1) {
        const now = `2024-03-0${day}T02:00:00Z`;
        await store.commitItems('mee', [linked(day * 10), linked(day * 10 + 1)], ctx(now, { historySize: 4 }));
      }
      const history = await store.listHistory('mee');
      expect(history.map((i) => i.title)).toEqual(['通知 50', '通知 51', '通知 40', '通知 41']);
    });

    it('applies the publication-date rule and never changes a stored date', async () => {
      const now = '2024-03-10T04:00:00Z'; // 12:00 in Shanghai
      const items: ExtractedItem[] = [
        linked(1, { published: { date: new Date('2024-03-09T06:30:00Z'), precision: 'time' } }),
        linked(2, { published: { date: new Date('2024-03-09T16:00:00Z'), precision: 'day' } }), // 2024-03-10 local
        linked(3, { published: { date: new Date('2024-03-04T16:00:00Z'), precision: 'day' } }), // 2024-03-05 local
        linked(4),
        linked(5, { published: { date: new Date('2024-04-01T00:00:00Z'), precision: 'time' } }),
      ];
      const { newItems } = await store.commitItems('mee', items, ctx(now));
      const byTitle = new Map(newItems.map((i) => [i.title, i.publishedAt.toISOString()]));
      expect(byTitle.get('通知 1')).toBe('2024-03-09T06:30:00.000Z');
      expect(byTitle.get('通知 2')).toBe('2024-03-10T03:59:59.000Z'); // first seen today, page position 1
      expect(byTitle.get('通知 3')).toBe('2024-03-04T16:00:00.000Z'); // midnight 2024-03-05 in Shanghai
      expect(byTitle.get('通知 4')).toBe('2024-03-10T03:59:57.000Z'); // no date: first seen, position 3
      expect(byTitle.get('通知 5')).toBe('2024-03-10T04:00:00.000Z'); // future: clamped to now
      const changedDates = items.map((i) => ({
        ...i,
        published: { date: new Date('2020-01-01T00:00:00Z'), precision: 'time' as const },
      }));
      const later = await store.commitItems('mee', changedDates, ctx('2024-03-11T04:00:00Z'));
      expect(new Map(later.history.map((i) => [i.title, i.publishedAt.toISOString()]))).toEqual(byTitle);
    });

    it('announces an item again only after its record expired and it left the history', async () => {
      await store.commitItems('mee', [linked(1)], ctx('2024-01-01T00:00:00Z', { retainDays: 10, historySize: 1 }));
      await store.commitItems('mee', [linked(2)], ctx('2024-01-02T00:00:00Z', { retainDays: 10, historySize: 1 }));
      const early = await store.commitItems(
        'mee',
        [linked(2), linked(1)],
        ctx('2024-01-05T00:00:00Z', { retainDays: 10, historySize: 1 }),
      );
      expect(early.newItems).toEqual([]);
      const late = await store.commitItems(
        'mee',
        [linked(1)],
        ctx(new Date(Date.parse('2024-01-05T00:00:00Z') + 11 * DAY), { retainDays: 10, historySize: 1 }),
      );
      expect(late.newItems.map((i) => i.title)).toEqual(['通知 1']);
    });

    it('findNew reports what commitRun would announce, from the loaded state alone', async () => {
      await store.commitItems('mee', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      const state = await store.loadSource('mee');
      const fresh = await store.findNew(state, [linked(2), linked(1), linked(2)], new Date('2024-03-01T03:00:00Z'));
      expect(fresh.map((i) => i.title)).toEqual(['通知 2']);
      expect(
        await store.findNew(await store.loadSource('mee'), [linked(2)], new Date('2024-03-01T03:00:00Z')),
      ).toHaveLength(1);
    });

    it('still knows an item that left the history while its record lives', async () => {
      const c = (now: string) => ctx(now, { historySize: 1 });
      await store.commitItems('mee', [linked(1)], c('2024-03-01T00:00:00Z'));
      await store.commitItems('mee', [linked(2)], c('2024-03-02T00:00:00Z'));
      expect((await store.listHistory('mee')).map((i) => i.title)).toEqual(['通知 2']);
      const state = await store.loadSource('mee');
      expect(await store.findNew(state, [linked(1)], new Date('2024-03-03T00:00:00Z'))).toEqual([]);
      const renamed = await store.commitRun(
        state,
        [linked(1, { title: '通知 1（更正）' })],
        {},
        c('2024-03-03T00:00:00Z'),
      );
      expect(renamed.newItems).toEqual([]);
      expect(renamed.changedItems.map((i) => i.title)).toEqual(['通知 1（更正）']);
    });

    it('prunes seen records past retainDays; items still in the history stay known through it', async () => {
      const c = (now: string) => ctx(now, { retainDays: 5, historySize: 2 });
      await store.commitItems('mee', [linked(1), linked(2)], c('2024-01-01T00:00:00Z'));
      await store.commitItems('mee', [linked(3), linked(4)], c('2024-01-02T00:00:00Z'));
      expect(await store.prune(new Date('2024-01-03T00:00:00Z'))).toBe(0);
      // Items 1 and 2 got their seen records when the history left them out; 3 and 4 have none: their
      // history copies stand for them.
      expect(await store.prune(new Date('2024-01-20T00:00:00Z'))).toBe(2);
      expect(await store.prune(new Date('2024-01-20T00:00:00Z'))).toBe(0);
      expect((await store.listHistory('mee')).map((i) => i.title)).toEqual(['通知 3', '通知 4']);
      const back = await store.commitItems('mee', [linked(3), linked(1)], c('2024-01-21T00:00:00Z'));
      expect(back.newItems.map((i) => i.title)).toEqual(['通知 1']);
    });

    it('an item the history leaves out keeps its seen record, as the run last had it: it is never announced again', async () => {
      const c = (now: string) => ctx(now, { historySize: 2 });
      await store.commitItems('mee', [linked(2), linked(1)], c('2024-01-01T00:00:00Z'));
      // Item 1 comes back with a new title while 3 and 4 push it (and 2) out of the history.
      await store.commitItems(
        'mee',
        [linked(4), linked(3), linked(1, { title: '通知 1（修订）' })],
        c('2024-01-02T00:00:00Z'),
      );
      expect((await store.listHistory('mee')).map((i) => i.title)).toEqual(['通知 4', '通知 3']);
      await store.commitItems('mee', [linked(6), linked(5)], c('2024-01-03T00:00:00Z'));
      const back = await store.commitItems(
        'mee',
        [linked(1), linked(2), linked(3), linked(7)],
        c('2024-01-04T00:00:00Z'),
      );
      expect(back.newItems.map((i) => i.title)).toEqual(['通知 7']);
      expect(back.changedItems.map((i) => i.title)).toEqual(['通知 1']);
      // Item 1 is older than 7 and 6: the history leaves it out again, as this run changed it.
      expect((await store.listHistory('mee')).map((i) => i.title)).toEqual(['通知 7', '通知 6']);
      const again = await store.commitItems('mee', [linked(1)], c('2024-01-05T00:00:00Z'));
      expect([again.newItems, again.changedItems]).toEqual([[], []]);
    });

    it('loads a source state in one piece and writes changes in one batch with the items', async () => {
      const empty = await store.loadSource('mee');
      expect(empty).toMatchObject({ sourceId: 'mee', pendingOutput: false, page: {}, failureNotices: [] });
      expect(await store.readHistory(empty)).toEqual([]);
      expect(empty.health).toBeUndefined();
      expect(empty.validators).toBeUndefined();
      const health = {
        sourceId: 'mee',
        status: 'failing' as const,
        lastFound: 0,
        lastNew: 0,
        consecutiveFailures: 3,
        failingSince: '2024-03-01T00:00:00.000Z',
        lastError: { code: 'FETCH_TIMEOUT', message: 'fetch: source "mee": timed out' },
      };
      const validators = { etag: '"abc"', lastModified: 'Tue, 27 Aug 2019 06:30:00 GMT', bodyHash: 'f'.repeat(64) };
      const notice = {
        day: '2024-03-01',
        at: '2024-03-01T00:00:00.000Z',
        since: '2024-02-28T00:00:00.000Z',
        message: 'down',
      };
      await store.commitRun(
        empty,
        [linked(1)],
        { pendingOutput: true, page: { title: '要闻', language: 'zh-CN' }, failureNotices: [notice] },
        ctx('2024-03-01T02:00:00Z'),
      );
      await store.saveSourceState('mee', { health, validators, pendingOutput: false });
      const loaded = await store.loadSource('mee');
      expect(loaded).toMatchObject({
        health,
        validators,
        pendingOutput: false,
        page: { title: '要闻', language: 'zh-CN' },
        failureNotices: [notice],
      });
      expect((await store.readHistory(loaded)).map((i) => i.title)).toEqual(['通知 1']);
      expect(await store.getHealth('mee')).toEqual(health);
      expect(await store.getHealth('other')).toBeUndefined();
    });

    it("loads many sources' site parts at once as loadSource loads them, in the order asked", async () => {
      expect(await store.loadSiteStates([])).toEqual([]);
      await store.commitItems('b', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      await store.saveSourceState('b', {
        pendingOutput: true,
        page: { title: 'B' },
        indexCheckedAt: '2024-03-01T02:00:00.000Z',
      });
      await store.saveSourceState('a', { validators: { etag: '"a"' } });
      const ids = ['b', 'nobody', 'a', ...Array.from({ length: 600 }, (_, i) => `s${i}`)];
      const loaded = await store.loadSiteStates(ids);
      expect(loaded.map((state) => state.sourceId)).toEqual(ids);
      const siteParts = ({ sourceId, health, page, indexCheckedAt, historyStamp }: SourceState) => ({
        sourceId,
        health,
        page,
        indexCheckedAt,
        historyStamp,
      });
      expect(loaded.slice(0, 3)).toEqual([
        siteParts(await store.loadSource('b')),
        siteParts(await store.loadSource('nobody')),
        siteParts(await store.loadSource('a')),
      ]);
      expect(loaded[0]).toEqual({
        sourceId: 'b',
        health: undefined,
        page: { title: 'B' },
        indexCheckedAt: '2024-03-01T02:00:00.000Z',
        historyStamp: expect.any(String),
      });
      expect((await store.readHistory(loaded[0]!)).map((item) => item.title)).toEqual(['通知 1']);
    });

    it('forgets a Retry-After time when it expires, and caches detail pages per link', async () => {
      await store.saveSourceState('mee', { retryAfter: { until: '2030-01-01T00:00:00.000Z', ttlMs: 50 } });
      expect((await store.loadSource('mee')).retryAfter).toBe('2030-01-01T00:00:00.000Z');
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await store.loadSource('mee')).retryAfter).toBeUndefined();
      await store.writeDetailCache('https://x/1', { summary: 'cached' }, 60_000);
      expect(await store.readDetailCache(['https://x/2', 'https://x/1'])).toEqual([undefined, { summary: 'cached' }]);
    });

    it("reads a feed's content with its stamp, and stamps alone, as loadSource sees them", async () => {
      expect(await store.readFeedStamps([])).toEqual([]);
      expect(await store.readFeedContent('nobody')).toEqual({
        pendingOutput: false,
        page: {},
        failureNotices: [],
        history: [],
      });
      await store.commitItems('mee', [linked(2), linked(1)], ctx('2024-03-01T02:00:00Z'));
      await store.saveSourceState('mee', {
        pendingOutput: true,
        page: { title: '要闻' },
        feedVersion: { n: 4, hash: 'h4' },
        failureNotices: [
          { day: '2024-03-01', at: '2024-03-01T02:00:00Z', since: '2024-03-01T01:00:00Z', message: 'x' },
        ],
      });
      const state = await store.loadSource('mee');
      const content = await store.readFeedContent('mee');
      expect(content).toEqual({
        feedVersion: state.feedVersion,
        pendingOutput: true,
        page: state.page,
        failureNotices: state.failureNotices,
        history: await store.readHistory(state),
      });
      expect(await store.readFeedStamps(['mee', 'nobody'])).toEqual([
        { feedVersion: { n: 4, hash: 'h4' }, pendingOutput: true },
        { pendingOutput: false },
      ]);
    });

    it('moves the history stamp with every history write, and only then', async () => {
      expect((await store.loadSource('mee')).historyStamp).toBeUndefined();
      await store.commitItems('mee', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      const first = (await store.loadSource('mee')).historyStamp;
      expect(first).toEqual(expect.any(String));
      // Same page an hour later: the history is not rewritten, the stamp stays.
      await store.commitItems('mee', [linked(1)], ctx('2024-03-01T03:00:00Z'));
      expect((await store.loadSource('mee')).historyStamp).toBe(first);
      await store.commitItems('mee', [linked(2), linked(1)], ctx('2024-03-01T04:00:00Z'));
      expect((await store.loadSource('mee')).historyStamp).not.toBe(first);
    });

    it('keeps sources apart', async () => {
      await store.commitItems('a', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      const b = await store.commitItems('b', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      expect(b.newItems).toHaveLength(1);
      expect(await store.listHistory('a')).toHaveLength(1);
      expect(await store.listHistory('nobody')).toEqual([]);
    });

    it('says which sources have a history without reading them, in the order asked', async () => {
      await store.commitItems('a', [linked(1)], ctx('2024-03-01T02:00:00Z'));
      await store.commitItems('c', [linked(2)], ctx('2024-03-01T02:00:00Z'));
      expect(await store.hasHistory(['nobody', 'c', 'a', 'b'])).toEqual([false, true, true, false]);
      expect(await store.hasHistory([])).toEqual([]);
    });

    if (factory.reopen) {
      const reopen = factory.reopen;
      it('keeps everything across close and reopen', async () => {
        await store.commitItems('mee', [linked(1)], ctx('2024-03-01T02:00:00Z'));
        await store.saveSourceState('mee', { validators: { etag: '"v1"' } });
        await store.close();
        store = await reopen();
        expect((await store.listHistory('mee')).map((i) => i.title)).toEqual(['通知 1']);
        expect((await store.loadSource('mee')).validators).toEqual({ etag: '"v1"' });
        expect((await store.commitItems('mee', [linked(1)], ctx('2024-03-02T02:00:00Z'))).newItems).toEqual([]);
      });

      it('reads the history another writer wrote after its own commit (by the history stamp)', async () => {
        const own = await store.commitItems('mee', [linked(1)], ctx('2024-03-01T02:00:00Z'));
        expect(await store.readHistory(await store.loadSource('mee'))).toEqual(own.history);
        const other = await reopen();
        try {
          await other.commitItems('mee', [linked(2), linked(1)], ctx('2024-03-01T03:00:00Z'));
        } finally {
          await other.close();
        }
        const titles = (await store.readHistory(await store.loadSource('mee'))).map((item) => item.title);
        expect(titles).toEqual(['通知 2', '通知 1']);
      });
    }
  });
}
