/**
 * Boundary types: the values that pass between pipeline stages.
 * Types used inside a single stage stay in that stage's folder.
 */
import type { AppError } from './errors.js';

// ─── Configuration (validated; produced by src/config/) ──────────────────────

/** One fallback of a field selector, parsed once by config from `css`, `css@attr` or `@attr`. */
export interface FieldSpec {
  /** The selector as configured, for reports and warnings. */
  raw: string;
  /** CSS relative to the item block; empty means the block itself. */
  css: string;
  /** The attribute to read (lower case); `text` and `html` read content. Absent: the element's text. */
  attr?: string;
}

/** A field selector: its fallbacks, tried in order (see src/field-selector/ for the grammar). */
export type FieldSelector = FieldSpec[];

/** CSS selectors for selector-mode extraction; every field but `items` is relative to one item block. */
export interface SourceSelectors {
  items?: string;
  title?: FieldSelector;
  link?: FieldSelector;
  date?: FieldSelector;
  summary?: FieldSelector;
  author?: FieldSelector;
  image?: FieldSelector;
  category?: FieldSelector;
}

/** Item fields that text rules may rewrite. */
export type RuleField = 'title' | 'summary' | 'author' | 'category';

/** A per-source `replace:` rule: regex → replacement applied to one field. */
export interface ReplaceRule {
  field: RuleField;
  pattern: string;
  flags: string;
  replacement: string;
}

/** Simplified/Traditional Chinese conversion applied to item text. */
export type ChineseConversion = 't2s' | 's2t';

/** How politely and robustly one source is fetched. */
export interface FetchPolicy {
  userAgent: string;
  /** Connect, response-headers and whole-body timeouts in milliseconds. */
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  retries: number;
  /** Upper bound for any backoff or Retry-After wait. */
  maxRetryDelayMs: number;
  /** Minimum delay between two requests to the same host. */
  minHostDelayMs: number;
  perHostConcurrency: number;
  headers: Record<string, string>;
  /** The source's own cookies (`cookies:`), sent to its origin only. */
  cookies: Record<string, string>;
  /** Cookies a browser earned (a passed challenge), each sent only where it applies (RFC 6265). */
  earnedCookies?: EarnedCookie[];
  robots: 'obey' | 'ignore';
  /** Forced charset label, overriding detection. */
  encoding?: string;
  /**
   * `allow`: redirects and links may lead to loopback, private and link-local addresses. By default
   * (`auto`) only a source whose own address is one may go there; a public source may not.
   */
  privateNetwork?: 'auto' | 'allow';
}

/** How a source's page is obtained: a plain HTTP fetch, a headless browser, or a fetch with the browser as fallback. */
export type RenderMode = 'fetch' | 'browser' | 'auto';

/** Browser rendering settings of one source (`render:`, `renderTimeout:`, `waitFor:`). */
export interface RenderPolicy {
  mode: RenderMode;
  /** Hard limit for one page in the browser, from navigation to the DOM snapshot. */
  timeoutMs: number;
  /** CSS selector whose appearance means the list is there (default: the source's `items`). */
  waitFor?: string;
}

/** Worker-wide headless browser settings (`browser:`). */
export interface BrowserConfig {
  /** Chromium executable; undefined = look in the usual places (/usr/bin/chromium, …). */
  executablePath?: string;
  /** Pages rendered at once by this worker's one browser. */
  maxPages: number;
  /** Close the browser after this long without a page. */
  idleCloseMs: number;
  /** Requests one page may make (sub-resources, XHR); later ones are refused. */
  maxRequests: number;
}

/** Detail-page enrichment for new items (issue 7). */
export interface DetailConfig {
  date?: FieldSelector;
  summary?: FieldSelector;
  /** Which fields to take from the detail page. */
  fields: Array<'date' | 'summary'>;
}

