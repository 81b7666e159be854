/**
 * The config schema's happy path without zod. Importing zod and building the schema costs ~80 ms of
 * CPU in a fresh process and its first parse of 300 sources ~30 ms more: a fifth of a worker's
 * start-up, for a file that is nearly always valid. This reads the plain data js-yaml gave and
 * returns exactly what `configSchema.parse` would (same values, defaults, trimming and key order), or
 * undefined whenever it is not certain: anything invalid, unusual or unknown to it. Then the zod
 * schema decides and words the problems, so every message stays the schema's own.
 *
 * It mirrors schema.ts field by field: a field added there and not here only sends configs that use
 * it down the slower path (tests/unit/config/quick-validate.test.ts compares the two shapes, and the
 * outputs on the repository's configs and thousands of mutated ones).
 */
import { DEFAULT_SITE_TITLE, DEFAULT_STORE_URL } from '../defaults/config-defaults.js';
import { BROWSER_DEFAULTS, WORKER_DEFAULTS } from './schema-defaults.js';
import type { RawConfig } from './schema.js';
import { parseDuration, parseSize } from './units.js';

/** The config as `configSchema.parse(data)` returns it, or undefined when zod must decide. */
export function validateQuickly(data: unknown): RawConfig | undefined {
  const result = CONFIG(data);
  return result === UNSETTLED ? undefined : (result as RawConfig);
}

/** The keys each object of the quick validator knows, in the schema's order (for the shape test). */
export const QUICK_SHAPES = {
  config: () => Object.keys(CONFIG_FIELDS),
  site: () => Object.keys(SITE_FIELDS),
  worker: () => Object.keys(WORKER_FIELDS),
  browser: () => Object.keys(BROWSER_FIELDS),
  defaults: () => Object.keys(SHARED_SOURCE_FIELDS),
  source: () => Object.keys(SOURCE_FIELDS),
  replace: () => Object.keys(REPLACE_FIELDS),
  detail: () => Object.keys(DETAIL_FIELDS),
  feed: () => Object.keys(FEED_FIELDS),
};

// --- Internal helpers ---

/** Returned by a check that cannot vouch for its value. */
const UNSETTLED: unique symbol = Symbol('unsettled');

type Check = (value: unknown) => unknown;

/** How a field may be absent: required, left out, or filled with a (fresh) default. */
type Field = { check: Check; absent: 'required' | 'optional' | (() => unknown) };

const required = (check: Check): Field => ({ check, absent: 'required' });
const optional = (check: Check): Field => ({ check, absent: 'optional' });
const withDefault = (check: Check, value: () => unknown): Field => ({ check, absent: value });

const anyString: Check = (value) => (typeof value === 'string' ? value : UNSETTLED);

/** `z.string().trim().min(1)`: the trimmed text. */
const nonEmpty: Check = (value) => {
  if (typeof value !== 'string') return UNSETTLED;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : UNSETTLED;
};

const matching =
  (pattern: RegExp): Check =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? value : UNSETTLED;

/**
 * `z.url({ protocol: /^https?$/ })`, for the URLs it returns unchanged: no surrounding space, tab or
 * line break, written `http://` or `https://`, and parsed by the WHATWG parser.
 */
const httpUrl: Check = (value) =>
  typeof value === 'string' &&
  value === value.trim() &&
  !/[\t\n\r]/.test(value) &&
  /^https?:\/\//.test(value) &&
  URL.canParse(value)
    ? value
    : UNSETTLED;

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? value : UNSETTLED;

const positiveInt = integer(1);

const boolean: Check = (value) => (typeof value === 'boolean' ? value : UNSETTLED);

const oneOf =
  (...values: string[]): Check =>
  (value) =>
    typeof value === 'string' && values.includes(value) ? value : UNSETTLED;

