/**
 * /metrics for a server without a worker of its own (`feedwright serve`): gauges read from the
 * sources' stored health, in the Prometheus text format (0.0.4). Run counters and duration
 * histograms need the runs themselves, so only `start --serve` has those.
 */
import type { SourceHealth } from '../model.js';

/** Renders every source's stored health as Prometheus gauges. */
export function renderHealthMetrics(healths: readonly SourceHealth[]): string {
  const sorted = [...healths].sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  const lines: string[] = [];
  for (const gauge of GAUGES) {
    lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
    for (const health of sorted)
      lines.push(
        ...gauge
          .samples(health)
          .map(([extra, value]) => `${gauge.name}${labels({ source: health.sourceId, ...extra })} ${value}`),
      );
  }
  return `${lines.join('\n')}\n`;
}

// --- Internal helpers ---

type Sample = [Record<string, string>, number];

interface Gauge {
  name: string;
  help: string;
  samples(health: SourceHealth): Sample[];
}

const STATUSES: ReadonlyArray<SourceHealth['status']> = ['ok', 'not-modified', 'degraded', 'failing', 'never-run'];

const GAUGES: Gauge[] = [
  {
    name: 'feedwright_source_status',
    help: 'The source health status: 1 for the current one, 0 for the others.',
    samples: (h) => STATUSES.map((status) => [{ status }, h.status === status ? 1 : 0]),
  },
  {
    name: 'feedwright_source_last_run_timestamp_seconds',
    help: 'Unix time of the last finished run.',
    samples: (h) => seconds(h.lastRunAt),
  },
  {
    name: 'feedwright_source_last_success_timestamp_seconds',
    help: 'Unix time of the last run that did not fail.',
    samples: (h) => seconds(h.lastSuccessAt),
  },
  {
    name: 'feedwright_source_consecutive_failures',
    help: 'Failed runs in a row.',
    samples: (h) => [[{}, h.consecutiveFailures]],
  },
  {
    name: 'feedwright_source_items_found',
    help: 'Items on the page at the last extraction.',
    samples: (h) => [[{}, h.lastFound]],
  },
  {
    name: 'feedwright_source_items_new',
    help: 'Items the last run saw for the first time.',
    samples: (h) => [[{}, h.lastNew]],
  },
  {
    name: 'feedwright_source_last_run_duration_seconds',
    help: 'Duration of the last run (fetch, extract, store and render).',
    samples: (h) => (h.lastDurationMs === undefined ? [] : [[{}, h.lastDurationMs / 1000]]),
  },
];

function seconds(iso: string | undefined): Sample[] {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(ms) ? [] : [[{}, ms / 1000]];
}

/** Label values escape backslash, double quote and newline, as the exposition format requires. */
function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(
    ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return `{${parts.join(',')}}`;
}
