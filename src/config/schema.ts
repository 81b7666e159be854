/**
 * The user-facing shape of `feedwright.yaml`, as zod schemas. Unknown keys are errors so typos never
 * pass silently. Cross-field rules (unique ids, known sources, cron, time zones, regexes) live in
 * `check-semantics.ts`; defaults are merged in `resolve-config.ts`.
 */
import type { z } from 'zod';
import { zod } from './zod-library.js';
import { parseDuration, parseSize } from './units.js';
import { DEFAULT_BROWSER_CONFIG } from '../defaults/browser.js';
import {
  DEFAULT_SITE_TITLE,
  DEFAULT_STORE_URL,
  DEFAULT_WORKER_CONFIG,
  toConfigDuration,
} from '../defaults/config-defaults.js';

/** The built-in `worker:` block, in the config's own syntax. */
const WORKER_DEFAULTS = {
  concurrency: DEFAULT_WORKER_CONFIG.concurrency,
  initialRun: DEFAULT_WORKER_CONFIG.initialRun,
  jitter: toConfigDuration(DEFAULT_WORKER_CONFIG.jitterMs),
  shutdownTimeout: toConfigDuration(DEFAULT_WORKER_CONFIG.shutdownTimeoutMs),
};

/** The built-in `browser:` block, in the config's own syntax. */
const BROWSER_DEFAULTS = {
  maxPages: DEFAULT_BROWSER_CONFIG.maxPages,
  idleClose: toConfigDuration(DEFAULT_BROWSER_CONFIG.idleCloseMs),
  maxRequests: DEFAULT_BROWSER_CONFIG.maxRequests,
};