/** `union([number, string]).refine(parse(value) !== undefined)`: the value as written. */
const measured =
  (parse: (value: string | number) => number | undefined): Check =>
  (value) =>
    ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string') &&
    parse(value) !== undefined
      ? value
      : UNSETTLED;

const duration = measured(parseDuration);
const size = measured(parseSize);

const listOf =
  (item: Check, min = 0): Check =>
  (value) => {
    if (!Array.isArray(value) || value.length < min) return UNSETTLED;
    const out: unknown[] = [];
    for (const element of value) {
      const checked = item(element);
      if (checked === UNSETTLED) return UNSETTLED;
      out.push(checked);
    }
    return out;
  };

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/** `z.record(z.string(), z.string())`. */
const stringMap: Check = (value) => {
  if (!isPlainObject(value)) return UNSETTLED;
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const entry = value[key];
    if (key === '__proto__' || typeof entry !== 'string') return UNSETTLED;
    out[key] = entry;
  }
  return out;
};

/**
 * `z.strictObject(fields)`: every key known, the output built in the schema's key order. A source
 * sets a handful of its ~45 fields: only the keys present and the ones that are required or have a
 * default are visited (most of a start-up's 300 sources run this in V8's interpreter).
 */
const strictObject = (fields: Record<string, Field>): Check => {
  const position = new Map(Object.keys(fields).map((key, index) => [key, index]));
  const filled = Object.entries(fields).filter(([, field]) => field.absent !== 'optional');
  return (value) => {
    if (!isPlainObject(value)) return UNSETTLED;
    const entries: Array<[index: number, key: string, value: unknown]> = [];
    for (const key of Object.keys(value)) {
      const index = position.get(key);
      if (index === undefined || value[key] === undefined) return UNSETTLED;
      const checked = fields[key]!.check(value[key]);
      if (checked === UNSETTLED) return UNSETTLED;
      entries.push([index, key, checked]);
    }
    for (const [key, field] of filled) {
      if (Object.hasOwn(value, key)) continue;
      if (field.absent === 'required') return UNSETTLED;
      if (field.absent !== 'optional') entries.push([position.get(key)!, key, field.absent()]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const out: Record<string, unknown> = {};
    for (const [, key, checked] of entries) out[key] = checked;
    return out;
  };
};

/** A CSS selector (`selector@attr`) or a non-empty list of them. */
const fieldSelector: Check = (value) => (typeof value === 'string' ? nonEmpty(value) : listOf(nonEmpty, 1)(value));

const FETCH_FIELDS: Record<string, Field> = {
  userAgent: optional(nonEmpty),
  timeout: optional(duration),
  connectTimeout: optional(duration),
  headersTimeout: optional(duration),
  maxSize: optional(size),
  maxRedirects: optional(integer(0, 20)),
  retries: optional(integer(0, 10)),
  maxRetryDelay: optional(duration),
  minDelay: optional(duration),
  perHost: optional(positiveInt),
  headers: optional(stringMap),
  cookies: optional(stringMap),
  robots: optional(oneOf('obey', 'ignore')),
  encoding: optional(nonEmpty),
};

const SHARED_SOURCE_FIELDS: Record<string, Field> = {
  schedule: optional(nonEmpty),
  timezone: optional(nonEmpty),
  language: optional(nonEmpty),
  maxItems: optional(positiveInt),
  historySize: optional(positiveInt),
  retainDays: optional(positiveInt),
  summaryLength: optional(positiveInt),
  reportFailuresInFeed: optional(boolean),
  failAfter: optional(positiveInt),
  render: optional(oneOf('fetch', 'browser', 'auto')),
  renderTimeout: optional(duration),
  ...FETCH_FIELDS,
};

const REPLACE_FIELDS: Record<string, Field> = {
  field: withDefault(oneOf('title', 'summary', 'author', 'category'), () => 'title'),
  pattern: required(nonEmpty),
  flags: withDefault(matching(/^[dgimsuvy]*$/), () => 'gu'),
  replacement: withDefault(anyString, () => ''),
};

const DETAIL_FIELDS: Record<string, Field> = {
  date: optional(fieldSelector),
  summary: optional(fieldSelector),
  fields: withDefault(listOf(oneOf('date', 'summary'), 1), () => ['date', 'summary']),
};

const SOURCE_ID = /^[a-z0-9][a-z0-9._-]*$/i;

const SOURCE_FIELDS: Record<string, Field> = {
  id: required(matching(SOURCE_ID)),
  name: optional(nonEmpty),
  url: required(httpUrl),
  type: optional(oneOf('auto', 'html', 'feed')),
  items: optional(nonEmpty),
  title: optional(fieldSelector),
  link: optional(fieldSelector),
  date: optional(fieldSelector),
  summary: optional(fieldSelector),
  author: optional(fieldSelector),
  image: optional(fieldSelector),
  category: optional(fieldSelector),
  dateFormat: optional(nonEmpty),
  replace: optional(listOf(strictObject(REPLACE_FIELDS))),
  convert: optional(oneOf('t2s', 's2t')),
  detail: optional(strictObject(DETAIL_FIELDS)),
  waitFor: optional(nonEmpty),
  ...SHARED_SOURCE_FIELDS,
};

const FEED_FIELDS: Record<string, Field> = {
  id: required(matching(SOURCE_ID)),
  title: required(nonEmpty),
  description: optional(anyString),
  sources: required((value) => (value === 'all' ? value : listOf(nonEmpty, 1)(value))),
  include: withDefault(listOf(nonEmpty), () => []),
  exclude: withDefault(listOf(nonEmpty), () => []),
  match: withDefault(listOf(oneOf('title', 'summary'), 1), () => ['title']),
  maxItems: optional(positiveInt),
  language: optional(anyString),
};

const SITE_FIELDS: Record<string, Field> = {
  title: withDefault(nonEmpty, () => DEFAULT_SITE_TITLE),
  url: optional(httpUrl),
  description: optional(anyString),
  language: optional(anyString),
};

const WORKER_FIELDS: Record<string, Field> = {
  concurrency: withDefault(positiveInt, () => WORKER_DEFAULTS.concurrency),
  initialRun: withDefault(boolean, () => WORKER_DEFAULTS.initialRun),
  jitter: withDefault(duration, () => WORKER_DEFAULTS.jitter),
  shutdownTimeout: withDefault(duration, () => WORKER_DEFAULTS.shutdownTimeout),
};

const BROWSER_FIELDS: Record<string, Field> = {
  executablePath: optional(nonEmpty),
  maxPages: withDefault(positiveInt, () => BROWSER_DEFAULTS.maxPages),
  idleClose: withDefault(duration, () => BROWSER_DEFAULTS.idleClose),
  maxRequests: withDefault(positiveInt, () => BROWSER_DEFAULTS.maxRequests),
};

const CONFIG_FIELDS: Record<string, Field> = {
  $schema: optional(anyString),
  site: withDefault(strictObject(SITE_FIELDS), () => ({ title: DEFAULT_SITE_TITLE })),
  store: withDefault(matching(/^(sqlite|redis|rediss|memory):\/\//), () => DEFAULT_STORE_URL),
  emptyStore: withDefault(oneOf('rebuild', 'refuse'), () => 'rebuild'),
  output: optional(nonEmpty),
  worker: withDefault(strictObject(WORKER_FIELDS), () => ({ ...WORKER_DEFAULTS })),
  browser: withDefault(strictObject(BROWSER_FIELDS), () => ({ ...BROWSER_DEFAULTS })),
  defaults: withDefault(strictObject(SHARED_SOURCE_FIELDS), () => ({})),
  sources: required(listOf(strictObject(SOURCE_FIELDS), 1)),
  feeds: withDefault(listOf(strictObject(FEED_FIELDS)), () => []),
};

const CONFIG = strictObject(CONFIG_FIELDS);
