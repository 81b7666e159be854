/** Fetch (or render) and extract one source without touching the store or the output: what `preview` shows. */
import { parseFieldSelectors } from '../field-selector/parse-field-selector.js';
import type { Renderer } from '../browser/index.js';
import { extractItems } from '../extract/index.js';
import { FetchError, type Fetcher } from '../fetch/index.js';
import type { ExtractResult, FetchedPage, RenderPolicy, ServedBy, SourceConfig, Warning } from '../model.js';
import { DEFAULT_RENDER_TIMEOUT_MS } from '../defaults/browser.js';
import { configuredCookies } from './earned-cookies.js';
import { extractOptionsFor } from './extract-options.js';
import { fallbackReason } from './obtain-page.js';
import { renderSourcePage } from './render-source-page.js';

/** What the browser saw, for `preview --render`. */
export interface RenderedView {
  waited: 'selector' | 'network-idle' | 'deadline';
  documents: number;
  challenge?: string;
  blocked: { resources: number; offHost: number; overLimit: number; privateNetwork: number };
  requests: number;
  durationMs: number;
  /** Why a `render: auto` source went to the browser. */
  fallback?: string;
  /** Rows of the chosen list in the raw HTML a plain fetch got (undefined when that fetch failed). */
  rawRows?: number;
  /** What the plain fetch met instead of a page (a challenge, an error). */
  rawError?: string;
}

/** What a preview found. */
export interface PreviewResult {
  finalUrl: string;
  charset: string;
  result: ExtractResult;
  /** Fetch and extraction warnings, one line each. */
  warnings: Warning[];
  servedBy: ServedBy;
  rendered?: RenderedView;
}

/** Options of {@link previewSource}. */
export interface PreviewOptions {
  /** Renders in the browser whatever the source's `render:` says (`preview --render`). */
  render?: boolean;
  /** Needed for sources that render (or with `render`). */
  renderer?: Renderer;
}

/**
 * Fetches the page unconditionally (or renders it, as its `render:` mode would) and extracts it;
 * throws FetchError / ExtractError / BrowserError like a run would fail.
 */
export async function previewSource(
  source: SourceConfig,
  fetcher: Fetcher,
  now: Date,
  options: PreviewOptions = {},
): Promise<PreviewResult> {
  const render: RenderPolicy | undefined = options.render
    ? { timeoutMs: DEFAULT_RENDER_TIMEOUT_MS, waitFor: source.selectors.items, ...source.render, mode: 'browser' }
    : source.render;
  let raw: FetchedPage | undefined;
  let rawError: unknown;
  try {
    raw = await fetchRaw(source, fetcher);
  } catch (error) {
    // A challenge is what the browser is for; anything else fails a plain preview as it fails a run.
    if (!render || (render.mode === 'auto' && !(error instanceof FetchError && error.challenge))) throw error;
    rawError = error;
  }
  if (!render || (render.mode === 'auto' && raw)) {
    try {
      return extractRaw(source, raw!, now);
    } catch (error) {
      const reason = render && fallbackReason(render, raw!.body, error);
      if (!reason) throw error;
      return renderPreview(source, render, { fetcher, now, renderer: options.renderer }, raw, undefined, reason);
    }
  }
  return renderPreview(source, render, { fetcher, now, renderer: options.renderer }, raw, rawError);
}

// --- Internal helpers ---

async function fetchRaw(source: SourceConfig, fetcher: Fetcher): Promise<FetchedPage> {
  const page = await fetcher.fetch({ sourceId: source.id, url: source.url, policy: source.fetch, purpose: 'page' });
  // Without validators the fetcher always answers with a page; a not-modified here would be a fetcher bug.
  if (page.kind !== 'fetched')
    throw new Error(`unexpected ${page.reason} answer to an unconditional request for ${source.url}`);
  return page;
}

function extractRaw(source: SourceConfig, page: FetchedPage, now: Date): PreviewResult {
  const result = extractItems(
    { body: page.body, contentType: page.contentType, url: page.finalUrl },
    { ...extractOptionsFor(source, now), listAlternatives: true },
  );
  return {
    finalUrl: page.finalUrl,
    charset: page.charset,
    result,
    warnings: [...page.warnings, ...result.warnings],
    servedBy: 'fetch',
  };
}

async function renderPreview(
  source: SourceConfig,
  render: RenderPolicy,
  deps: { fetcher: Fetcher; now: Date; renderer?: Renderer },
  raw: FetchedPage | undefined,
  rawError: unknown,
  fallback?: string,
): Promise<PreviewResult> {
  const cookies = configuredCookies(source.fetch, new URL(source.url));
  const { page, rendered } = await renderSourcePage(
    source,
    render,
    { fetcher: deps.fetcher, renderer: deps.renderer, now: () => deps.now },
    cookies,
  );
  const preview = extractRaw(source, page, deps.now);
  return {
    ...preview,
    servedBy: 'browser',
    rendered: {
      waited: rendered.waited,
      documents: rendered.documents,
      challenge: rendered.challenge,
      blocked: rendered.blocked,
      requests: rendered.requests,
      durationMs: rendered.durationMs,
      ...(fallback ? { fallback } : {}),
      ...(raw ? { rawRows: countRows(source, raw, preview.result, deps.now) } : {}),
      ...(rawError === undefined ? {} : { rawError: rawError instanceof Error ? rawError.message : String(rawError) }),
    },
  };
}

/** How many items the rendered page's own selectors find in the raw HTML (0 when none or they fail). */
function countRows(source: SourceConfig, raw: FetchedPage, rendered: ExtractResult, now: Date): number {
  const chosen = rendered.selectors;
  if (!chosen) return 0;
  const pinned: SourceConfig = {
    ...source,
    selectors: {
      ...source.selectors,
      items: chosen.items,
      ...(chosen.title ? { title: parseFieldSelectors(chosen.title) } : {}),
      ...(chosen.link ? { link: parseFieldSelectors(chosen.link) } : {}),
    },
  };
  try {
    return extractItems(
      { body: raw.body, contentType: raw.contentType, url: raw.finalUrl },
      extractOptionsFor(pinned, now),
    ).items.length;
  } catch {
    // No such list in the raw HTML: that is the finding ("built by script").
    return 0;
  }
}
