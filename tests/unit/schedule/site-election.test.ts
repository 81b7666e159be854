/**
 * The site election on real Redis: one worker holds the lease and writes the site files; a writer
 * that stalled past its lease and was replaced cannot put its older rebuild over the newer site,
 * and the holder itself never writes a rebuild older than the one already written.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createFetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { AppConfig, FeedVersion } from '../../../src/model.js';
import { publishSite, type PipelineDeps } from '../../../src/pipeline/index.js';
import { createSiteElection, siteElectionKeys, type SiteElection } from '../../../src/schedule/site-election.js';
import { openItemStore, openRedisScripts, type RedisScriptsConnection } from '../../../src/store/index.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';

const redisUp = await checkRedisForTests();
const namespace = `fwtest-election-${randomUUID()}`;
const LEASE_MS = 800;

describe.skipIf(!redisUp)('site election', () => {
  let dir: string;
  let deps: PipelineDeps;
  let config: AppConfig;
  const connections: RedisScriptsConnection[] = [];
  const elections: SiteElection[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feedwright-election-'));
    config = parseConfigText(
      [
        'site:',
        '  title: t',
        'sources:',
        '  - id: a',
        '    url: https://example.org/a/',
        '  - id: b',
        '    url: https://example.org/b/',
        'feeds:',
        '  - id: all',
        '    title: All',
        '    sources: all',
      ].join('\n'),
      'test.yaml',
    ).config;
    deps = {
      fetcher: createFetcher({ logger: createSilentLogger() }),
      store: await openItemStore('memory://'),
      outputDir: dir,
      site: config.site,
      now: () => new Date('2026-11-30T10:00:00Z'),
      logger: createSilentLogger(),
    };
  });

  afterEach(async () => {
    for (const election of elections.splice(0)) await election.stop();
    for (const connection of connections.splice(0)) await connection.close();
    await deps.fetcher.close();
    await deps.store.close();
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    const admin = createClient({ url: REDIS_URL });
    await admin.connect();
    const keys = await admin.keys(`${namespace}*`);
    if (keys.length) await admin.del(keys);
    await admin.close();
  });

  async function elect(worker: string, ns: string): Promise<SiteElection> {
    const redis = await openRedisScripts(REDIS_URL);
    connections.push(redis);
    const election = createSiteElection({
      redis,
      namespace: ns,
      worker,
      logger: createSilentLogger(),
      leaseMs: LEASE_MS,
      marginMs: 200,
    });
    elections.push(election);
    return election;
  }

  /** A run of `sourceId` that found `title`: new history and the next feed version, as a run confirms it. */
  async function runOf(sourceId: string, title: string, n: number): Promise<void> {
    await deps.store.commitItems(sourceId, [{ title, link: `https://example.org/${sourceId}/${n}.html` }], {
      now: new Date('2026-11-30T10:00:00Z'),
      timezone: 'UTC',
      historySize: 50,
      retainDays: 30,
    });
    const feedVersion: FeedVersion = { n, hash: `h${n}` };
    await deps.store.saveSourceState(sourceId, { feedVersion });
  }

  it('elects one writer; a replaced writer’s older rebuild never lands over the newer site', async () => {
    const ns = `${namespace}-stale`;
    const first = await elect('host-a:1', ns);
    const second = await elect('host-b:2', ns);
    await runOf('a', 'first item', 1);
    await runOf('b', 'b item', 1);
    expect(await first.campaign()).toBe(true);
    expect(await second.campaign()).toBe(false);
    expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);
    expect(await publishSite(config, deps, first)).toContain('index.html');

    // The first writer renders, then stalls (a GC pause, a stopped VM) before it writes.
    let resume!: () => void;
    const stalled = new Promise<void>((resolve) => (resume = resolve));
    const staleRebuild = publishSite(config, deps, {
      allow: async (versions) => {
        await stalled;
        return first.allow(versions);
      },
    });
    await sleep(50);
    // Meanwhile its lease runs out, the other worker is elected and writes a newer site.
    await sleep(LEASE_MS + 50);
    expect(await second.campaign()).toBe(true);
    expect(second.token()).toBeGreaterThan(first.token() ?? 0);
    await runOf('a', 'second item', 2);
    const newer = await publishSite(config, deps, second);
    expect(newer).toEqual(expect.arrayContaining(['index.html', join(dir, 'all.rss.xml')]));
    const newerIndex = await readFile(join(dir, 'index.html'), 'utf8');
    const newerTopic = await readFile(join(dir, 'all.rss.xml'), 'utf8');
    expect(newerIndex).toContain('second item');

    resume();
    expect(await staleRebuild).toEqual([]);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe(newerIndex);
    expect(await readFile(join(dir, 'all.rss.xml'), 'utf8')).toBe(newerTopic);
    expect(first.isLeader()).toBe(false);
    // The stale writer campaigns again: the lease is taken, it stays out.
    expect(await first.campaign()).toBe(false);
  });

  it('compares feed versions: the holder never writes a rebuild older than the site written', async () => {
    const ns = `${namespace}-versions`;
    const writer = await elect('host-a:1', ns);
    expect(await writer.campaign()).toBe(true);
    expect(
      await writer.allow(
        new Map([
          ['a', 3],
          ['b', 1],
        ]),
      ),
    ).toBe(true);
    expect(
      await writer.allow(
        new Map([
          ['a', 2],
          ['b', 5],
        ]),
      ),
    ).toBe(false);
    expect(
      await writer.allow(
        new Map([
          ['a', 3],
          ['b', 1],
        ]),
      ),
    ).toBe(true);
    expect(
      await writer.allow(
        new Map([
          ['a', 4],
          ['b', 1],
        ]),
      ),
    ).toBe(true);
    const admin = await openRedisScripts(REDIS_URL);
    connections.push(admin);
    const written = JSON.parse((await admin.get(siteElectionKeys(ns).written)) ?? '{}') as {
      token: number;
      versions: Record<string, number>;
    };
    expect(written).toEqual({ token: writer.token(), versions: { a: 4, b: 1 } });
  });

  it('hands the lease over when its holder stops, and renews it while running', async () => {
    const ns = `${namespace}-handover`;
    const first = await elect('host-a:1', ns);
    const second = await elect('host-b:2', ns);
    first.start();
    await sleep(100);
    expect(first.isLeader()).toBe(true);
    // Renewed every third of the lease: still the holder after twice its length.
    await sleep(2 * LEASE_MS);
    expect(await second.campaign()).toBe(false);
    expect(first.isLeader()).toBe(true);
    await first.stop();
    expect(await second.campaign()).toBe(true);
    expect(await second.allow(new Map([['a', 1]]))).toBe(true);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
