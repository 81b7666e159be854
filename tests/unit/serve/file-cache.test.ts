import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileCache } from '../../../src/serve/file-cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwright-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const body = (n: number) => `<rss>${'<item>环境</item>'.repeat(n)}</rss>`;

describe('createFileCache', () => {
  it('returns the same cached version while mtime and size are unchanged', async () => {
    await writeFile(join(dir, 'a.rss.xml'), body(100));
    const cache = createFileCache(dir, 1 << 20);
    const first = await cache.load('a.rss.xml');
    const second = await cache.load('a.rss.xml');
    expect(second).toBe(first);
  });

  it('compresses each version once and reuses the buffer', async () => {
    await writeFile(join(dir, 'a.rss.xml'), body(500));
    const cache = createFileCache(dir, 1 << 20);
    const file = await cache.load('a.rss.xml');
    if (!file) throw new Error('file not loaded');
    const [one, two] = await Promise.all([cache.encode(file, 'gzip'), cache.encode(file, 'gzip')]);
    expect(one).toBeDefined();
    expect(two).toBe(one);
    expect(await cache.encode((await cache.load('a.rss.xml'))!, 'gzip')).toBe(one);
    expect(gunzipSync(one!).toString()).toBe(body(500));
  });

  it('does not compress tiny or binary files', async () => {
    await writeFile(join(dir, 'tiny.rss.xml'), '<rss/>');
    await writeFile(join(dir, 'icon.png'), Buffer.alloc(4096, 1));
    const cache = createFileCache(dir, 1 << 20);
    expect(await cache.encode((await cache.load('tiny.rss.xml'))!, 'br')).toBeUndefined();
    expect(await cache.encode((await cache.load('icon.png'))!, 'gzip')).toBeUndefined();
  });

  it('picks up a new version with the same size (mtime or inode change)', async () => {
    await writeFile(join(dir, 'a.rss.xml'), '<rss>aaaa</rss>');
    const cache = createFileCache(dir, 1 << 20);
    const first = await cache.load('a.rss.xml');
    await writeFile(join(dir, 'a.rss.xml.tmp'), '<rss>bbbb</rss>');
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'a.rss.xml.tmp'), join(dir, 'a.rss.xml'));
    const second = await cache.load('a.rss.xml');
    expect(second?.body.toString()).toBe('<rss>bbbb</rss>');
    expect(second?.etags.identity).not.toBe(first?.etags.identity);
  });

  it('evicts least recently used files beyond its byte budget and still serves them correctly', async () => {
    for (const name of ['a', 'b', 'c']) await writeFile(join(dir, `${name}.rss.xml`), `${name}${body(200)}`);
    const cache = createFileCache(dir, 8_000);
    const a = await cache.load('a.rss.xml');
    await cache.load('b.rss.xml');
    await cache.load('c.rss.xml');
    const again = await cache.load('a.rss.xml');
    expect(again).not.toBe(a); // re-read after eviction
    expect(again?.body.toString()).toBe(`a${body(200)}`);
  });

  it('returns undefined for missing files and unknown suffixes', async () => {
    await writeFile(join(dir, 'notes.exe'), 'x');
    const cache = createFileCache(dir, 1 << 20);
    expect(await cache.load('missing.rss.xml')).toBeUndefined();
    expect(await cache.load('notes.exe')).toBeUndefined();
  });
});
