/** Small measuring and formatting helpers shared by the benchmarks. */

/** CPU milliseconds (user + system) spent running `fn` synchronously. */
export function cpuTime(fn: () => unknown): number {
  const started = process.cpuUsage();
  fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/** The median (upper median for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The arithmetic mean (0 for no values). */
export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}

/** Bytes as whole kilobytes. */
export function kb(bytes: number): string {
  return (bytes / 1024).toFixed(0);
}

/** Milliseconds right-aligned for tables, e.g. `   3.85ms`. */
export function ms(value: number): string {
  return `${value.toFixed(2)}ms`.padStart(9);
}
