/**
 * Turns the validated user config into the resolved AppConfig the pipeline uses: every source gets
 * the `defaults:` values and then the built-in ones, so no stage has to know about defaults.
 */
import type {
  AppConfig,
  FetchPolicy,
  FieldSelector,
  RenderPolicy,
  SourceConfig,
  TopicFeedConfig,
} from '../model.js';
import { BUILT_IN_DEFAULTS, DEFAULT_OUTPUT_DIR, DEFAULT_WORKER_CONFIG } from '../defaults/config-defaults.js';
import { DEFAULT_BROWSER_CONFIG, DEFAULT_RENDER_TIMEOUT_MS } from '../defaults/browser.js';
import { parseFieldSelectors, parseSourceSelectors } from '../field-selector/parse-field-selector.js';
import type { RawConfig, RawDefaults, RawSource } from './schema.js';
import { describeSchedule } from '../time/describe-schedule.js';
import { parseDuration, parseSize } from './units.js';
import { proposeSourceId } from './propose-source-id.js';

/** Built-in values, re-exported for the config's users; they live in defaults/. */
export { BUILT_IN_DEFAULTS };

/** Resolves a schema-valid config into the AppConfig every stage consumes. */
export function resolveConfig(raw: RawConfig, file: string): AppConfig {
  const sources = raw.sources.map((source) => resolveSource(source, raw.defaults));
  return {
    file,
    site: { ...raw.site, timezone: raw.defaults.timezone ?? BUILT_IN_DEFAULTS.timezone },
    store: raw.store,
    emptyStore: raw.emptyStore,
    // A shared store serves feeds from the store: files are an export only when asked for.
    output: raw.output ?? (SHARED_STORE.test(raw.store) ? undefined : DEFAULT_OUTPUT_DIR),
    worker: {
      concurrency: raw.worker.concurrency,
      initialRun: raw.worker.initialRun,
      jitterMs: parseDuration(raw.worker.jitter) ?? DEFAULT_WORKER_CONFIG.jitterMs,
      shutdownTimeoutMs: parseDuration(raw.worker.shutdownTimeout) ?? DEFAULT_WORKER_CONFIG.shutdownTimeoutMs,
    },
    browser: {
      executablePath: raw.browser.executablePath,
      maxPages: raw.browser.maxPages,
      idleCloseMs: parseDuration(raw.browser.idleClose) ?? DEFAULT_BROWSER_CONFIG.idleCloseMs,
      maxRequests: raw.browser.maxRequests,
    },
    sources,
    feeds: raw.feeds.map((feed): TopicFeedConfig => ({
      id: feed.id,
      title: feed.title,
      description: feed.description,
      sources: feed.sources,
      include: feed.include,
      exclude: feed.exclude,
      match: feed.match,
      maxItems: feed.maxItems ?? raw.defaults.maxItems ?? BUILT_IN_DEFAULTS.maxItems,
      language: feed.language ?? raw.site.language,
    })),
  };
}

// --- Internal helpers ---

/** `redis://` and `rediss://` stores are shared by several workers (store/isSharedStore says the same). */
const SHARED_STORE = /^rediss?:\/\//i;

/** Interval assumed for an expression that never fires (the check reports it). */
const DAY_MS = 86_400_000;

