/** The site rebuild (topic feeds, OPML, index page) reads histories and renders only when its inputs changed. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { AppConfig, ExtractedItem, SourceHealth } from '../../../src/model.js';
import { publishSite, type PipelineDeps } from '../../../src/pipeline/index.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';

let dir: string;
let inner: ItemStore;
let deps: PipelineDeps;
let config: AppConfig;
let historyReads: number;
const T0 = Date.parse('2026-11-30T10:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwright-site-rebuild-'));
  config = parseConfigText(
    [
      'site:',
      '  title: t',
      'defaults:',
      '  schedule: "*/30 * * * *"',
      'sources:',
      '  - id: a',
      '    url: https://example.org/a/',
      '    maxItems: 1',
      'feeds:',
      '  - id: all',
      '    title: All',
      '    sources: all',
      '',
    ].join('\n'),
    'test.yaml',
  ).config;
  inner = await openItemStore('memory://');
  historyReads = 0;
  // Counts history reads: an unchanged site must be decided from the sources' state alone.
  const store: ItemStore = {
    ...inner,
    readHistory: (state) => {
      historyReads += 1;
      return inner.readHistory(state);
    },
  };
  deps = {
    fetcher: undefined as never,
    store,
    outputDir: dir,
    site: config.site,
    now: () => new Date(T0),
    logger: createSilentLogger(),
  };
});

afterEach(async () => {
  await inner.close();
  await rm(dir, { recursive: true, force: true });
});

const item = (n: number, title = `通知 ${n}`): ExtractedItem => ({
  title,
  link: `https://example.org/a/${n}.html`,
  canonicalLink: `https://example.org/a/${n}.html`,
});

async function commit(items: ExtractedItem[], minutes: number): Promise<void> {
  const now = new Date(T0 + minutes * 60_000);
  await inner.commitItems('a', items, { now, timezone: 'UTC', historySize: 10, retainDays: 30 });
}

async function checked(minutes: number, status: SourceHealth['status'] = 'ok'): Promise<void> {
  const lastRunAt = new Date(T0 + minutes * 60_000).toISOString();
  const failing = status === 'failing';
  await inner.saveSourceState('a', {
    health: {
      sourceId: 'a',
      status,
      lastFound: 3,
      lastNew: 0,
      consecutiveFailures: failing ? 3 : 0,
      lastRunAt,
      ...(failing
        ? { failingSince: lastRunAt, lastError: { code: 'FETCH_TIMEOUT', message: 'timed out', hint: 'wait' } }
        : { lastSuccessAt: lastRunAt }),
    },
  });
}

async function publish(): Promise<{ written: string[]; historyReads: number }> {
  historyReads = 0;
  const written = await publishSite(config, deps);
  return { written, historyReads };
}

describe('the site rebuild', () => {
  it('reads no history and writes nothing when only what the index page does not show changed', async () => {
    await commit([item(3), item(2), item(1)], 0);
    await checked(0);
    const first = await publish();
    expect(first.written).toEqual(expect.arrayContaining(['feeds.opml', 'index.html']));
    expect(first.historyReads).toBe(1);
    // The next runs found the page unchanged: run time, counters and status (304) moved, nothing shown did.
    await checked(5, 'not-modified');
    expect(await publish()).toEqual({ written: [], historyReads: 0 });
    await checked(10, 'ok');
    expect(await publish()).toEqual({ written: [], historyReads: 0 });
  });

  it('rebuilds when the history changed, even where only the topic feed shows it', async () => {
    await commit([item(3), item(2), item(1)], 0);
    await checked(0);
    await publish();
    // Item 1 is past the source feed's maxItems (1) but in the topic feed, which reads the whole history.
    await commit([item(3), item(2), item(1, '通知 1（更正）')], 5);
    const again = await publish();
    expect(again.historyReads).toBe(1);
    expect(again.written.some((file) => file.endsWith('all.rss.xml'))).toBe(true);
    expect(await readFile(join(dir, 'all.rss.xml'), 'utf8')).toContain('通知 1（更正）');
  });

  it('rebuilds when the shown health or check time moved, or a site file was removed', async () => {
    await commit([item(1)], 0);
    await checked(0);
    await publish();
    await checked(5, 'failing');
    expect((await publish()).written).toContain('index.html');
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('timed out');
    // A scheduled check half an interval later moves the check time shown.
    await checked(30, 'failing');
    expect((await publish()).written).toContain('index.html');
    await rm(join(dir, 'feeds.opml'));
    expect((await publish()).written).toEqual(['feeds.opml']);
    expect(await publish()).toEqual({ written: [], historyReads: 0 });
  });
});

describe('the site rebuild in a new process', () => {
  it('skips an unchanged site written by an earlier store handle, and rebuilds when a file or an input changed', async () => {
    const file = `sqlite://${join(dir, 'store.sqlite')}`;
    const output = join(dir, 'out');
    const publishWith = async (): Promise<{ written: string[]; historyReads: number }> => {
      // Each publish through a store opened anew, as each `feedwright run` does.
      const opened = await openItemStore(file);
      let reads = 0;
      const store: ItemStore = {
        ...opened,
        readHistory: (state) => {
          reads += 1;
          return opened.readHistory(state);
        },
      };
      try {
        const written = await publishSite(config, { ...deps, store, outputDir: output });
        return { written, historyReads: reads };
      } finally {
        await opened.close();
      }
    };
    const setup = await openItemStore(file);
    const at = { now: new Date(T0), timezone: 'UTC', historySize: 10, retainDays: 30 };
    await setup.commitItems('a', [item(2), item(1)], at);
    await setup.close();
    expect((await publishWith()).written).toEqual(expect.arrayContaining(['feeds.opml', 'index.html']));
    expect(await publishWith()).toEqual({ written: [], historyReads: 0 });
    await rm(join(output, 'index.html'));
    expect((await publishWith()).written).toEqual(['index.html']);
    expect(await publishWith()).toEqual({ written: [], historyReads: 0 });
    const again = await openItemStore(file);
    await again.commitItems('a', [item(3), item(2), item(1)], { ...at, now: new Date(T0 + 60_000) });
    await again.close();
    const changed = await publishWith();
    expect(changed.historyReads).toBe(1);
    expect(changed.written).toEqual(expect.arrayContaining(['index.html']));
    expect(await readFile(join(output, 'all.rss.xml'), 'utf8')).toContain('通知 3');
  });
});
