/**
 * `feedwright preview <source-id | URL>`: fetch and extract without writing anything, then show the
 * items, the warnings, and the selectors used as a YAML snippet ready to paste into the config.
 */
import { stringify } from 'yaml';
import { createRenderer } from '../browser/index.js';
import { loadConfig } from '../config/load-config.js';
import { resolveAdHocSource } from '../config/resolve-config.js';
import { createFetcher } from '../fetch/index.js';
import type { BrowserConfig, ExtractResult, SourceConfig } from '../model.js';
import { formatWarning, previewSource, type PreviewResult } from '../pipeline/index.js';
import { parseFieldSelectors } from '../field-selector/parse-field-selector.js';
import { formatTable, truncateToWidth } from './format-table.js';
import { createCommandLogger, type GlobalOptions } from './services.js';
import { UsageError } from './usage-error.js';

/** Options of `preview`. */
export interface PreviewOptions extends GlobalOptions {
  items?: string;
  title?: string;
  link?: string;
  date?: string;
  timezone?: string;
  encoding?: string;
  render?: boolean;
  json?: boolean;
}

/** Previews a source; returns 0 when items were found, 1 otherwise. */
export async function previewCommand(target: string, options: PreviewOptions): Promise<number> {
  const found = await findSource(target, options);
  const source = applyOverrides(found.source, options);
  const logger = createCommandLogger({ ...options, logLevel: options.logLevel ?? 'warn' });
  const fetcher = createFetcher({ concurrency: 1, logger });
  const renderer = options.render || source.render ? createRenderer({ ...found.browser, logger }) : undefined;
  try {
    const preview = await previewSource(source, fetcher, new Date(), { render: options.render, renderer });
    const { result } = preview;
    if (options.json)
      process.stdout.write(
        `${JSON.stringify(
          {
            source: source.id,
            url: preview.finalUrl,
            charset: preview.charset,
            servedBy: preview.servedBy,
            ...(preview.rendered ? { rendered: preview.rendered } : {}),
            ...result,
          },
          null,
          2,
        )}\n`,
      );
    else printPreview(source, preview);
    return result.items.length > 0 ? 0 : 1;
  } finally {
    await renderer?.close();
    await fetcher.close();
  }
}

// --- Internal helpers ---

