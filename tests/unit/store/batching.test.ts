import { EventEmitter } from 'node:events';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { createItemStore } from '../../../src/store/index.js';
import type { ExtractedItem } from '../../../src/model.js';

/** A keyv adapter over a Map that counts every call, to prove one round trip per batch. */
class CountingStore extends EventEmitter {
  readonly opts = { dialect: 'counting', url: 'counting://' };
  namespace?: string;
  readonly data = new Map<string, unknown>();
  readonly calls: Record<string, number> = {};
  /** Keys of every setMany since the last reset. */
  readonly written: string[] = [];
  /** Keys of every getMany since the last reset. */
  readonly read: string[] = [];
  async get(key: string) {
    this.count('get');
    return this.data.get(key);
  }
  async getMany(keys: string[]) {
    this.count('getMany');
    this.read.push(...keys);
    return keys.map((k) => this.data.get(k));
  }
  async set(key: string, value: unknown) {
    this.count('set');
    this.data.set(key, value);
    return true;
  }
  async setMany(entries: Array<{ key: string; value: unknown }>) {
    this.count('setMany');
    for (const e of entries) {
      this.data.set(e.key, e.value);
      this.written.push(e.key);
    }
    return entries.map(() => true);
  }
  async delete(key: string) {
    this.count('delete');
    return this.data.delete(key);
  }
  async deleteMany(keys: string[]) {
    this.count('deleteMany');
    keys.forEach((k) => this.data.delete(k));
    return true;
  }
  async clear() {
    this.data.clear();
  }
  reset() {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
    this.written.length = 0;
    this.read.length = 0;
  }
  private count(name: string) {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }
}

const items: ExtractedItem[] = Array.from({ length: 50 }, (_, i) => ({
  title: `t${i}`,
  link: `https://e.org/${i}`,
  canonicalLink: `https://e.org/${i}`,
}));
const ctx = { now: new Date('2024-03-01T00:00:00Z'), timezone: 'UTC', historySize: 200, retainDays: 180 };

describe('ItemStore batching', () => {
  it('records a 50-item run with a getMany for the state, one for the history, one for the seen index and one setMany, and nothing else', async () => {
    const adapter = new CountingStore();
    const store = createItemStore(new Keyv({ store: adapter, namespace: 'n', throwOnErrors: true }), {
      unavailableHint: 'h',
    });
    await store.commitItems('s', items, ctx);
    expect(adapter.calls).toEqual({ getMany: 3, setMany: 1 });
    adapter.reset();
    await store.commitItems('s', items, { ...ctx, now: new Date('2024-03-01T01:00:00Z') });
    // Every item is in the history now: no seen-index read, and nothing changed: no write at all.
    expect(adapter.calls).toEqual({ getMany: 2 });
  });

  it('an unchanged page (304, same body) costs one small read of the state parts and the confirming write: no history', async () => {
    const adapter = new CountingStore();
    const store = createItemStore(new Keyv({ store: adapter, namespace: 'n', throwOnErrors: true }), {
      unavailableHint: 'h',
    });
    await store.commitItems('s', items, ctx);
    adapter.reset();
    await store.loadSource('s');
    await store.saveSourceState('s', { pendingOutput: false, validators: { etag: '"1"' } });
    expect(adapter.calls).toEqual({ getMany: 1, setMany: 1 });
    expect(adapter.read).not.toContain('n:history:s');
    expect(adapter.read).not.toContain('n:sources');
  });

  it('writes only what changed: the history (its copy of the new item stands for the seen record)', async () => {
    const adapter = new CountingStore();
    const store = createItemStore(new Keyv({ store: adapter, namespace: 'n', throwOnErrors: true }), {
      unavailableHint: 'h',
    });
    await store.commitItems('s', items, ctx);
    adapter.reset();
    const next: ExtractedItem = { title: 'new', link: 'https://e.org/new', canonicalLink: 'https://e.org/new' };
    const run = await store.commitItems('s', [next, ...items], { ...ctx, now: new Date('2024-03-01T02:00:00Z') });
    // The history stamp moves with the history (what the site files are built from changed).
    expect(run.newItems).toHaveLength(1);
    expect(adapter.written).toEqual(['n:history:s', 'n:record:history-stamp:s']);
  });

  it('loads a source with one getMany; findNew and a commit share one read of the history, and cost one setMany with the state changes', async () => {
    const adapter = new CountingStore();
    const store = createItemStore(new Keyv({ store: adapter, namespace: 'n', throwOnErrors: true }), {
      unavailableHint: 'h',
    });
    await store.commitItems('s', items, ctx);
    adapter.reset();
    const state = await store.loadSource('s');
    expect(await store.findNew(state, items, ctx.now)).toEqual([]);
    await store.commitRun(
      state,
      items,
      { pendingOutput: true, page: { title: 't' } },
      { ...ctx, now: new Date('2024-03-01T01:00:00Z') },
    );
    await store.saveSourceState('s', { pendingOutput: false, validators: { etag: '"1"' } });
    expect(adapter.calls).toEqual({ getMany: 2, setMany: 2 });
  });

  it('turns a failing backend into STORE_UNAVAILABLE with the hint and the source id', async () => {
    const adapter = new CountingStore();
    adapter.getMany = async () => {
      throw new Error('connection reset');
    };
    const store = createItemStore(new Keyv({ store: adapter, throwOnErrors: true }), {
      unavailableHint: 'Is Redis running?',
    });
    await expect(store.commitItems('mee', items, ctx)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'STORE_UNAVAILABLE',
      sourceId: 'mee',
      hint: 'Is Redis running?',
      message: 'store: source "mee": could not read the source state (connection reset)',
    });
  });

  it('reports a value it did not write as STORE_CORRUPT', async () => {
    const adapter = new CountingStore();
    const keyv = new Keyv({ store: adapter, throwOnErrors: true });
    await keyv.set('history:mee', { items: [{ id: 1 }] });
    const store = createItemStore(keyv, { unavailableHint: 'h' });
    await expect(store.listHistory('mee')).rejects.toMatchObject({ code: 'STORE_CORRUPT', sourceId: 'mee' });
  });
});