const nonEmpty = (what: string) =>
  zod
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}, got an empty string` });

const duration = zod
  .union([zod.number(), zod.string()], { error: 'expected a duration such as 500ms, 30s, 2m or a number of milliseconds' })
  .refine((value) => parseDuration(value) !== undefined, {
    error: 'expected a duration such as 500ms, 30s, 2m or a number of milliseconds',
  })
  .meta({ description: 'A duration: 500ms, 30s, 2m, 1h, or a number of milliseconds.' });

const size = zod
  .union([zod.number(), zod.string()], { error: 'expected a size such as 10MB, 512KB or a number of bytes' })
  .refine((value) => parseSize(value) !== undefined, {
    error: 'expected a size such as 10MB, 512KB or a number of bytes',
  })
  .meta({ description: 'A size: 10MB, 512KB, or a number of bytes.' });

const positiveInt = (what: string) =>
  zod.int({ error: `expected ${what} (a whole number)` }).min(1, { error: `expected ${what} of at least 1` });

/** A field selector: `css`, `css@attr`, or a list of them tried in order. */
const fieldSelector = zod
  .union([nonEmpty('a CSS selector'), zod.array(nonEmpty('a CSS selector')).min(1)], {
    error: 'expected a CSS selector (optionally `selector@attribute`) or a list of them',
  })
  .meta({
    description:
      'CSS selector relative to one item block; `selector@attr` reads an attribute; a list is tried in order.',
  });

const stringMap = zod.record(zod.string(), zod.string(), { error: 'expected a mapping of names to strings' });

/** Fetch settings accepted both in `defaults` and on a source. */
const fetchFields = {
  userAgent: nonEmpty('a User-Agent string').optional().meta({ description: 'User-Agent sent to the site.' }),
  timeout: duration.optional().meta({ description: 'Whole-body timeout (headers and connect have their own below).' }),
  connectTimeout: duration.optional(),
  headersTimeout: duration.optional(),
  maxSize: size.optional().meta({ description: 'Largest body accepted; the transfer is aborted past it.' }),
  maxRedirects: zod.int().min(0).max(20).optional(),
  retries: zod.int().min(0).max(10).optional(),
  maxRetryDelay: duration.optional(),
  minDelay: duration.optional().meta({ description: 'Minimum delay between two requests to the same host.' }),
  perHost: positiveInt('a per-host concurrency').optional(),
  headers: stringMap.optional().meta({ description: 'Extra request headers.' }),
  cookies: stringMap.optional().meta({ description: 'Cookies sent with every request to this source.' }),
  robots: zod.enum(['obey', 'ignore'], { error: 'expected `obey` or `ignore`' }).optional(),
  privateNetwork: zod.enum(['auto', 'allow'], { error: 'expected `auto` or `allow`' }).optional().meta({
    description:
      'Whether redirects, detail links and rendered pages may reach loopback, private and link-local addresses: `auto` (default) only when the source URL itself is on one; `allow` always.',
  }),
  encoding: nonEmpty('a charset label such as gbk, big5, utf-8')
    .optional()
    .meta({ description: 'Force the page charset.' }),
};

/** Settings accepted both in `defaults` and on a source. */
const sharedSourceFields = {
  schedule: nonEmpty('a cron expression such as "*/30 * * * *"').optional(),
  timezone: nonEmpty('an IANA time zone such as Asia/Shanghai').optional(),
  language: nonEmpty('a language tag such as zh-CN').optional(),
  maxItems: positiveInt('a number of feed items').optional(),
  historySize: positiveInt('a number of remembered items').optional(),
  retainDays: positiveInt('a number of days').optional(),
  summaryLength: positiveInt('a number of characters').optional(),
  reportFailuresInFeed: zod.boolean({ error: 'expected true or false' }).optional(),
  failAfter: positiveInt('a number of consecutive failures').optional(),
  render: zod
    .enum(['fetch', 'browser', 'auto'], { error: 'expected fetch, browser or auto' })
    .optional()
    .meta({
      description:
        'How the page is obtained: `fetch` (plain HTTP, the default), `browser` (headless Chromium runs the page: lists built by script, JavaScript challenges), `auto` (plain fetch first, the browser only when the page is a challenge or a script-built shell).',
    }),
  renderTimeout: duration
    .optional()
    .meta({ description: 'Hard limit for one page in the browser, navigation to snapshot (default 30s).' }),
  ...fetchFields,
};

const replaceRule = zod.strictObject({
  field: zod
    .enum(['title', 'summary', 'author', 'category'], { error: 'expected one of title, summary, author, category' })
    .default('title'),
  pattern: nonEmpty('a regular expression'),
  flags: zod
    .string()
    .regex(/^[dgimsuvy]*$/, { error: 'expected regex flags such as g, i, u' })
    .default('gu'),
  replacement: zod.string({ error: 'expected a replacement string (may be empty)' }).default(''),
});

const detail = zod.strictObject({
  date: fieldSelector.optional(),
  summary: fieldSelector.optional(),
  fields: zod
    .array(zod.enum(['date', 'summary']))
    .min(1)
    .default(['date', 'summary']),
});

/** One source entry under `sources:`. */
export const sourceSchema = zod
  .strictObject({
    id: zod
      .string({ error: 'expected an id' })
      .regex(/^[a-z0-9][a-z0-9._-]*$/i, {
        error: 'expected an id of letters, digits, `.`, `_` or `-` (it names the output files)',
      }),
    name: nonEmpty('a display name').optional(),
    url: zod.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }),
    type: zod.enum(['auto', 'html', 'feed'], { error: 'expected auto, html or feed' }).optional(),
    items: nonEmpty('a CSS selector for one headline block').optional(),
    title: fieldSelector.optional(),
    link: fieldSelector.optional(),
    date: fieldSelector.optional(),
    summary: fieldSelector.optional(),
    author: fieldSelector.optional(),
    image: fieldSelector.optional(),
    category: fieldSelector.optional(),
    dateFormat: nonEmpty('luxon format tokens such as yyyy-MM-dd').optional(),
    replace: zod.array(replaceRule).optional(),
    convert: zod.enum(['t2s', 's2t'], { error: 'expected t2s (Traditional→Simplified) or s2t' }).optional(),
    detail: detail.optional(),
    waitFor: nonEmpty('a CSS selector')
      .optional()
      .meta({ description: 'Browser: wait until this selector appears (default: `items`; without either, until the network is quiet).' }),
    ...sharedSourceFields,
  })
  .meta({ description: 'A web page (or an existing feed) to turn into a feed.' });

/** `defaults:` — values every source inherits. */
export const defaultsSchema = zod.strictObject({ ...sharedSourceFields });

const keyword = nonEmpty('a word or /regex/flags');

/** One topic feed under `feeds:`. */
export const topicFeedSchema = zod.strictObject({
  id: zod
    .string({ error: 'expected an id' })
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, { error: 'expected an id of letters, digits, `.`, `_` or `-`' }),
  title: nonEmpty('a feed title'),
  description: zod.string().optional(),
  sources: zod.union([zod.literal('all'), zod.array(nonEmpty('a source id')).min(1)], {
    error: 'expected `all` or a list of source ids',
  }),
  include: zod.array(keyword).default([]),
  exclude: zod.array(keyword).default([]),
  match: zod
    .array(zod.enum(['title', 'summary']))
    .min(1)
    .default(['title']),
  maxItems: positiveInt('a number of feed items').optional(),
  language: zod.string().optional(),
});

/** The whole file. */
export const configSchema = zod
  .strictObject({
    $schema: zod.string().optional(),
    site: zod
      .strictObject({
        title: nonEmpty('a site title').default(DEFAULT_SITE_TITLE),
        url: zod
          .url({ protocol: /^https?$/, error: 'expected the absolute http(s) URL where output/ is served' })
          .optional(),
        description: zod.string().optional(),
        language: zod.string().optional(),
      })
      .default({ title: DEFAULT_SITE_TITLE }),
    store: zod
      .string()
      .regex(/^(sqlite|redis|rediss|memory):\/\//, {
        error: 'expected a store URL: sqlite://path, redis://host:port or memory://',
      })
      .default(DEFAULT_STORE_URL),
    emptyStore: zod
      .enum(['rebuild', 'refuse'], { error: 'expected `rebuild` or `refuse`' })
      .default('rebuild')
      .meta({
        description:
          'When the store holds no history for a source whose feed in output/ has items (a lost or emptied store): ' +
          'rebuild the history from the feed files (ids, links, titles, dates), or refuse to run.',
      }),
    output: nonEmpty('an output folder')
      .optional()
      .meta({
        description:
          'Folder the feed files, feeds.opml and index.html are written to (default `output`). With a shared ' +
          '(Redis) store it is an optional export: omitted, nothing is written and `serve` renders from the store.',
      }),
    worker: zod
      .strictObject({
        concurrency: positiveInt('a number of parallel requests').default(DEFAULT_WORKER_CONFIG.concurrency),
        initialRun: zod.boolean().default(DEFAULT_WORKER_CONFIG.initialRun),
        jitter: duration.default(WORKER_DEFAULTS.jitter),
        shutdownTimeout: duration.default(WORKER_DEFAULTS.shutdownTimeout),
      })
      .default(WORKER_DEFAULTS),
    browser: zod
      .strictObject({
        executablePath: nonEmpty('the path of a Chromium executable')
          .optional()
          .meta({ description: 'Chromium to run; default: /usr/bin/chromium, chromium-browser or google-chrome, whichever exists.' }),
        maxPages: positiveInt('a number of pages rendered at once').default(BROWSER_DEFAULTS.maxPages),
        idleClose: duration.default(BROWSER_DEFAULTS.idleClose).meta({ description: 'Close the browser after this long without a page.' }),
        maxRequests: positiveInt('a number of requests per page')
          .default(BROWSER_DEFAULTS.maxRequests)
          .meta({ description: 'Requests one page may make (scripts, XHR); later ones are refused.' }),
      })
      .default(BROWSER_DEFAULTS)
      .meta({ description: 'The headless browser used by sources with `render: browser` or `auto` (one per worker).' }),
    defaults: defaultsSchema.default({}),
    sources: zod
      .array(sourceSchema, { error: 'expected a list of sources' })
      .min(1, { error: 'expected at least one source' }),
    feeds: zod.array(topicFeedSchema).default([]),
  })
  .meta({
    title: 'feedwright configuration',
    description: 'Sources to turn into feeds, and topic feeds merging them.',
  });

/** The config as written by the user, after parsing and schema defaults. */
export type RawConfig = z.infer<typeof configSchema>;
export type RawSource = z.infer<typeof sourceSchema>;
export type RawDefaults = z.infer<typeof defaultsSchema>;
