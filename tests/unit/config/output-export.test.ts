/** `output:` is the default for a store one process uses, and an optional export with a shared (Redis) store. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';

const SOURCES = 'sources:\n  - id: a\n    url: https://example.org/a/\n';

describe('output', () => {
  it.each([
    ['defaults to the output folder with the embedded store', '', 'output'],
    ['defaults to the output folder with a memory store', 'store: memory://\n', 'output'],
    ['is not written by default with a shared Redis store', 'store: redis://127.0.0.1:6379\n', undefined],
    ['is an export when set with a Redis store', 'store: rediss://redis.example:6380\noutput: public\n', 'public'],
    ['is the folder given with the embedded store', 'output: site\n', 'site'],
  ])('%s', (_name, head, expected) => {
    expect(parseConfigText(`${head}${SOURCES}`, 'test.yaml').config.output).toBe(expected);
  });
});
