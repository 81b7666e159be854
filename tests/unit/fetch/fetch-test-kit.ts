/**
 * Shared setup for fetch tests: a fast policy, a fetcher with a silent logger, a per-test
 * server + fetcher pair, and a helper that captures the FetchError a promise rejects with.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { startTestServer, type RouteHandler, type TestServer } from '../../helpers/http-server.js';
import {
  createFetcher,
  defaultFetchPolicy,
  FetchError,
  type Fetcher,
  type FetcherOptions,
} from '../../../src/fetch/index.js';
import type { FetchPolicy, FetchRequest } from '../../../src/model.js';

/** The default policy with short timeouts, no host spacing and robots ignored unless overridden. */
function fastPolicy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return {
    ...defaultFetchPolicy(),
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    bodyTimeoutMs: 1_000,
    maxRetryDelayMs: 50,
    minHostDelayMs: 0,
    robots: 'ignore',
    ...overrides,
  };
}

/** A page request for `url` with a fast policy. */
export function pageRequest(
  url: string,
  policy: Partial<FetchPolicy> = {},
  extra: Partial<FetchRequest> = {},
): FetchRequest {
  return { sourceId: 'test-source', url, policy: fastPolicy(policy), purpose: 'page', ...extra };
}

/** A settable clock for tests. */
export interface FakeClock {
  now: number;
}

/**
 * A fetcher whose sleeps are recorded. Waits are real by default; with `fakeSleep` they return
 * at once, and with `fakeClock` they advance that clock instead of waiting.
 */
export function createTestFetcher(
  options: FetcherOptions & { fakeSleep?: boolean; fakeClock?: FakeClock } = {},
): Fetcher & { sleeps: number[] } {
  const { fakeSleep, fakeClock, ...fetcherOptions } = options;
  const sleeps: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
    if (fakeClock) fakeClock.now += ms;
    else if (!fakeSleep) await new Promise((resolve) => setTimeout(resolve, ms));
  };
  const now = fakeClock ? () => fakeClock.now : undefined;
  const fetcher = createFetcher({ sleep, random: () => 0.5, ...(now ? { now } : {}), ...fetcherOptions });
  return Object.assign(fetcher, { sleeps });
}

/** The server and fetcher a test file shares; set afresh before each test. */
export interface FetchTestEnv {
  server: TestServer;
  fetcher: ReturnType<typeof createTestFetcher>;
  /** Present when the env was asked for a fake clock. */
  clock: FakeClock;
}

/**
 * Registers beforeEach/afterEach hooks that start a test server and a fetcher for every test
 * and close both afterwards. Sleeps are faked; with `clockAt` (an ISO date) they advance a
 * fake clock starting there instead of returning at once.
 */
export function useFetchTestEnv(
  options: { routes?: Record<string, RouteHandler>; clockAt?: string } = {},
): FetchTestEnv {
  const env = {} as FetchTestEnv;
  beforeEach(async () => {
    env.server = await startTestServer(options.routes);
    if (options.clockAt === undefined) {
      env.fetcher = createTestFetcher({ fakeSleep: true });
    } else {
      env.clock = { now: Date.parse(options.clockAt) };
      env.fetcher = createTestFetcher({ fakeClock: env.clock });
    }
  });
  afterEach(async () => {
    await env.fetcher.close();
    await env.server.close();
  });
  return env;
}

/** Awaits a promise that must reject with a FetchError and returns it. */
export async function captureFetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}
