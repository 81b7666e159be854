/**
 * Human-friendly durations and sizes in the config: `30s`, `500ms`, `2m`, `1h`, `10MB`, `512KB`.
 * Plain numbers are milliseconds and bytes.
 */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1_024, mb: 1_048_576, gb: 1_073_741_824 };

/** Parses a duration (`30s`, `500ms`, `2m`, `1h`, `1d` or a number of ms); undefined when malformed. */
export function parseDuration(value: string | number): number | undefined {
  return parseWithUnits(value, DURATION_UNITS);
}

/** Parses a size (`10MB`, `512KB` or a number of bytes); undefined when malformed. */
export function parseSize(value: string | number): number | undefined {
  return parseWithUnits(value, SIZE_UNITS);
}

// --- Internal helpers ---

function parseWithUnits(value: string | number, units: Record<string, number>): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : units[unit];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}
