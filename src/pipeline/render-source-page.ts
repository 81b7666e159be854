/**
 * A source's page through the browser stage, with the fetch stage's politeness for each top-level
 * navigation, turned into the FetchedPage the extract stage reads like any fetched page.
 */
import { BrowserError, type RenderedPage } from '../browser/index.js';
import { INSTALL_CHROMIUM_HINT } from '../defaults/browser.js';
import type { EarnedCookie, FetchedPage, RenderPolicy, SourceConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';

/** The rendered page, and the same as a FetchedPage (no validators: a rendered DOM is never a 304). */
export async function renderSourcePage(
  source: SourceConfig,
  render: RenderPolicy,
  deps: Pick<PipelineDeps, 'renderer' | 'fetcher' | 'now'>,
  cookies: EarnedCookie[],
): Promise<{ page: FetchedPage; rendered: RenderedPage }> {
  if (!deps.renderer)
    throw new BrowserError('BROWSER_NOT_FOUND', `browser: source "${source.id}": this process has no browser`, {
      sourceId: source.id,
      hint: INSTALL_CHROMIUM_HINT,
    });
  const fetchedAt = deps.now();
  const { fetcher } = deps;
  const rendered = await deps.renderer.render({
    sourceId: source.id,
    url: source.url,
    userAgent: source.fetch.userAgent,
    headers: withoutCookieHeader(source.fetch.headers),
    cookies,
    waitFor: render.waitFor,
    timeoutMs: render.timeoutMs,
    admit: (url) =>
      fetcher.admit
        ? fetcher.admit({ sourceId: source.id, url, sourceUrl: source.url, policy: source.fetch, purpose: 'page' })
        : Promise.resolve(() => undefined),
    mayReach: fetcher.mayReach
      ? (url) =>
          fetcher.mayReach!({ sourceId: source.id, url, sourceUrl: source.url, policy: source.fetch, purpose: 'page' })
      : undefined,
  });
  const page: FetchedPage = {
    kind: 'fetched',
    sourceId: source.id,
    requestedUrl: source.url,
    finalUrl: rendered.finalUrl,
    status: rendered.status,
    fetchedAt,
    durationMs: rendered.durationMs,
    requests: rendered.requests,
    waitMs: rendered.waitMs,
    validators: {},
    contentType: 'text/html; charset=utf-8',
    charset: 'utf-8',
    body: rendered.html,
    bytes: Buffer.byteLength(rendered.html),
    warnings: rendered.warnings,
  };
  return { page, rendered };
}

// --- Internal helpers ---

/** Cookies go to the browser as cookies (scoped to the host), never as a header sent everywhere. */
function withoutCookieHeader(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'cookie'));
}
