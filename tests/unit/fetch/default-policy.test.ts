import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, defaultFetchPolicy, FEEDWRIGHT_VERSION } from '../../../src/fetch/index.js';

describe('defaultFetchPolicy', () => {
  it('has the documented defaults', () => {
    expect(defaultFetchPolicy()).toEqual({
      userAgent: DEFAULT_USER_AGENT,
      connectTimeoutMs: 10_000,
      headersTimeoutMs: 20_000,
      bodyTimeoutMs: 60_000,
      maxBytes: 10 * 1024 * 1024,
      maxRedirects: 5,
      retries: 2,
      maxRetryDelayMs: 60_000,
      minHostDelayMs: 1_000,
      perHostConcurrency: 2,
      headers: {},
      cookies: {},
      robots: 'obey',
      privateNetwork: 'auto',
    });
  });

  it('returns a fresh object each time', () => {
    const policy = defaultFetchPolicy();
    policy.headers.x = 'y';
    expect(defaultFetchPolicy().headers).toEqual({});
  });

  it('names feedwright and the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(FEEDWRIGHT_VERSION).toBe(pkg.version);
    expect(DEFAULT_USER_AGENT.startsWith(`feedwright/${pkg.version} `)).toBe(true);
  });

  it('matches the User-Agent the config defaults use', async () => {
    const version = await import('../../../src/defaults/version.js');
    expect(DEFAULT_USER_AGENT).toBe(version.DEFAULT_USER_AGENT);
  });
});