/** One configured source, fully resolved against `defaults`. */
export interface SourceConfig {
  id: string;
  name: string;
  url: string;
  /** `html` uses selectors or auto-detection; `feed` forces feed parsing; `auto` sniffs the response. */
  type: 'auto' | 'html' | 'feed';
  schedule: string;
  /** Shortest gap between two fires of `schedule`, in milliseconds (config measures it once). */
  intervalMs: number;
  /** Longest gap between two fires (a weekday-only schedule: over the weekend), for /healthz staleness. */
  maxIntervalMs: number;
  timezone: string;
  language?: string;
  maxItems: number;
  historySize: number;
  retainDays: number;
  summaryLength: number;
  selectors: SourceSelectors;
  /** Explicit luxon format tokens for odd date layouts, e.g. `dd.MM.yy`. */
  dateFormat?: string;
  replace: ReplaceRule[];
  convert?: ChineseConversion;
  fetch: FetchPolicy;
  detail?: DetailConfig;
  reportFailuresInFeed: boolean;
  /** Consecutive failures before the source counts as failing. */
  failAfter: number;
  /** Absent: plain fetch (`render: fetch`). */
  render?: RenderPolicy;
}

/** A topic feed merging and filtering several sources. */
export interface TopicFeedConfig {
  id: string;
  title: string;
  description?: string;
  sources: string[] | 'all';
  include: string[];
  exclude: string[];
  match: Array<'title' | 'summary'>;
  maxItems: number;
  language?: string;
}

/** Site-wide presentation settings. */
export interface SiteConfig {
  title: string;
  /** Public base URL where `output/` is served; used for self links. */
  url?: string;
  description?: string;
  language?: string;
  /** Zone for times shown on the index page (the `defaults.timezone`). */
  timezone?: string;
}

/** Worker-wide settings. */
export interface WorkerConfig {
  concurrency: number;
  initialRun: boolean;
  /** Maximum random delay added before each scheduled run. */
  jitterMs: number;
  shutdownTimeoutMs: number;
}

/** The whole validated configuration. */
export interface AppConfig {
  /** Path of the file this config was loaded from. */
  file: string;
  site: SiteConfig;
  store: string;
  /** What `run` and `start` do when the store lost the history of sources whose feeds have items. */
  emptyStore: 'rebuild' | 'refuse';
  /**
   * Folder the files are written to. Always set for a store one process uses (default `output`);
   * with a shared store only when the config asks for the export (servers render from the store).
   */
  output?: string;
  worker: WorkerConfig;
  browser: BrowserConfig;
  sources: SourceConfig[];
  feeds: TopicFeedConfig[];
}

// ─── fetch → extract ─────────────────────────────────────────────────────────

/** Validators remembered from the previous successful fetch of a source. */
export interface FetchValidators {
  etag?: string;
  lastModified?: string;
  /** sha256 of the body (after Content-Encoding is undone), used when the server sends no validators. */
  bodyHash?: string;
  /**
   * sha256 of the same body as it came over the wire, still compressed, with its Content-Encoding: the
   * same bytes again are recognised as the same body without being decompressed. Only a shortcut: bytes
   * that differ (a gzip timestamp, another server) are decompressed and compared by `bodyHash`.
   */
  wireHash?: string;
}

/** What the pipeline asks the fetcher for. */
export interface FetchRequest {
  sourceId: string;
  url: string;
  policy: FetchPolicy;
  validators?: FetchValidators;
  /** `page`: a list page (HTML/XML/JSON feed); `detail`: an item's own page (HTML only). */
  purpose: 'page' | 'detail';
  /**
   * The source's configured URL, when `url` is another page of it (a detail link, a rendered page's
   * redirect hop): hosts other than the source's own may be on a private network only when the
   * source is (see `FetchPolicy.privateNetwork`). Default: `url`.
   */
  sourceUrl?: string;
}

interface FetchOutcomeBase {
  sourceId: string;
  requestedUrl: string;
  finalUrl: string;
  status: number;
  fetchedAt: Date;
  durationMs: number;
  /** HTTP requests spent, including retries, redirects and robots.txt. */
  requests: number;
  /** Of `durationMs`, the time spent waiting for the host's turn (politeness spacing, per-host limit, backoff). */
  waitMs?: number;
  validators: FetchValidators;
}

/** A decoded response body. */
export interface FetchedPage extends FetchOutcomeBase {
  kind: 'fetched';
  contentType: string;
  /** Charset actually used to decode `body`. */
  charset: string;
  body: string;
  bytes: number;
  /** Recoverable oddities, e.g. a declared charset that turned out wrong. */
  warnings: PageWarning[];
}

/** Nothing changed since last time: a 304, or a body identical to the previous one. */
export interface NotModified extends FetchOutcomeBase {
  kind: 'not-modified';
  reason: 'http-304' | 'same-body';
}

