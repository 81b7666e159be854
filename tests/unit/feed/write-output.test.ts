import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError, renderFeed, writeFeedFiles, writeOutputFile } from '../../../src/feed/index.js';
import { storedItem } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'feedwright-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOutputFile / writeFeedFiles', () => {
  it('writes the three documents, then nothing while the content is unchanged (mtime kept)', async () => {
    const out = join(dir, 'out', 'nested');
    const meta = { id: 'mee', title: 'MEE', homePageUrl: 'https://www.mee.gov.cn/', maxItems: 10 };
    const feed = renderFeed(meta, [storedItem(1, 1)]);
    const written = await writeFeedFiles(out, feed);
    expect(written).toEqual(['mee.rss.xml', 'mee.atom.xml', 'mee.feed.json'].map((f) => join(out, f)));
    expect(readFileSync(join(out, 'mee.rss.xml'), 'utf8')).toBe(feed.rss);
    const mtime = statSync(join(out, 'mee.atom.xml')).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await writeFeedFiles(out, renderFeed(meta, [storedItem(1, 1)]))).toEqual([]);
    expect(statSync(join(out, 'mee.atom.xml')).mtimeMs).toBe(mtime);
    const next = await writeFeedFiles(out, renderFeed(meta, [storedItem(1, 1), storedItem(2, 0)]));
    expect(next).toHaveLength(3);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports whether it wrote', async () => {
    expect(await writeOutputFile(dir, 'index.html', '<p>a</p>')).toBe(true);
    expect(await writeOutputFile(dir, 'index.html', '<p>a</p>')).toBe(false);
    expect(await writeOutputFile(dir, 'index.html', '<p>b</p>')).toBe(true);
  });

  it('refuses names that are not plain file names', async () => {
    await expect(writeOutputFile(dir, '../escape.xml', 'x')).rejects.toBeInstanceOf(OutputError);
    await expect(writeOutputFile(dir, '.hidden', 'x')).rejects.toMatchObject({ code: 'OUTPUT_WRITE' });
  });

  it('turns file-system failures into OUTPUT_WRITE naming the feed, with a hint', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const error = await writeFeedFiles(blocker, renderFeed({ id: 'f', title: 'f', homePageUrl: 'https://e.org/', maxItems: 1 }, [])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'OUTPUT_WRITE', sourceId: 'f' });
    expect((error as OutputError).message).toMatch(/^output: feed "f": could not write /);
    expect((error as OutputError).hint).toContain('writable');
  });
});
