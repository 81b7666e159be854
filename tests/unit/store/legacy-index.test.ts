/**
 * Stores of layout 1 (one JSON index per source, rewritten whole on every run, plus a keyv key per
 * item) are upgraded in place: a source's index moves into the seen index when the source is first
 * loaded (or pruned), its old keys are deleted, and nothing it knew is announced again.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyv } from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExtractedItem } from '../../../src/model.js';
import { fingerprintItem, openItemStore, SqliteKeyvStore, type ItemStore } from '../../../src/store/index.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';

const DAY = 86_400_000;
const now = new Date();
const ctx = { now, timezone: 'UTC', historySize: 2, retainDays: 30 };
const dir = mkdtempSync(join(tmpdir(), 'feedwright-legacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function item(source: string, n: number): ExtractedItem {
  const link = `https://e.org/${source}/${n}`;
  return { title: `${source} ${n}`, link, canonicalLink: link };
}

/** A layout-1 record, as the previous version wrote it (under `item:<source>:<id>` and in the history). */
function legacyRecord(source: string, n: number) {
  const it = item(source, n);
  const at = new Date(now.getTime() - (10 - n) * DAY).toISOString();
  return {
    id: fingerprintItem(source, it),
    sourceId: source,
    title: it.title,
    link: it.link,
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
    lastSeenAt: at,
    position: 0,
    expiresAt: new Date(now.getTime() + 20 * DAY).toISOString(),
  };
}

/** Writes a layout-1 store: sources `mee` and `old`, items 1–5 each, the newest two in the history. */
async function writeLegacyStore(keyv: Keyv): Promise<void> {
  await keyv.set('meta', { schema: 1 });
  await keyv.set('sources', { sources: ['mee', 'old'] });
  for (const source of ['mee', 'old']) {
    const records = [1, 2, 3, 4, 5].map((n) => legacyRecord(source, n));
    for (const record of records) await keyv.set(`item:${source}:${record.id}`, record, 20 * DAY);
    await keyv.set(`index:${source}`, {
      expires: Object.fromEntries(records.map((r) => [r.id, Date.parse(r.expiresAt)])),
    });
    await keyv.set(`history:${source}`, { items: [records[4], records[3]] });
  }
}

async function expectUpgraded(raw: Keyv, open: () => Promise<ItemStore>): Promise<void> {
  await writeLegacyStore(raw);
  const store = await open();
  try {
    expect(await raw.get('meta')).toEqual({ schema: 3 });
    const state = await store.loadSource('mee');
    expect((await store.readHistory(state)).map((i) => i.title)).toEqual(['mee 5', 'mee 4']);
    // Items 1–3 left the history: only the migrated seen index still knows them.
    const fresh = await store.findNew(state, [item('mee', 6), item('mee', 1), item('mee', 3)], now);
    expect(fresh.map((i) => i.title)).toEqual(['mee 6']);
    const run = await store.commitRun(state, [item('mee', 6), item('mee', 2)], {}, ctx);
    expect(run.newItems.map((i) => i.title)).toEqual(['mee 6']);
    expect(await raw.get('index:mee')).toBeUndefined();
    expect(await raw.get(`item:mee:${legacyRecord('mee', 1).id}`)).toBeUndefined();
    // A source no run loaded yet is upgraded by prune, which removes nothing that is still live.
    expect(await raw.get('index:old')).toBeDefined();
    expect(await store.prune(now)).toBe(0);
    expect(await raw.get('index:old')).toBeUndefined();
    expect(await raw.get(`item:old:${legacyRecord('old', 2).id}`)).toBeUndefined();
    const old = await store.commitItems('old', [item('old', 1), item('old', 2), item('old', 7)], ctx);
    expect(old.newItems.map((i) => i.title)).toEqual(['old 7']);
    // Past retainDays the migrated records go like any other.
    expect(await store.prune(new Date(now.getTime() + 25 * DAY))).toBe(7);
  } finally {
    await store.clear?.();
    await store.close();
  }
}

describe('upgrading a layout-1 store', () => {
  it('SQLite: converts each source index on first load or prune, and announces nothing it knew', async () => {
    const file = join(dir, 'legacy.sqlite');
    const raw = new Keyv({
      store: new SqliteKeyvStore(file),
      namespace: 'feedwright',
      serialize: JSON.stringify,
      deserialize: JSON.parse,
    });
    await expectUpgraded(raw, () => openItemStore(`sqlite://${file}`));
    await raw.disconnect();
  });

  it('Redis: converts each source index on first load or prune, and announces nothing it knew', async () => {
    if (!(await checkRedisForTests())) return;
    const namespace = `fwtest-legacy-${randomBytes(4).toString('hex')}`;
    const { createKeyv } = await import('@keyv/redis');
    const raw = createKeyv(REDIS_URL, { namespace }) as unknown as Keyv;
    raw.serialize = JSON.stringify;
    raw.deserialize = JSON.parse;
    try {
      await expectUpgraded(raw, () => openItemStore(`${REDIS_URL}?namespace=${namespace}`));
    } finally {
      await raw.clear();
      await raw.disconnect();
    }
  });
});
