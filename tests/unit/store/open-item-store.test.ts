import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { openItemStore, StoreError } from '../../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'feedwright-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openItemStore', () => {
  it('creates the SQLite folder, relative to the working directory, in WAL mode', async () => {
    const file = join(dir, 'deep/er/feedwright.sqlite');
    const store = await openItemStore(`sqlite://${relative(process.cwd(), file)}`);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a file that is not a SQLite database with STORE_CORRUPT', async () => {
    const file = join(dir, 'not-a-db.sqlite');
    writeFileSync(file, 'this is a text file, not a database; '.repeat(50));
    const error = await openItemStore(`sqlite://${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_CORRUPT' });
    expect((error as StoreError).hint).toContain('not a SQLite database');
  });

  it('refuses a store written with another key layout', async () => {
    const file = join(dir, 'future.sqlite');
    const first = await openItemStore(`sqlite://${file}`);
    await first.close();
    const db = new Database(file);
    db.prepare("UPDATE keyv SET value = ? WHERE key = 'feedwright:meta'").run(JSON.stringify({ value: { schema: 99 } }));
    db.close();
    await expect(openItemStore(`sqlite://${file}`)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('fails fast with STORE_UNAVAILABLE and a hint when Redis is not there', async () => {
    const started = Date.now();
    const error = await openItemStore('redis://127.0.0.1:1', { connectTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((error as StoreError).hint).toContain('Is Redis running at redis://127.0.0.1:1');
    expect((error as StoreError).message).toMatch(/^store: cannot open Redis at redis:\/\/127\.0\.0\.1:1 \(/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('routes keyv errors to the logger', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const logger = createLogger({ level: 'error', pretty: false, destination });
    await openItemStore('redis://127.0.0.1:1', { connectTimeoutMs: 500, logger }).catch(() => undefined);
    expect(lines.some((line) => line.includes('"code":"STORE_UNAVAILABLE"') && line.includes('store: backend error'))).toBe(true);
  });

  it('rejects unknown URL schemes and says which ones exist', async () => {
    await expect(openItemStore('mongodb://x')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', hint: expect.stringContaining('sqlite://') });
    await expect(openItemStore('sqlite://')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