export type FetchResult = FetchedPage | NotModified;

/**
 * A cookie a site set in the browser (typically for passing its JavaScript challenge), kept per
 * host in the store so later runs can send it with a plain fetch.
 */
export interface EarnedCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Expiry in epoch seconds; undefined for a session cookie. */
  expires?: number;
  httpOnly: boolean;
  secure: boolean;
}

/** The cookies earned on one host, with when they were earned and when the record expires. */
export interface HostCookies {
  host: string;
  cookies: EarnedCookie[];
  earnedAt: string;
  expiresAt: string;
  /** The challenge's vendor when it was recognised. */
  challenge?: string;
}

/** Which path delivered a run's page: a plain fetch, a plain fetch with earned cookies, or the browser. */
export type ServedBy = 'fetch' | 'fetch+cookies' | 'browser';

// ─── extract → store ─────────────────────────────────────────────────────────

/** A date read from a page, with how much of it the page actually gave. */
export interface ParsedDate {
  date: Date;
  /** `day`: the page gave only a calendar day (the Date is local midnight in the source zone). */
  precision: 'day' | 'time';
}

/** One headline found on a page. Links are absolute http(s) URLs. */
export interface ExtractedItem {
  title: string;
  link?: string;
  /** Canonical form of `link` used for identity: no fragment, no tracking parameters. */
  canonicalLink?: string;
  published?: ParsedDate;
  updated?: ParsedDate;
  /** Plain text or sanitized HTML (see `summaryIsHtml`). */
  summary?: string;
  summaryIsHtml?: boolean;
  author?: string;
  image?: string;
  categories?: string[];
  /** Identifier the source itself gives (feed guid / id), when any. */
  sourceGuid?: string;
}

/** Every extraction warning code (a new warning adds its code here). */
export type ExtractWarningCode =
  | 'date-implausible'
  | 'date-missing'
  | 'date-unparsed'
  | 'detail-date-missing'
  | 'detail-date-unparsed'
  | 'detail-jsonld-invalid'
  | 'detail-summary-missing'
  | 'duplicates-collapsed'
  | 'feed-advertised'
  | 'feed-item-invalid'
  | 'field-truncated'
  | 'items-capped'
  | 'link-unusable'
  | 'list-uncertain'
  | 'nesting-capped'
  | 'parser-fallback'
  | 'replace-invalid'
  | 'summary-truncated'
  | 'title-missing'
  | 'title-truncated';

/** Warnings raised while getting a page: decoding its bytes, or rendering it in the browser. */
export type PageWarningCode =
  | 'charset-unknown'
  | 'charset-switched'
  | 'charset-undecodable'
  | 'browser-still-loading'
  | 'browser-navigation-refused'
  | 'browser-private-network-refused'
  | 'browser-requests-capped';

/** Warnings raised by the run's own steps after extraction (detail pages, politeness, saving). */
export type RunStepWarningCode =
  'detail-fetch-failed' | 'detail-date-conflict' | 'retry-after-deferred' | 'results-discarded' | 'health-not-saved';

/** Every code a run report's warning can carry (a new warning adds its code to one of these unions). */
export type RunWarningCode = PageWarningCode | ExtractWarningCode | RunStepWarningCode;

/** A recoverable problem; it is reported (logs, `run`'s table, `preview`), not thrown. */
export interface Warning<Code extends RunWarningCode = RunWarningCode> {
  code: Code;
  message: string;
  /** The raw text involved, e.g. an unparsable date. */
  text?: string;
}

/** A recoverable extraction problem. */
export type ExtractWarning = Warning<ExtractWarningCode>;

/** A recoverable problem getting the page (decoding or rendering). */
export type PageWarning = Warning<PageWarningCode>;

/** Selectors that were used (configured or found automatically). */
export interface ChosenSelectors {
  items: string;
  title?: string;
  link?: string;
  date?: string;
  /** Automatic mode: a teaser paragraph most rows have. */
  summary?: string;
  confidence?: number;
  /** Automatic mode: the next best lists (up to two), with the rows each selects, for `preview`. */
  alternatives?: Array<{ items: string; rows: number }>;
}

