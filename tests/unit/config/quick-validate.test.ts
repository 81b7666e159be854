/**
 * The quick validator (config read without zod) must return exactly what the zod schema returns, or
 * nothing: it may leave any file to zod, but never vouch for one zod rejects nor change a value,
 * a default or the order of keys (the resolved config is hashed for the config-drift check).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/index.js';
import { QUICK_SHAPES, validateQuickly } from '../../../src/config/quick-validate.js';
import { readPlainQuickly } from '../../../src/config/read-config-text.js';
import { createRandom } from '../../helpers/seeded-random.js';

/** A config setting every field the schema knows, each to a valid value. */
const FULL = {
  $schema: './schema.json',
  site: { title: '  Policy watch ', url: 'https://example.org/feeds/', description: 'd', language: 'zh-CN' },
  store: 'sqlite://data/x.sqlite',
  emptyStore: 'refuse',
  output: ' out ',
  worker: { concurrency: 4, initialRun: false, jitter: '10s', shutdownTimeout: 5000 },
  browser: { executablePath: '/usr/bin/chromium', maxPages: 2, idleClose: '1m', maxRequests: 50 },
  defaults: {
    schedule: '*/30 * * * *',
    timezone: 'Asia/Shanghai',
    language: 'zh',
    maxItems: 20,
    historySize: 100,
    retainDays: 30,
    summaryLength: 200,
    reportFailuresInFeed: true,
    failAfter: 2,
    render: 'auto',
    renderTimeout: '20s',
    userAgent: 'ua',
    timeout: '30s',
    connectTimeout: 1000,
    headersTimeout: '5s',
    maxSize: '2MB',
    maxRedirects: 5,
    retries: 1,
    maxRetryDelay: '1m',
    minDelay: '2s',
    perHost: 2,
    headers: { Accept: 'text/html' },
    cookies: { a: 'b' },
    robots: 'obey',
    encoding: 'gbk',
  },
  sources: [
    {
      id: 'mee',
      name: ' 生态环境部 ',
      url: 'https://www.mee.gov.cn/ywdt/',
      type: 'html',
      items: 'ul.list li',
      title: 'a',
      link: ['a@href', ' h3 a@href '],
      date: 'span.date',
      summary: 'p',
      author: 'span.author',
      image: 'img@src',
      category: 'span.cat',
      dateFormat: 'yyyy-MM-dd',
      replace: [{ pattern: '^\\s+', flags: 'g', replacement: '', field: 'summary' }, { pattern: 'x' }],
      convert: 't2s',
      detail: { date: 'time@datetime', summary: ['article', 'div.content'], fields: ['date'] },
      waitFor: 'ul.list',
      schedule: '0 * * * *',
      timezone: 'Asia/Taipei',
      maxSize: 1048576,
      headers: { Referer: 'https://www.mee.gov.cn/' },
    },
    { id: 'b.2_x', url: 'http://example.org/list' },
  ],
  feeds: [
    {
      id: 'air',
      title: '大气',
      description: 'air',
      sources: ['mee'],
      include: ['大气', '/PM2\\.5/i'],
      exclude: ['广告'],
      match: ['title', 'summary'],
      maxItems: 10,
      language: 'zh',
    },
    { id: 'all', title: 'Everything', sources: 'all' },
  ],
};

/** Values tried in place of any field: valid and invalid, of every type YAML or JSON can give. */
const PALETTE: unknown[] = [
  null,
  '',
  ' ',
  ' x ',
  'x',
  'all',
  'title',
  'summary',
  'date',
  'fetch',
  'browser',
  'obey',
  'refuse',
  'feed',
  't2s',
  'g',
  'gu',
  'zz',
  '30s',
  ' 30s ',
  '1.5m',
  '10MB',
  '10 kb',
  '-1',
  '5x',
  0,
  1,
  -1,
  1.5,
  20,
  21,
  11,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  [''],
  ['a'],
  [' a '],
  ['title', 'title'],
  [1],
  {},
  { a: 'b' },
  { a: 1 },
  { pattern: 'x' },
  'https://example.org/',
  ' https://example.org/ ',
  'https://example.org/ ',
  'https://example.org/\n',
  'https://exa\tmple.org/',
  'HTTPS://EXAMPLE.ORG/',
  'http:/example.org',
  'http:example.org',
  'https://',
  'ftp://example.org/',
  'sqlite://x',
  'redis://127.0.0.1:6379',
  'memory://',
  'mem://',
  'A-1',
  '-a',
  'a b',
  'ul li',
  'a@href',
];

