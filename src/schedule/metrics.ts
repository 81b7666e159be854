/**
 * Run counters per source, fed by the scheduler's onReport and rendered in the Prometheus text
 * exposition format (version 0.0.4) for /metrics.
 */
import type { RunReport } from '../model.js';
import { isFailure } from '../health/health-rules.js';

/** Counters and a duration histogram per source, built from RunReports. */
export interface Metrics {
  /** Counts one finished run. */
  observe(report: RunReport): void;
  /** Renders every series in the Prometheus text format. */
  renderPrometheus(): string;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Histogram bucket upper bounds in seconds, ascending. */
  buckets?: number[];
  now?: () => Date;
  /** The headless browser's state (the pipeline's renderer), read on each scrape. */
  browser?: () => BrowserGauges | undefined;
}

/** What /metrics shows of the headless browser. */
export interface BrowserGauges {
  running: boolean;
  /** PSS of the browser's process tree, in bytes, while running. */
  memoryBytes?: number;
  pagesOpen: number;
  pagesRendered: number;
  launches: number;
  kills: number;
}

/** Creates an empty metrics registry: runs, failures, items found/new and run durations per source. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const now = options.now ?? (() => new Date());
  const sources = new Map<string, SourceSeries>();

  return {
    observe(report) {
      let series = sources.get(report.sourceId);
      if (!series) {
        series = createSeries(buckets.length);
        sources.set(report.sourceId, series);
      }
      countReport(series, report, buckets, now().getTime() / 1000);
    },
    renderPrometheus() {
      const ids = [...sources.keys()].sort();
      const lines: string[] = [];
      for (const family of FAMILIES) {
        lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
        for (const id of ids) lines.push(...family.render(family.name, id, sources.get(id) as SourceSeries, buckets));
      }
      const browser = options.browser?.();
      if (browser) lines.push(...renderBrowserGauges(browser));
      return `${lines.join('\n')}\n`;
    },
  };
}

// --- Internal helpers ---

/** Seconds: a run is a fetch plus parsing; slow government sites take tens of seconds. */
const DEFAULT_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

interface SourceSeries {
  runs: Map<string, number>;
  /** Runs by the path that served the page (fetch, fetch+cookies, browser). */
  served: Map<string, number>;
  failures: Map<string, number>;
  found: number;
  newItems: number;
  run: Histogram;
  /** Fetch time alone, for runs that fetched (RunReport.fetchMs). */
  fetch: Histogram;
  lastRun?: number;
  lastSuccess?: number;
}

interface Histogram {
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  bucketCounts: number[];
  sum: number;
  count: number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** The family's samples for one source; `name` is the family name. */
  render(name: string, id: string, series: SourceSeries, buckets: number[]): string[];
}

const FAMILIES: Family[] = [
  {
    name: 'feedwright_source_runs_total',
    help: 'Source runs, by outcome.',
    type: 'counter',
    render: (name, id, s) => [...s.runs].map(([outcome, n]) => `${name}${labels({ source: id, outcome })} ${n}`),
  },
  {
    name: 'feedwright_source_served_total',
    help: 'Runs that reached the site, by the path that served the page: fetch, fetch+cookies (earned by a browser) or browser.',
    type: 'counter',
    render: (name, id, s) => [...s.served].map(([path, n]) => `${name}${labels({ source: id, path })} ${n}`),
  },
  {
    name: 'feedwright_source_failures_total',
    help: 'Failed source runs, by error code.',
    type: 'counter',
    render: (name, id, s) => [...s.failures].map(([code, n]) => `${name}${labels({ source: id, code })} ${n}`),
  },
  {
    name: 'feedwright_source_items_found_total',
    help: 'Items found on the source page, summed over runs.',
    type: 'counter',
    render: (name, id, s) => [`${name}${labels({ source: id })} ${s.found}`],
  },
  {
    name: 'feedwright_source_items_new_total',
    help: 'Items seen for the first time.',
    type: 'counter',
    render: (name, id, s) => [`${name}${labels({ source: id })} ${s.newItems}`],
  },
  {
    name: 'feedwright_source_run_duration_seconds',
    help: 'Duration of source runs (fetch, extract, store and render).',
    type: 'histogram',
    render: (name, id, s, buckets) => renderHistogram(name, id, s.run, buckets),
  },
  {
    name: 'feedwright_source_fetch_duration_seconds',
    help: 'Time spent fetching the source page, including retries and politeness waits.',
    type: 'histogram',
    render: (name, id, s, buckets) => renderHistogram(name, id, s.fetch, buckets),
  },
  {
    name: 'feedwright_source_last_run_timestamp_seconds',
    help: 'Unix time of the last finished run.',
    type: 'gauge',
    render: (name, id, s) => (s.lastRun === undefined ? [] : [`${name}${labels({ source: id })} ${s.lastRun}`]),
  },
  {
    name: 'feedwright_source_last_success_timestamp_seconds',
    help: 'Unix time of the last run that did not fail.',
    type: 'gauge',
    render: (name, id, s) => (s.lastSuccess === undefined ? [] : [`${name}${labels({ source: id })} ${s.lastSuccess}`]),
  },
];

