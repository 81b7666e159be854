/**
 * A damaged SQLite store (truncated, overwritten with garbage, a page found corrupt later) is
 * STORE_CORRUPT with a hint that says what to do, never "check that the folder is writable".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Keyv } from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { createItemStore, openItemStore, StoreError } from '../../../src/store/index.js';
import { createCapturingLogger } from '../../helpers/schedule-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'feedwright-corrupt-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real store file with some history, closed (checkpointed) so the main file holds everything. */
async function realStoreBytes(): Promise<Buffer> {
  const file = join(dir, 'real.sqlite');
  const store = await openItemStore(`sqlite://${file}`);
  const now = new Date('2024-06-01T00:00:00Z');
  for (let source = 0; source < 5; source += 1) {
    const items = Array.from({ length: 60 }, (_, i) => ({
      title: `通知 ${source}-${i} `.repeat(8),
      link: `https://example.org/${source}/${i}`,
    }));
    await store.commitItems(`s${source}`, items, { now, timezone: 'UTC', historySize: 200, retainDays: 30 });
  }
  await store.close();
  return readFileSync(file);
}

const real = await realStoreBytes();

describe('a damaged SQLite file', () => {
  it.each([
    ['truncated to half', () => real.subarray(0, Math.floor(real.length / 2))],
    ['truncated to its header page', () => real.subarray(0, 4096)],
    ['cut inside the header', () => real.subarray(0, 100)],
    ['text garbage', () => Buffer.from('not a database at all; '.repeat(400))],
    ['random bytes', () => Buffer.from(Array.from({ length: 16_384 }, (_, i) => (i * 7919 + 13) % 251))],
  ])('%s is STORE_CORRUPT with a hint to move it away and rebuild from the feeds', async (_name, bytes) => {
    const file = join(dir, `${_name.replace(/\W+/g, '-')}.sqlite`);
    writeFileSync(file, bytes());
    const error = await openItemStore(`sqlite://${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_CORRUPT' });
    const hint = (error as StoreError).hint ?? '';
    expect(hint).toContain(`mv ${file} ${file}.broken`);
    expect(hint).toContain('rebuilt from its feed');
    expect(hint).not.toMatch(/writable/);
  });

  it('a seen-index row feedwright did not write is STORE_CORRUPT for its source, naming the item', async () => {
    const file = join(dir, 'seen-row.sqlite');
    const store = await openItemStore(`sqlite://${file}`);
    const ctx = { now: new Date('2024-06-01T00:00:00Z'), timezone: 'UTC', historySize: 1, retainDays: 30 };
    const items = [1, 2].map((i) => ({ title: `通知 ${i}`, link: `https://example.org/${i}` }));
    await store.commitItems('s0', items, ctx);
    const db = new Database(file);
    db.prepare('UPDATE seen SET record = \'{"title": 1}\'').run();
    db.close();
    const later = { ...ctx, now: new Date('2024-06-02T00:00:00Z') };
    // Item 2 left the history (historySize 1): only the damaged seen row knows it.
    await expect(store.commitItems('s0', items, later)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      sourceId: 's0',
      message: expect.stringMatching(/seen s0\/[0-9a-f]{32}.*not a seen-item record/),
    });
    await store.close();
  });

  it('a corrupt page met after opening is STORE_CORRUPT too, with the same advice', async () => {
    const damaged = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    const failing = new Map<string, unknown>();
    failing.get = () => {
      throw damaged;
    };
    const keyv = new Keyv({ store: failing, throwOnErrors: true });
    const store = createItemStore(keyv, { unavailableHint: 'Check that x is writable.', corruptHint: 'Move x away.' });
    await expect(store.listHistory('s0')).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      sourceId: 's0',
      hint: 'Move x away.',
    });
  });
});

describe('a state part of the wrong shape', () => {
  it('is dropped and reported by its key, by a run’s load and by the site rebuild’s alike', async () => {
    const file = join(dir, 'bad-parts.sqlite');
    const { logger, records } = createCapturingLogger();
    const store = await openItemStore(`sqlite://${file}`, { logger });
    await store.saveSourceState('s0', {
      page: { title: '要闻' },
      indexCheckedAt: '2024-06-01T00:00:00.000Z',
      validators: { etag: '"v1"' },
    });
    const db = new Database(file);
    db.prepare("UPDATE keyv SET value = '{\"value\":42}' WHERE key LIKE '%index-checked:s0'").run();
    db.prepare("INSERT INTO keyv (key, value) VALUES ('feedwright:health:s0', '{\"value\":[]}')").run();
    db.close();
    const loaded = await store.loadSource('s0');
    const [site] = await store.loadSiteStates(['s0']);
    await store.close();
    expect(loaded).toMatchObject({ page: { title: '要闻' }, validators: { etag: '"v1"' } });
    expect(loaded.health).toBeUndefined();
    expect(loaded.indexCheckedAt).toBeUndefined();
    expect(site).toEqual({ sourceId: 's0', health: undefined, page: { title: '要闻' }, indexCheckedAt: undefined });
    const reported = records.filter((record) => /unreadable value/.test(record.msg)).map((record) => record.key);
    expect(reported).toEqual(['health:s0', 'record:index-checked:s0', 'health:s0', 'record:index-checked:s0']);
  });
});
