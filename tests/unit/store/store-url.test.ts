import { describe, expect, it } from 'vitest';
import { splitStoreUrl } from '../../../src/store/index.js';

describe('splitStoreUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379', 'feedwright'],
    ['redis://127.0.0.1:6379/2?namespace=team-a', 'redis://127.0.0.1:6379/2', 'team-a'],
    ['redis://127.0.0.1:6379?namespace=a&other=1', 'redis://127.0.0.1:6379?other=1', 'a'],
    ['sqlite://data/feedwright.sqlite', 'sqlite://data/feedwright.sqlite', 'feedwright'],
    ['memory://?namespace=', 'memory://', 'feedwright'],
  ])('%s', (input, url, namespace) => {
    expect(splitStoreUrl(input)).toEqual({ url, namespace });
  });
});
