/**
 * Politeness shared through Redis: two fetchers stand for two workers. Spacing is checked on the
 * turns the gate reserves (Redis time), not on wall-clock gaps, so the test does not depend on load.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHostGate } from '../../../src/fetch/host-gate.js';
import { createSharedHostGate, type RedisScripts } from '../../../src/fetch/shared-politeness.js';
import { createFetcher, type Fetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import { openRedisScripts, type RedisScriptsConnection } from '../../../src/store/index.js';
import { startTestServer, serveBytes, type TestServer } from '../../helpers/http-server.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';
import { pageRequest } from './fetch-test-kit.js';

const redisUp = await checkRedisForTests();

describe.skipIf(!redisUp)('shared politeness (Redis at 127.0.0.1:6379)', () => {
  let redis: RedisScriptsConnection;
  let prefix = '';
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await openRedisScripts(REDIS_URL);
  });
  afterAll(async () => {
    await redis.close();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await redis.eval(
      `for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1`,
      [],
      [`${prefix}*`],
    );
  });

  function gateFor(sleeps: number[]) {
    const clock = { now: Date.now, sleep: async (ms: number) => void sleeps.push(ms) };
    return createSharedHostGate({
      redis,
      prefix,
      local: createHostGate(16, clock),
      clock,
      logger: createSilentLogger(),
    });
  }

  it('spaces request starts to one host by minDelay across workers', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const [sleepsA, sleepsB] = [[] as number[], [] as number[]];
    const [a, b] = [gateFor(sleepsA), gateFor(sleepsB)];
    const limits = { perHostConcurrency: 8, minHostDelayMs: 1_000 };
    const waits: number[] = [];
    const take = async (gate: typeof a, sleeps: number[]) => {
      const before = sleeps.length;
      (await gate.acquire('h.example', limits))();
      waits.push(sleeps.slice(before).reduce((sum, ms) => sum + ms, 0));
    };
    const started = Date.now();
    for (let i = 0; i < 3; i += 1) {
      await take(a, sleepsA);
      await take(b, sleepsB);
    }
    const elapsed = Date.now() - started;
    // Six turns 1 s apart, handed out alternately to two workers: waits of 0, 1, 2 … 5 s (less the time the calls took).
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThan(i * 1_000 - elapsed - 5);
      expect(ms).toBeLessThanOrEqual(i * 1_000);
    });
    // Another host is not held back.
    const other: number[] = [];
    (await gateFor(other).acquire('other.example', limits))();
    expect(other.filter((ms) => ms > 0)).toEqual([]);
  });

  it('a worker that starts its turn late pushes the next worker back: the starts stay minDelay apart', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    // Real sleeps: worker A oversleeps its turn by 200 ms (a busy process), B sleeps exactly.
    const realClock = (overshootMs: number) => ({
      now: Date.now,
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms + overshootMs)),
    });
    const gate = (clock: ReturnType<typeof realClock>) =>
      createSharedHostGate({ redis, prefix, local: createHostGate(16, clock), clock, logger: createSilentLogger() });
    const limits = { perHostConcurrency: 8, minHostDelayMs: 300 };
    (await gate(realClock(0)).acquire('h.example', limits))();
    const startOf = async (turn: Promise<() => void> | (() => void)) => {
      (await turn)();
      return Date.now();
    };
    const late = startOf(gate(realClock(200)).acquire('h.example', limits));
    const onTime = startOf(gate(realClock(0)).acquire('h.example', limits));
    const [lateAt, onTimeAt] = await Promise.all([late, onTime]);
    // Without the start check, B went out ~100 ms after A (its turn came 300 ms after A's turn, A started 200 ms late).
    expect(onTimeAt - lateAt).toBeGreaterThanOrEqual(280);
  });

  it('a worker that handles Redis’ answer late (a starved process) records its real start: the next waits for it', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const clock = { now: Date.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    // Worker A's event loop is busy for 250 ms when the answer to its start check arrives: Redis timed
    // the start, but the request leaves 250 ms later.
    let lagNextStart = false;
    const starved: RedisScripts = {
      get: (key) => redis.get(key),
      set: (key, value, ttlMs, onlyIfAbsent) => redis.set(key, value, ttlMs, onlyIfAbsent),
      async eval(script, keys, args) {
        const answer = await redis.eval(script, keys, args);
        if (lagNextStart && keys[1]?.includes(':started:')) {
          lagNextStart = false;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        return answer;
      },
    };
    const gate = (scripts: RedisScripts) =>
      createSharedHostGate({
        redis: scripts,
        prefix,
        local: createHostGate(16, clock),
        clock,
        logger: createSilentLogger(),
      });
    const limits = { perHostConcurrency: 8, minHostDelayMs: 300 };
    (await gate(redis).acquire('h.example', limits))();
    const startOf = async (turn: Promise<() => void>) => {
      (await turn)();
      return Date.now();
    };
    await sleep(300);
    lagNextStart = true;
    const late = startOf(gate(starved).acquire('h.example', limits));
    await sleep(5);
    const next = startOf(gate(redis).acquire('h.example', limits));
    const [lateAt, nextAt] = await Promise.all([late, next]);
    // Without the second record, the next worker went out ~50 ms after A's real start (its turn came
    // 300 ms after the start Redis timed).
    expect(nextAt - lateAt).toBeGreaterThanOrEqual(280);
  });

  it('a request written late (its worker stalled after the start check) holds the next worker until it is out', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const clock = { now: Date.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    const gate = () =>
      createSharedHostGate({ redis, prefix, local: createHostGate(16, clock), clock, logger: createSilentLogger() });
    const limits = { perHostConcurrency: 8, minHostDelayMs: 300 };
    const first = await gate().acquire('h.example', limits);
    // Worker A's request reaches its connection 500 ms after its start check: its turn is past, and
    // B's turn (300 ms after A's) comes before A's request is out.
    const written = sleep(500).then(() => {
      first.written();
      const writtenAt = Date.now();
      first();
      return writtenAt;
    });
    const next = gate()
      .acquire('h.example', limits)
      .then((turn) => (turn(), Date.now()));
    const [writtenAt, nextAt] = await Promise.all([written, next]);
    // Spacing from the start check alone sent B ~200 ms before A's request.
    expect(nextAt - writtenAt).toBeGreaterThanOrEqual(280);
  });

  it('a start never confirmed (its worker killed before the write) holds the host only until its lease runs out', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const clock = { now: Date.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    const gate = () =>
      createSharedHostGate({
        redis,
        prefix,
        local: createHostGate(16, clock),
        clock,
        logger: createSilentLogger(),
        leaseMs: 800,
      });
    const limits = { perHostConcurrency: 8, minHostDelayMs: 100 };
    const startedAt = Date.now();
    await gate().acquire('h.example', limits); // never written nor ended: the worker is gone
    const nextAt = await gate()
      .acquire('h.example', limits)
      .then((turn) => (turn(), Date.now()));
    expect(nextAt - startedAt).toBeGreaterThanOrEqual(780);
    expect(nextAt - startedAt).toBeLessThan(3_000);
  });

  it('a turn whose request another client sends later (the browser) spaces the next worker from its sent()', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const clock = { now: Date.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
    const gate = () =>
      createSharedHostGate({ redis, prefix, local: createHostGate(16, clock), clock, logger: createSilentLogger() });
    // The next worker's turn comes 600 ms after A's, A's browser sends 250 ms after it: the sent()
    // record lands long before the next worker starts, even when timers fire late on a loaded machine
    // (with 300 ms the margin was 50 ms, and the full suite on 2 cores overshot it).
    const limits = { perHostConcurrency: 8, minHostDelayMs: 600 };
    (await gate().acquire('h.example', limits))();
    await sleep(600);
    // Worker A's browser sends 250 ms after the turn (playwright-core's round trip on a loaded machine).
    const browser = gate()
      .acquire('h.example', limits, { sendsLater: true })
      .then(async (turn) => {
        await sleep(250);
        turn.sent?.();
        const sentAt = Date.now();
        turn();
        return sentAt;
      });
    await sleep(5);
    const next = gate()
      .acquire('h.example', limits)
      .then((turn) => (turn(), Date.now()));
    const [sentAt, nextAt] = await Promise.all([browser, next]);
    // Without the record at sent(), the next worker went out ~350 ms after the browser's request.
    expect(nextAt - sentAt).toBeGreaterThanOrEqual(580);
  });

  it('holds the per-host concurrency across workers, and a Retry-After pause from one worker holds the other', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const a = gateFor([]);
    const sleepsB: number[] = [];
    const b = gateFor(sleepsB);
    const limits = { perHostConcurrency: 1, minHostDelayMs: 0 };
    const releaseA = await a.acquire('h.example', limits);
    let bHasTurn = false;
    const pending = Promise.resolve(b.acquire('h.example', limits)).then((release) => ((bHasTurn = true), release));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(bHasTurn).toBe(false);
    releaseA();
    (await pending)();
    expect(bHasTurn).toBe(true);

    a.defer('h.example', Date.now() + 30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sleepsB.length = 0;
    (await b.acquire('h.example', limits))();
    expect(Math.max(...sleepsB)).toBeGreaterThan(29_000);
  });

  it('downloads robots.txt once for all workers', async () => {
    prefix = `fwtest-${randomUUID()}:polite:`;
    const server: TestServer = await startTestServer({
      '/robots.txt': serveBytes('User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' }),
      '/list/': serveBytes('<ul><li><a href="/a">a</a></li></ul>', { 'content-type': 'text/html' }),
      '/private/': serveBytes('secret', { 'content-type': 'text/html' }),
    });
    const fetchers: Fetcher[] = [0, 1, 2].map(() =>
      createFetcher({ shared: { redis, prefix }, logger: createSilentLogger() }),
    );
    cleanups.push(async () => {
      await Promise.all(fetchers.map((fetcher) => fetcher.close()));
      await server.close();
    });
    const policy = { robots: 'obey' as const };
    await Promise.all(fetchers.map((fetcher) => fetcher.fetch(pageRequest(`${server.url}list/`, policy))));
    await expect(fetchers[2]!.fetch(pageRequest(`${server.url}private/`, policy))).rejects.toMatchObject({
      code: 'FETCH_ROBOTS',
    });
    expect(server.count('/robots.txt')).toBe(1);
    expect(server.count('/list/')).toBe(3);
  });

  it('falls back to the worker’s own gate when Redis fails, without failing the request', async () => {
    const broken = {
      eval: () => Promise.reject(new Error('ECONNREFUSED')),
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const clock = { now: Date.now, sleep: async () => undefined };
    const gate = createSharedHostGate({
      redis: broken,
      prefix: 'unused:',
      local: createHostGate(16, clock),
      clock,
      logger: createSilentLogger(),
    });
    const release = await gate.acquire('h.example', { perHostConcurrency: 1, minHostDelayMs: 0 });
    expect(typeof release).toBe('function');
    release();
  });
});