function resolveSource(source: RawSource, defaults: RawDefaults): SourceConfig {
  const pick = <K extends keyof RawDefaults>(key: K): RawDefaults[K] => source[key] ?? defaults[key];
  const schedule = pick('schedule') ?? BUILT_IN_DEFAULTS.schedule;
  const timezone = pick('timezone') ?? BUILT_IN_DEFAULTS.timezone;
  // Validated by checkSemantics already; described here once, so nothing downstream parses cron again.
  const timing = describeSchedule(schedule);
  return {
    id: source.id,
    name: source.name ?? source.id,
    url: source.url,
    type: source.type ?? 'auto',
    schedule,
    intervalMs: timing.intervalMs ?? DAY_MS,
    maxIntervalMs: timing.maxIntervalMs ?? timing.intervalMs ?? DAY_MS,
    timezone,
    language: pick('language'),
    maxItems: pick('maxItems') ?? BUILT_IN_DEFAULTS.maxItems,
    historySize: pick('historySize') ?? BUILT_IN_DEFAULTS.historySize,
    retainDays: pick('retainDays') ?? BUILT_IN_DEFAULTS.retainDays,
    summaryLength: pick('summaryLength') ?? BUILT_IN_DEFAULTS.summaryLength,
    selectors: parseSourceSelectors(source),
    dateFormat: source.dateFormat,
    replace: (source.replace ?? []).map((rule) => ({ ...rule })),
    convert: source.convert,
    fetch: resolveFetchPolicy(source, defaults),
    detail: source.detail
      ? { date: asList(source.detail.date), summary: asList(source.detail.summary), fields: source.detail.fields }
      : undefined,
    reportFailuresInFeed: pick('reportFailuresInFeed') ?? BUILT_IN_DEFAULTS.reportFailuresInFeed,
    failAfter: pick('failAfter') ?? BUILT_IN_DEFAULTS.failAfter,
    ...resolveRender(source, defaults),
  };
}

/** `render:` and its settings; nothing for a plain-fetch source, so such sources look as they always did. */
function resolveRender(source: RawSource, defaults: RawDefaults): { render?: RenderPolicy } {
  const mode = source.render ?? defaults.render ?? 'fetch';
  if (mode === 'fetch') return {};
  const timeout = source.renderTimeout ?? defaults.renderTimeout;
  return {
    render: {
      mode,
      timeoutMs: timeout === undefined ? DEFAULT_RENDER_TIMEOUT_MS : (parseDuration(timeout) ?? DEFAULT_RENDER_TIMEOUT_MS),
      waitFor: source.waitFor ?? source.items,
    },
  };
}

function resolveFetchPolicy(source: RawSource, defaults: RawDefaults): FetchPolicy {
  const pick = <K extends keyof RawDefaults>(key: K): RawDefaults[K] => source[key] ?? defaults[key];
  const ms = (value: string | number | undefined, fallback: number) =>
    value === undefined ? fallback : (parseDuration(value) ?? fallback);
  const base = BUILT_IN_DEFAULTS.fetch;
  return {
    userAgent: pick('userAgent') ?? base.userAgent,
    connectTimeoutMs: ms(pick('connectTimeout'), base.connectTimeoutMs),
    headersTimeoutMs: ms(pick('headersTimeout'), base.headersTimeoutMs),
    bodyTimeoutMs: ms(pick('timeout'), base.bodyTimeoutMs),
    maxBytes: pick('maxSize') === undefined ? base.maxBytes : (parseSize(pick('maxSize')!) ?? base.maxBytes),
    maxRedirects: pick('maxRedirects') ?? base.maxRedirects,
    retries: pick('retries') ?? base.retries,
    maxRetryDelayMs: ms(pick('maxRetryDelay'), base.maxRetryDelayMs),
    minHostDelayMs: ms(pick('minDelay'), base.minHostDelayMs),
    perHostConcurrency: pick('perHost') ?? base.perHostConcurrency,
    // Source headers extend the defaults' headers rather than replacing them.
    headers: { ...defaults.headers, ...source.headers },
    cookies: { ...defaults.cookies, ...source.cookies },
    robots: pick('robots') ?? base.robots,
    privateNetwork: pick('privateNetwork') ?? base.privateNetwork,
    encoding: source.encoding ?? defaults.encoding,
  };
}

function asList(selector: string | string[] | undefined): FieldSelector | undefined {
  return selector === undefined ? undefined : parseFieldSelectors(selector);
}

/** A source for an ad-hoc URL (e.g. `feedwright preview URL`), with the built-in defaults. */
export function resolveAdHocSource(
  url: string,
  overrides: Partial<Pick<RawSource, 'timezone' | 'items' | 'title' | 'link' | 'date' | 'encoding' | 'render'>> = {},
): SourceConfig {
  return resolveSource({ id: proposeSourceId(url), url, ...overrides }, {});
}
