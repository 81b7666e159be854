/** The worker enforces retention on a schedule: seen-item records past retainDays are pruned without any command. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createFetcher } from '../../../src/fetch/index.js';
import { createWorker } from '../../../src/schedule/index.js';
import { openItemStore } from '../../../src/store/index.js';
import { createCapturingLogger, sleep } from '../../helpers/schedule-harness.js';

describe('createWorker: retention', () => {
  it('prunes expired seen-item records on its own schedule', async () => {
    const config = parseConfigText(
      `
store: memory://
worker: { initialRun: false }
sources:
  - id: a
    url: http://127.0.0.1:9/a/
    items: li
    schedule: "0 0 1 1 *"
    historySize: 1
    retainDays: 1
`,
      'test.yaml',
    ).config;
    const store = await openItemStore('memory://');
    const ctx = { timezone: 'UTC', historySize: 1, retainDays: 1 };
    await store.commitItems('a', [{ title: 'old one', link: 'http://127.0.0.1:9/a/1' }], {
      ...ctx,
      now: new Date('2020-01-01T00:00:00Z'),
    });
    // Half a day later "old two" pushes "old one" out of the one-item history, which writes its record.
    await store.commitItems('a', [{ title: 'old two', link: 'http://127.0.0.1:9/a/2' }], {
      ...ctx,
      now: new Date('2020-01-01T12:00:00Z'),
    });
    const { logger, records } = createCapturingLogger();
    const fetcher = createFetcher({ logger });
    const pipeline = {
      fetcher,
      store,
      outputDir: '/nonexistent',
      site: config.site,
      now: () => new Date('2020-03-01T00:00:00Z'),
      logger,
    };
    const worker = createWorker(config, { pipeline }, { pruneIntervalMs: 100 });
    await worker.start();
    await sleep(400);
    await worker.stop();
    await fetcher.close();
    // "old one"'s record is past its 1-day retention: it is gone, so it would be new again; "old two"
    // has no record (its history copy stands for it) and stays known through the one-item history.
    expect(records.some((r) => r.msg === 'store: pruned 1 seen-item records past retainDays')).toBe(true);
    const state = await store.loadSource('a');
    const at = new Date('2020-03-01T00:00:00Z');
    expect(await store.findNew(state, [{ title: 'old one', link: 'http://127.0.0.1:9/a/1' }], at)).toHaveLength(1);
    expect(await store.findNew(state, [{ title: 'old two', link: 'http://127.0.0.1:9/a/2' }], at)).toHaveLength(0);
    await store.close();
  });
});
