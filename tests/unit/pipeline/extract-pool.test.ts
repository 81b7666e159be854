/** The extraction pool: the same items as in-process extraction, and errors that keep their class and fields. */
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';
import { ExtractError, extractItems, type ExtractOptions } from '../../../src/extract/index.js';
import {
  configuredThreads,
  createLazyExtractPool,
  defaultPoolThreads,
  shouldUsePool,
  startExtractPool,
  type ExtractPool,
} from '../../../src/pipeline/extract-pool.js';

const NOW = new Date('2019-08-28T09:00:00+08:00');
const OPTIONS: ExtractOptions = {
  sourceId: 'test',
  type: 'auto',
  selectors: parseSourceSelectors({ items: 'ul.l li', date: ['span'] }),
  timezone: 'Asia/Shanghai',
  now: NOW,
  replace: [],
  summaryLength: 40,
};
const INPUT = {
  body: '<html><head><title>列表</title></head><body><ul class="l"><li><a href="./a.html">生态环境部通知</a><span>2019-08-27</span></li><li><a href="./b.html">关于大气污染防治的公告</a><span>8月26日</span></li></ul></body></html>',
  contentType: 'text/html; charset=utf-8',
  url: 'http://www.example.gov.cn/news/index.html',
};

let pool: ExtractPool;

beforeAll(async () => {
  pool = await startExtractPool(2);
});

afterAll(async () => {
  await pool.close();
});

describe('extract pool', () => {
  it('extracts on a worker thread exactly what the main thread extracts, dates included', async () => {
    const result = await pool.extract(INPUT, OPTIONS);
    expect(result).toEqual(extractItems(INPUT, OPTIONS));
    expect(result.items[0]?.published?.date).toBeInstanceOf(Date);
  });

  it('rethrows an extraction failure as the same ExtractError (code, selector, hint, message)', async () => {
    const options = { ...OPTIONS, selectors: { items: 'div.gone li' } };
    const error = await pool.extract(INPUT, options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ExtractError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'EXTRACT_NO_CONTAINER', selector: 'div.gone li', sourceId: 'test' });
    expect((error as Error).message).toBe('extract: source "test": the item selector matched nothing (div.gone li)');
  });

  it('is used only when threads are asked for and the pass has enough pages; a lazy pool never extracting starts nothing', async () => {
    expect(shouldUsePool(200, 0)).toBe(false);
    expect(shouldUsePool(3, 2)).toBe(false);
    expect(shouldUsePool(79, 2)).toBe(false);
    expect(shouldUsePool(80, 2)).toBe(true);
    expect(shouldUsePool(200, 2)).toBe(true);
    const lazy = createLazyExtractPool(2);
    await lazy.close();
  });

  it('extracts in this thread, after one notice, when the threads cannot start (a flag worker threads refuse)', async () => {
    // piscina passes this process's flags to its threads; Node refuses --single-threaded-gc in a worker.
    process.execArgv.push('--single-threaded-gc');
    const failures: unknown[] = [];
    const lazy = createLazyExtractPool(2, (error) => failures.push(error));
    try {
      const results = await Promise.all([lazy.extract(INPUT, OPTIONS), lazy.extract(INPUT, OPTIONS)]);
      expect(results).toEqual([extractItems(INPUT, OPTIONS), extractItems(INPUT, OPTIONS)]);
      expect(failures).toHaveLength(1);
      expect((failures[0] as NodeJS.ErrnoException).code).toBe('ERR_WORKER_INVALID_EXEC_ARGV');
    } finally {
      process.execArgv.pop();
      await lazy.close();
    }
  });

  it('reads FEEDWRIGHT_EXTRACT_THREADS: off when unset, 0 or not a count; auto leaves the main thread a core', () => {
    const saved = process.env.FEEDWRIGHT_EXTRACT_THREADS;
    const threads = (value: string | undefined) => {
      if (value === undefined) delete process.env.FEEDWRIGHT_EXTRACT_THREADS;
      else process.env.FEEDWRIGHT_EXTRACT_THREADS = value;
      return configuredThreads();
    };
    try {
      expect(threads(undefined)).toBe(0);
      expect(threads('0')).toBe(0);
      expect(threads(' 3 ')).toBe(3);
      expect(threads('many')).toBe(0);
      expect(threads('-2')).toBe(0);
      expect(threads('auto')).toBe(defaultPoolThreads());
      expect(defaultPoolThreads()).toBe(Math.max(1, availableParallelism() - 1));
    } finally {
      threads(saved);
    }
  });
});
