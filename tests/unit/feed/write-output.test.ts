import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
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

  it('removes temp files a killed write left behind when a write starts: only its own, only old ones', async () => {
    const out = join(dir, 'orphans');
    mkdirSync(out, { recursive: true });
    const hourAgo = new Date(Date.now() - 3_600_000);
    const old = (name: string, make: (path: string) => void = (path) => writeFileSync(path, 'half a feed')) => {
      make(join(out, name));
      utimesSync(join(out, name), hourAgo, hourAgo);
    };
    old('.mee.rss.xml.4242.0123456789ab.tmp'); // left by a kill: removed
    old('.feeds.opml.77.abcdefabcdef.tmp'); // another output file's: removed too
    writeFileSync(join(out, '.mee.atom.xml.4243.0123456789ab.tmp'), 'a write in progress elsewhere'); // fresh: kept
    old('.notes.tmp'); // not a name feedwright makes: kept
    old('draft.rss.xml.tmp'); // not hidden, not ours: kept
    old('.x.1.0123456789ab.tmp', (path) => mkdirSync(path)); // a folder: kept
    writeFileSync(join(dir, 'outside.txt'), 'outside');
    old('.y.2.0123456789ab.tmp', (path) => symlinkSync(join(dir, 'outside.txt'), path)); // a symlink: kept
    await writeOutputFile(out, 'index.html', '<html></html>');
    expect(readdirSync(out).sort()).toEqual([
      '.mee.atom.xml.4243.0123456789ab.tmp',
      '.notes.tmp',
      '.x.1.0123456789ab.tmp',
      '.y.2.0123456789ab.tmp',
      'draft.rss.xml.tmp',
      'index.html',
    ]);
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('outside');
  });

  it('makes the output folder again when it was removed after this process made it', async () => {
    const out = join(dir, 'removed', 'later');
    expect(await writeOutputFile(out, 'a.xml', 'a')).toBe(true);
    rmSync(join(dir, 'removed'), { recursive: true });
    expect(await writeOutputFile(out, 'b.xml', 'b')).toBe(true);
    expect(readFileSync(join(out, 'b.xml'), 'utf8')).toBe('b');
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
    const error = await writeFeedFiles(
      blocker,
      renderFeed({ id: 'f', title: 'f', homePageUrl: 'https://e.org/', maxItems: 1 }, []),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'OUTPUT_WRITE', sourceId: 'f' });
    expect((error as OutputError).message).toMatch(/^output: feed "f": could not write /);
    expect((error as OutputError).hint).toContain('writable');
  });
});
