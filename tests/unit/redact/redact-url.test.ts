import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/redact/redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['redis://user:s3cret@10.0.0.5:6379/2', 'redis://***@10.0.0.5:6379/2'],
    ['redis://:s3cret@cache.internal:6379', 'redis://***@cache.internal:6379'],
    ['rediss://s3cret@cache.internal', 'rediss://***@cache.internal'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://127.0.0.1:6379/0?namespace=a@b', 'redis://127.0.0.1:6379/0?namespace=a@b'],
    // The last @ ends the user info, as in WHATWG URL parsing: a raw @ in a password is hidden too.
    ['redis://user:p@ss@host:6379', 'redis://***@host:6379'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
