/**
 * Helpers for scheduler tests: a logger that keeps its records, a fake runSource that records
 * when each run started and ended.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/log.js';
import type { RunReport } from '../../src/model.js';

/** One pino record as parsed JSON. */
export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A debug-level logger whose records land in `records`. */
export function createCapturingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) records.push(JSON.parse(line) as LogRecord);
      callback();
    },
  });
  return { logger: pino({ level: 'debug', base: undefined }, sink), records };
}

/** One recorded run of the fake pipeline. */
export interface RecordedRun {
  sourceId: string;
  startedAt: number;
  endedAt?: number;
}

/** A fake runSource: each run lasts `durationMs(sourceId)` and succeeds; `runs` records them, `maxConcurrent` the overlap. */
export function createFakeRunner(durationMs: (sourceId: string) => number = () => 20) {
  const runs: RecordedRun[] = [];
  const active = new Map<string, number>();
  const maxConcurrent = new Map<string, number>();
  async function runSource(sourceId: string): Promise<RunReport> {
    const run: RecordedRun = { sourceId, startedAt: Date.now() };
    runs.push(run);
    const now = (active.get(sourceId) ?? 0) + 1;
    active.set(sourceId, now);
    maxConcurrent.set(sourceId, Math.max(maxConcurrent.get(sourceId) ?? 0, now));
    await sleep(durationMs(sourceId));
    active.set(sourceId, (active.get(sourceId) ?? 1) - 1);
    run.endedAt = Date.now();
    return {
      sourceId,
      outcome: 'unchanged',
      found: 3,
      newItems: 0,
      durationMs: run.endedAt - run.startedAt,
      warnings: [],
      written: [],
    };
  }
  return { runSource, runs, maxConcurrent, runsOf: (id: string) => runs.filter((r) => r.sourceId === id) };
}

/** Resolves after ms milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
