/** `feedwright run`: one pass over the sources, a summary, and an exit code (0 ok, 1 any source failed). */
import { isFailure } from '../health/health-rules.js';
import { formatWarning, runPass } from '../pipeline/index.js';
import type { AppError } from '../errors.js';
import type { RunReport, SourceConfig, Warning } from '../model.js';
import { formatTable, truncateToWidth } from './format-table.js';
import { createLogger, type LogLevel } from '../log.js';
import { loadConfigForCommand, openServices, type GlobalOptions } from './services.js';
import { UsageError } from './usage-error.js';
import { openSiteElection } from '../schedule/site-election.js';

/** Options of `run`. */
export interface RunOptions extends GlobalOptions {
  source: string[];
  json?: boolean;
}

/** Runs one pass and prints the summary; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  const { config } = await loadConfigForCommand(options);
  const unknown = options.source.filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0) {
    throw new UsageError(
      `run: unknown source ${unknown.map((id) => `"${id}"`).join(', ')} in ${config.file}`,
      `Known sources: ${config.sources.map((s) => s.id).join(', ')}.`,
    );
  }
  const progress = createProgress(
    options.source.length || config.sources.length,
    !options.json && Boolean(process.stderr.isTTY),
  );
  // The summary table says what info logs would; warnings and errors still go to stderr, above the progress bar.
  const logger = createLogger({ level: (options.logLevel ?? 'warn') as LogLevel, destination: progress.logStream });
  const services = await openServices(config, logger);
  // Shared store with an `output:` export: the site files are written only while holding the site
  // lease (a running worker that holds it writes them itself).
  const opened = await openSiteElection(config, { logger, onElected: () => undefined }).catch(async (error) => {
    await services.close();
    throw error;
  });
  if (opened && !(await opened.election.campaign()))
    logger.warn({}, 'site files (topic feeds, OPML, index) are left to the worker elected to write them');
  opened?.election.start();
  try {
    const { reports, siteFiles, siteError } = await runPass(config, services.deps, {
      sourceIds: options.source,
      concurrency: config.worker.concurrency,
      onStart: progress.start,
      onReport: progress.done,
      siteGuard: opened?.election,
    });
    progress.clear();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(reports.map(toJsonReport), null, 2)}\n`);
      if (siteError)
        process.stderr.write(`error: ${siteError.message}${siteError.hint ? `\nhint: ${siteError.hint}` : ''}\n`);
    } else {
      printSummary(reports, services.deps.outputDir, siteFiles, siteError);
    }
    return reports.some(isFailure) || siteError ? 1 : 0;
  } finally {
    progress.clear();
    await opened?.election.stop();
    await opened?.close();
    await services.close();
  }
}

/** Prints the per-source table, the errors with their hints, and where the feeds are. */
export function printSummary(
  reports: RunReport[],
  outputDir: string | undefined,
  siteFiles: string[],
  siteError?: AppError,
): void {
  const rows = [['SOURCE', 'STATUS', 'FOUND', 'NEW', 'FETCH MS', 'WAIT MS', 'TOTAL MS', 'NOTE']];
  for (const report of reports) {
    const note = report.error
      ? report.error.message
      : report.warnings.length
        ? `${report.warnings.length} warning(s): ${formatWarning(report.warnings[0] as Warning)}`
        : '';
    const wait = report.waitMs ?? 0;
    rows.push([
      report.sourceId,
      report.outcome,
      foundCell(report),
      String(report.newItems),
      // The fetch alone, without the politeness waits, which get their own column.
      report.fetchMs === undefined ? '-' : String(Math.max(0, report.fetchMs - wait)),
      report.fetchMs === undefined ? '-' : String(wait),
      String(report.durationMs),
      truncateToWidth(note, 90),
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  for (const report of reports) {
    const chosen = report.chosenSelectors;
    if (!chosen) continue;
    const fields = (['items', 'title', 'link', 'date', 'summary'] as const)
      .filter((f) => chosen[f])
      .map((f) => `${f}: ${chosen[f]}`);
    const confidence = chosen.confidence === undefined ? '' : ` (confidence ${chosen.confidence.toFixed(2)})`;
    process.stdout.write(
      `\n${report.sourceId}: list found automatically${confidence}; pin it with ${fields.join(', ')}\n`,
    );
  }
  const failed = reports.filter(isFailure);
  for (const report of failed) {
    process.stdout.write(`\n✗ ${report.error?.message ?? report.outcome}\n`);
    if (report.error?.hint) process.stdout.write(`  hint: ${report.error.hint}\n`);
  }
  if (siteError) {
    process.stdout.write(`\n✗ topic feeds, OPML and index not rebuilt: ${siteError.message}\n`);
    if (siteError.hint) process.stdout.write(`  hint: ${siteError.hint}\n`);
  }
  const ok = reports.length - failed.length;
  const changed = reports.reduce((sum, report) => sum + report.written.length, 0) + siteFiles.length;
  const where =
    outputDir === undefined
      ? 'no files written (shared store without `output:`: `serve` renders the feeds from the store)'
      : `${changed} file(s) written in ${outputDir}`;
  process.stdout.write(`\n${ok}/${reports.length} sources ok, ${where}\n`);
}

// --- Internal helpers ---

/** A 304 or an identical body is not parsed: it shows the count kept from the last extraction. A deferred run shows none. */
function foundCell(report: RunReport): string {
  if (report.outcome === 'not-modified' || report.outcome === 'same-body')
    return report.keptFound === undefined ? '-' : String(report.keptFound);
  return report.outcome === 'deferred' ? '-' : String(report.found);
}

function toJsonReport(report: RunReport) {
  const { error, ...rest } = report;
  return { ...rest, error: error ? { code: error.code, message: error.message, hint: error.hint } : undefined };
}

/**
 * A one-line progress indicator on a terminal; silent otherwise. Log lines go through `logStream`,
 * which clears the bar, writes the line, and draws the bar again below it: a WARN line never ends
 * up glued to the bar.
 */
function createProgress(total: number, enabled: boolean) {
  let done = 0;
  let bar = '';
  const running = new Set<string>();
  const draw = () => {
    if (!enabled) return;
    const names = [...running].slice(0, 3).join(', ');
    const width = 24;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${truncateToWidth(names, 50)}`;
    process.stderr.write(`\r\x1b[2K${bar}`);
  };
  return {
    logStream: {
      write(text: string) {
        if (bar === '') process.stderr.write(text);
        else process.stderr.write(`\r\x1b[2K${text}${text.endsWith('\n') ? '' : '\n'}${bar}`);
      },
    },
    start: (source: SourceConfig) => {
      running.add(source.id);
      draw();
    },
    done: (report: RunReport) => {
      running.delete(report.sourceId);
      done += 1;
      draw();
    },
    clear: () => {
      if (enabled && bar !== '') process.stderr.write('\r\x1b[2K');
      bar = '';
    },
  };
}