function createSeries(bucketCount: number): SourceSeries {
  return {
    runs: new Map(),
    served: new Map(),
    failures: new Map(),
    found: 0,
    newItems: 0,
    run: createHistogram(bucketCount),
    fetch: createHistogram(bucketCount),
  };
}

function createHistogram(bucketCount: number): Histogram {
  return { bucketCounts: new Array<number>(bucketCount + 1).fill(0), sum: 0, count: 0 };
}

function observeSeconds(histogram: Histogram, seconds: number, buckets: number[]): void {
  const index = buckets.findIndex((bound) => seconds <= bound);
  const slot = index === -1 ? buckets.length : index;
  histogram.bucketCounts[slot] = (histogram.bucketCounts[slot] ?? 0) + 1;
  histogram.sum += seconds;
  histogram.count += 1;
}

function countReport(series: SourceSeries, report: RunReport, buckets: number[], nowSeconds: number): void {
  increment(series.runs, report.outcome);
  if (report.servedBy) increment(series.served, report.servedBy);
  if (isFailure(report)) increment(series.failures, report.error?.code ?? 'UNKNOWN');
  // A deferred run sent no request (Retry-After): neither a success nor a failure.
  else if (report.outcome !== 'deferred') series.lastSuccess = nowSeconds;
  series.lastRun = nowSeconds;
  series.found += report.found;
  series.newItems += report.newItems;
  observeSeconds(series.run, Math.max(0, report.durationMs) / 1000, buckets);
  if (report.fetchMs !== undefined) observeSeconds(series.fetch, Math.max(0, report.fetchMs) / 1000, buckets);
}

/** The browser's gauges and counters (process-wide, no source label). */
function renderBrowserGauges(browser: BrowserGauges): string[] {
  const family = (name: string, type: string, help: string, value: number | undefined): string[] =>
    value === undefined ? [] : [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
  return [
    ...family('feedwright_browser_running', 'gauge', '1 while the headless browser runs.', browser.running ? 1 : 0),
    ...family(
      'feedwright_browser_memory_bytes',
      'gauge',
      "Memory of the headless browser's processes (PSS summed over its process tree).",
      browser.memoryBytes,
    ),
    ...family('feedwright_browser_pages_open', 'gauge', 'Pages being rendered now.', browser.pagesOpen),
    ...family('feedwright_browser_pages_rendered_total', 'counter', 'Pages rendered.', browser.pagesRendered),
    ...family('feedwright_browser_launches_total', 'counter', 'Browser launches.', browser.launches),
    ...family(
      'feedwright_browser_kills_total',
      'counter',
      'Browsers killed because a hung page did not close.',
      browser.kills,
    ),
  ];
}

function renderHistogram(name: string, id: string, s: Histogram, buckets: number[]): string[] {
  if (s.count === 0) return [];
  const lines: string[] = [];
  let cumulative = 0;
  buckets.forEach((bound, i) => {
    cumulative += s.bucketCounts[i] ?? 0;
    lines.push(`${name}_bucket${labels({ source: id, le: String(bound) })} ${cumulative}`);
  });
  lines.push(`${name}_bucket${labels({ source: id, le: '+Inf' })} ${s.count}`);
  lines.push(`${name}_sum${labels({ source: id })} ${s.sum}`);
  lines.push(`${name}_count${labels({ source: id })} ${s.count}`);
  return lines;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Label values escape backslash, double quote and newline, as the exposition format requires. */
function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(
    ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return `{${parts.join(',')}}`;
}
