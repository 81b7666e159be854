/** The check time index.html shows: a real check's, kept for extra passes, moved by scheduled runs. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createFetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { AppConfig } from '../../../src/model.js';
import { publishSite, type PipelineDeps } from '../../../src/pipeline/index.js';
import { openItemStore } from '../../../src/store/index.js';

let dir: string;
let deps: PipelineDeps;
let config: AppConfig;
const T0 = Date.parse('2026-11-30T10:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwright-index-check-'));
  config = parseConfigText(
    'site:\n  title: t\ndefaults:\n  schedule: "*/30 * * * *"\nsources:\n  - id: a\n    url: https://example.org/a/\n',
    'test.yaml',
  ).config;
  deps = {
    fetcher: createFetcher({ logger: createSilentLogger() }),
    store: await openItemStore('memory://'),
    outputDir: dir,
    site: config.site,
    now: () => new Date(T0),
    logger: createSilentLogger(),
  };
});

afterEach(async () => {
  await deps.fetcher.close();
  await deps.store.close();
  await rm(dir, { recursive: true, force: true });
});

async function checkAt(minutes: number): Promise<{ written: string[]; shown: string | undefined }> {
  const lastRunAt = new Date(T0 + minutes * 60_000).toISOString();
  await deps.store.saveSourceState('a', {
    health: {
      sourceId: 'a',
      status: 'ok',
      lastFound: 1,
      lastNew: 0,
      consecutiveFailures: 0,
      lastRunAt,
      lastSuccessAt: lastRunAt,
    },
  });
  const written = await publishSite(config, deps);
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  return { written, shown: /Checked<\/span><\/dt><dd><time datetime="([^"]+)"/.exec(html)?.[1] };
}

describe('the check time on index.html', () => {
  it('stays for checks less than half an interval later, and moves with a later one', async () => {
    expect(await checkAt(0)).toMatchObject({ shown: '2026-11-30T10:00:00.000Z' });
    // An extra pass five minutes later (a manual run, the demo's second pass): the page is not rewritten.
    expect(await checkAt(5)).toEqual({ written: [], shown: '2026-11-30T10:00:00.000Z' });
    expect(await checkAt(14)).toEqual({ written: [], shown: '2026-11-30T10:00:00.000Z' });
    // The next scheduled check, half an interval or more after the one shown, moves it.
    const scheduled = await checkAt(30);
    expect(scheduled.written).toContain('index.html');
    expect(scheduled.shown).toBe('2026-11-30T10:30:00.000Z');
  });
});
