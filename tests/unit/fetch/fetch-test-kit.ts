/**
 * Shared setup for fetch tests: a fast policy, a fetcher with a silent logger, and a
 * helper that captures the FetchError a promise rejects with.
 */
import { expect } from 'vitest';
import { createFetcher, defaultFetchPolicy, FetchError, type Fetcher, type FetcherOptions } from '../../../src/fetch/index.js';
import type { FetchPolicy, FetchRequest } from '../../../src/model.js';

/** The default policy with short timeouts, no host spacing and robots ignored unless overridden. */
export function fastPolicy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
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
export function pageRequest(url: string, policy: Partial<FetchPolicy> = {}, extra: Partial<FetchRequest> = {}): FetchRequest {
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
export function createTestFetcher(options: FetcherOptions & { fakeSleep?: boolean; fakeClock?: FakeClock } = {}): Fetcher & { sleeps: number[] } {
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

/** Awaits a promise that must reject with a FetchError and returns it. */
export async function captureFetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}