describe('quick config validation', () => {
  it('knows every field of every object in the schema, in the schema’s order', () => {
    const config = shapeOf(configSchema);
    const source = shapeOf(inner(config.sources));
    const feed = shapeOf(inner(config.feeds));
    expect(QUICK_SHAPES.config()).toEqual(Object.keys(config));
    expect(QUICK_SHAPES.site()).toEqual(Object.keys(shapeOf(config.site)));
    expect(QUICK_SHAPES.worker()).toEqual(Object.keys(shapeOf(config.worker)));
    expect(QUICK_SHAPES.browser()).toEqual(Object.keys(shapeOf(config.browser)));
    expect(QUICK_SHAPES.defaults()).toEqual(Object.keys(shapeOf(config.defaults)));
    expect(QUICK_SHAPES.source()).toEqual(Object.keys(source));
    expect(QUICK_SHAPES.replace()).toEqual(Object.keys(shapeOf(inner(source.replace))));
    expect(QUICK_SHAPES.detail()).toEqual(Object.keys(shapeOf(source.detail)));
    expect(QUICK_SHAPES.feed()).toEqual(Object.keys(feed));
  });

  it('settles the full config, the starter and demo configs, and a minimal one exactly as zod does', () => {
    const files = ['config/feedwright.yaml', 'config/demo.yaml'].map((path) =>
      readPlainQuickly(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')),
    );
    for (const data of [FULL, ...files, { sources: [{ id: 'a', url: 'https://example.org/' }] }]) {
      const quick = validateQuickly(data);
      expect(quick).toBeDefined();
      expect(JSON.stringify(quick)).toBe(JSON.stringify(configSchema.parse(data)));
    }
  });

  it('with each field in turn removed or set to each palette value, returns zod’s output or leaves the file to zod', () => {
    const counts = { settled: 0, rejected: 0 };
    for (const path of pathsOf(FULL)) {
      for (const value of [REMOVE, UNKNOWN_KEY, ...PALETTE]) {
        const data = structuredClone(FULL) as unknown;
        setAt(data, path, value);
        compare(data, counts);
      }
    }
    // Both kinds were exercised: files the quick path settled, and files zod rejected.
    expect(counts.settled).toBeGreaterThan(1_000);
    expect(counts.rejected).toBeGreaterThan(5_000);
  });

  it('on 4,000 configs with 2–4 random changes, returns zod’s output or leaves the file to zod', () => {
    const random = createRandom(15);
    const paths = pathsOf(FULL);
    const values = [REMOVE, UNKNOWN_KEY, ...PALETTE];
    const counts = { settled: 0, rejected: 0 };
    for (let round = 0; round < 4_000; round += 1) {
      const data = structuredClone(FULL) as unknown;
      const changes = 2 + Math.floor(random() * 3);
      for (let i = 0; i < changes; i += 1)
        setAt(data, paths[Math.floor(random() * paths.length)]!, values[Math.floor(random() * values.length)]);
      compare(data, counts);
    }
    expect(counts.settled).toBeGreaterThan(100);
    expect(counts.rejected).toBeGreaterThan(1_000);
  });

  it('leaves to zod what only it can word: unknown keys, nulls, empty strings, bad URLs', () => {
    const cases: unknown[] = [
      { sources: [{ id: 'a', url: 'https://example.org/', itmes: 'li' }] },
      { sources: [{ id: 'a', url: 'https://example.org/', items: null }] },
      { sources: [{ id: 'a', url: 'https://example.org/', items: '  ' }] },
      { sources: [{ id: 'a', url: 'example.org' }] },
      { sources: [] },
      { sources: [{ id: 'a', url: 'https://example.org/' }], worker: { jitter: 'soon' } },
      'sources',
      null,
    ];
    for (const data of cases) {
      expect(configSchema.safeParse(data).success).toBe(false);
      expect(validateQuickly(data)).toBeUndefined();
    }
  });
});

// --- Internal helpers ---

interface SchemaLike {
  def: { type: string; innerType?: SchemaLike; element?: SchemaLike; shape?: Record<string, SchemaLike> };
}

/** The fields of an object schema, through `.default()` and `.optional()`. */
function shapeOf(schema: unknown): Record<string, SchemaLike> {
  const shape = inner(schema).def.shape;
  if (!shape) throw new Error(`not an object schema: ${inner(schema).def.type}`);
  return shape;
}

/** The schema under `.default()` / `.optional()` wrappers, and an array's element. */
function inner(schema: unknown): SchemaLike {
  let current = schema as SchemaLike;
  for (;;) {
    if (current.def.innerType) current = current.def.innerType;
    else if (current.def.type === 'array' && current.def.element) current = current.def.element;
    else return current;
  }
}

const REMOVE = Symbol('remove the field');
const UNKNOWN_KEY = Symbol('add an unknown key beside it');

/** Quick and zod agree on `data`: the quick validator returned nothing, or zod's own output. */
function compare(data: unknown, counts: { settled: number; rejected: number }): void {
  const quick = validateQuickly(data);
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) counts.rejected += 1;
  if (quick === undefined) return;
  counts.settled += 1;
  expect(parsed.success, JSON.stringify(data)).toBe(true);
  expect(JSON.stringify(quick), JSON.stringify(data)).toBe(JSON.stringify(parsed.data));
}

/** Every path to a value in `root`, containers included (the root itself excluded). */
function pathsOf(root: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof root !== 'object' || root === null) return [];
  return Object.entries(root).flatMap(([key, value]) => {
    const path = [...prefix, Array.isArray(root) ? Number(key) : key];
    return [path, ...pathsOf(value, path)];
  });
}

/** Sets (or removes, or adds an unknown key beside) the value at `path`, in place. */
function setAt(root: unknown, path: Array<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return; // an earlier change replaced this branch
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (value === UNKNOWN_KEY) {
    if (!Array.isArray(node)) node.unknownField = 'x';
  } else node[last] = structuredClone(value);
}