async function findSource(
  target: string,
  options: PreviewOptions,
): Promise<{ source: SourceConfig; browser?: BrowserConfig }> {
  if (/^https?:\/\//i.test(target))
    return { source: resolveAdHocSource(target, { timezone: options.timezone, encoding: options.encoding }) };
  const { config } = await loadConfig(options.config);
  const source = config.sources.find((candidate) => candidate.id === target);
  if (!source)
    throw new UsageError(
      `preview: no source "${target}" in ${config.file}`,
      `Give a source id (${config.sources.map((s) => s.id).join(', ')}) or a URL.`,
    );
  return { source, browser: config.browser };
}

function applyOverrides(source: SourceConfig, options: PreviewOptions): SourceConfig {
  const selectors = { ...source.selectors };
  if (options.items) selectors.items = options.items;
  // Selectors given on the command line are parsed like the config's (one grammar).
  if (options.title) selectors.title = parseFieldSelectors(options.title);
  if (options.link) selectors.link = parseFieldSelectors(options.link);
  if (options.date) selectors.date = parseFieldSelectors(options.date);
  return {
    ...source,
    selectors,
    timezone: options.timezone ?? source.timezone,
    fetch: { ...source.fetch, encoding: options.encoding ?? source.fetch.encoding },
  };
}

function printPreview(source: SourceConfig, preview: PreviewResult): void {
  const { result, warnings } = preview;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const via = preview.servedBy === 'browser' ? ', rendered in headless Chromium' : '';
  out(`${source.url} — ${result.items.length} item(s), mode: ${result.mode}, charset: ${preview.charset}${via}`);
  if (preview.rendered) for (const line of describeRendered(preview, result)) out(`  ${line}`);
  out();
  const rows = [['DATE', 'TITLE', 'LINK']];
  for (const item of result.items) {
    rows.push([
      item.published ? formatDate(item.published.date, source.timezone, item.published.precision) : '-',
      truncateToWidth(item.title, 60),
      item.link ?? '-',
    ]);
  }
  out(formatTable(rows));
  if (warnings.length) {
    out();
    out('Warnings:');
    for (const warning of warnings) out(`  - ${formatWarning(warning)}`);
  }
  for (const feed of result.page.alternateFeeds)
    out(`\nThe page advertises a feed: ${feed.url} (${feed.type}) — it may be a better source.`);
  if (result.selectors) {
    out();
    out(
      `Selectors used${result.selectors.confidence === undefined ? '' : ` (found automatically, confidence ${result.selectors.confidence.toFixed(2)})`} — paste into the config:`,
    );
    const { confidence: _confidence, alternatives, ...selectors } = result.selectors;
    const name = snippetName(source, result);
    const entry = {
      id: source.id,
      ...(name ? { name } : {}),
      url: source.url,
      ...(needsBrowser(preview) ? { render: source.render?.mode ?? 'browser' } : {}),
      ...Object.fromEntries(Object.entries(selectors).filter(([, value]) => value !== undefined)),
    };
    out(stringify([entry]).replace(/^/gm, '  ').trimEnd());
    if (alternatives?.length) {
      out();
      out('Next candidate lists (pin one as `items:` if the choice above is wrong):');
      for (const alternative of alternatives) out(`  items: ${alternative.items}   (${alternative.rows} rows)`);
    }
  }
}

/** What the browser saw: how the wait ended, a passed challenge, refused requests, and a list built by script. */
function describeRendered(preview: PreviewResult, result: ExtractResult): string[] {
  const seen = preview.rendered!;
  const waited = {
    selector: 'the list selector appeared',
    'network-idle': 'the network went quiet',
    deadline: 'the timeout (page still loading)',
  }[seen.waited];
  const lines = [`browser: waited until ${waited}; ${seen.requests} request(s) in ${seen.durationMs} ms`];
  if (seen.fallback) lines.push(`why the browser: ${seen.fallback}`);
  if (seen.challenge) lines.push(`challenge passed: ${seen.challenge} (${seen.documents} documents loaded)`);
  const { resources, offHost, overLimit, privateNetwork } = seen.blocked;
  if (resources + offHost + overLimit + privateNetwork > 0)
    lines.push(
      `refused: ${resources} image/font/media, ${offHost} navigation(s) off the host, ${overLimit} over the request limit${privateNetwork > 0 ? `, ${privateNetwork} to private-network hosts` : ''}`,
    );
  if (seen.rawError) lines.push(`plain fetch: ${seen.rawError}`);
  else if (seen.rawRows !== undefined && seen.rawRows < result.items.length)
    lines.push(
      `list built by script: the raw HTML has ${seen.rawRows} of these rows, the rendered DOM ${result.items.length}; keep \`render: browser\` (or auto)`,
    );
  else if (seen.rawRows !== undefined)
    lines.push(`the raw HTML already has these ${seen.rawRows} rows: a plain fetch (\`render: fetch\`) is enough`);
  return lines;
}

/** True when the list came from the browser and a plain fetch would not have it. */
function needsBrowser(preview: PreviewResult): boolean {
  const seen = preview.rendered;
  if (!seen) return false;
  return seen.rawError !== undefined || (seen.rawRows ?? 0) < preview.result.items.length;
}

/** The snippet's `name:`: the configured one, else the page's own title (what the feed would be called anyway). */
function snippetName(source: SourceConfig, result: ExtractResult): string | undefined {
  if (source.name !== source.id) return source.name;
  const title = result.page.title?.replace(/\s+/g, ' ').trim();
  return title || undefined;
}

function formatDate(date: Date, timezone: string, precision: 'day' | 'time'): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(precision === 'time' ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date);
  return parts;
}