/** Facts about the page as a whole. */
export interface PageInfo {
  title?: string;
  language?: string;
  icon?: string;
  /** Feeds the page advertises with `<link rel="alternate">`. */
  alternateFeeds: Array<{ url: string; type: string; title?: string }>;
}

/** The part of a page's PageInfo kept between runs, so a feed can be re-rendered without refetching. */
export type RememberedPage = Pick<PageInfo, 'title' | 'language' | 'icon'> & {
  /** The items selector automatic mode chose for the last committed run (see pipeline/list-switch.ts). */
  list?: string;
};

/** Output of the extract stage. */
export interface ExtractResult {
  mode: 'selectors' | 'auto' | 'feed';
  items: ExtractedItem[];
  warnings: ExtractWarning[];
  selectors?: ChosenSelectors;
  page: PageInfo;
}

// ─── store → feed ────────────────────────────────────────────────────────────

/** An item as remembered by the store: identity and dates fixed once. */
export interface StoredItem {
  id: string;
  sourceId: string;
  title: string;
  link?: string;
  summary?: string;
  summaryIsHtml?: boolean;
  author?: string;
  image?: string;
  categories?: string[];
  /** Publication date shown in feeds; never changes once stored. */
  publishedAt: Date;
  /** Last time the item's content (e.g. its title) changed. */
  updatedAt: Date;
  firstSeenAt: Date;
}

/** Outcome of committing one run's items. */
export interface CommitResult {
  newItems: StoredItem[];
  changedItems: StoredItem[];
  /** The source's history after the run, newest first, at most `historySize`. */
  history: StoredItem[];
}

/** One day's "source failing" notice, shown in the source's own feed while it fails (`reportFailuresInFeed`). */
export interface FailureNotice {
  /** The calendar day in the source's zone, `2026-11-28`: one notice per day. */
  day: string;
  at: string;
  since: string;
  message: string;
}

/** A source feed's version: bumped when the rendered documents change; servers key their caches on it. */
export interface FeedVersion {
  n: number;
  /** Hash of the three documents at this version. */
  hash: string;
}

/** Health of one source, kept in the store. */
export interface SourceHealth {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'degraded' | 'failing' | 'never-run';
  lastRunAt?: string;
  lastSuccessAt?: string;
  lastHttpStatus?: number;
  lastFound: number;
  lastNew: number;
  /** Items found by the last run that found any; used to detect a degraded page. */
  lastNonEmptyFound?: number;
  consecutiveFailures: number;
  failingSince?: string;
  lastError?: { code: string; message: string; hint?: string };
  lastDurationMs?: number;
  degradedReason?: string;
  /** The source works, but the operator should act: automatic list detection was unsure of its choice. */
  attention?: string;
  /** Which path delivered the page on the last run that reached the site. */
  servedBy?: ServedBy;
}

// ─── pipeline → cli / schedule ───────────────────────────────────────────────

/** How one source run ended. */
export type RunOutcome =
  | 'updated' // new or changed items, feed files rewritten
  | 'unchanged' // page fetched and parsed, nothing new
  | 'not-modified' // 304 from the server
  | 'same-body' // body identical to the previous fetch
  | 'degraded' // fetched, but the page yielded no items where it used to
  | 'disallowed' // robots.txt forbids the page
  | 'deferred' // the site asked us to wait (Retry-After) and that time has not come: no request sent
  | 'failed';

/** Report of one source run: what the CLI prints and the scheduler logs. */
export interface RunReport {
  sourceId: string;
  outcome: RunOutcome;
  found: number;
  newItems: number;
  httpStatus?: number;
  durationMs: number;
  /** Time spent fetching the page (including retries and waits for politeness limits). */
  fetchMs?: number;
  /** Of `fetchMs`, the time spent waiting for the host's turn (minDelay spacing, per-host limit, backoff). */
  waitMs?: number;
  /** A 304 or identical body is not parsed: the item count of the last extraction, kept. */
  keptFound?: number;
  warnings: Warning[];
  /** For a source without `items:`: the selectors automatic detection chose on this run (to pin them). */
  chosenSelectors?: ChosenSelectors;
  /** Automatic detection's uncertainty warning, kept in the source's health until a run is sure again. */
  listUncertain?: string;
  error?: AppError;
  /** Feed files written by this run. */
  written: string[];
  /** Which path delivered the page (absent when no request was sent). */
  servedBy?: ServedBy;
}
