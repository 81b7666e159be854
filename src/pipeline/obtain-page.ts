/**
 * Gets a source's page by the path its `render:` mode asks for, extracts it, and says which path
 * served it:
 * - `fetch`: a plain fetch (conditional GET), as always;
 * - `browser`: the browser, unless cookies earned by an earlier render are kept for the host: then a
 *   plain fetch with them first, and the browser only when the challenge comes back (or the page
 *   yields nothing);
 * - `auto`: a plain fetch first (with earned cookies when kept), the browser only when the answer is
 *   a recognised anti-bot challenge, or a script-built shell that yields no items or (without
 *   `items:`) only an uncertain automatic list — on a shell that is its menu, not the list.
 */
import { recognizeChallengeText } from '../anti-bot/recognize-challenge.js';
import { ExtractError, UNCERTAIN_CONFIDENCE, describeScriptShell, extractItems } from '../extract/index.js';
import { FetchError } from '../fetch/index.js';
import type {
  EarnedCookie,
  ExtractResult,
  FetchedPage,
  NotModified,
  RenderPolicy,
  ServedBy,
  SourceConfig,
} from '../model.js';
import type { SourceState } from '../store/index.js';
import type { PipelineDeps } from './deps.js';
import { configuredCookies, keepEarnedCookies, readEarnedCookies, withEarnedCookies } from './earned-cookies.js';
import { extractOptionsFor } from './extract-options.js';
import { renderSourcePage } from './render-source-page.js';

/** A page obtained and extracted (or not), with the path that served it. */
export type ObtainedPage =
  | { kind: 'not-modified'; result: NotModified; servedBy: ServedBy }
  | { kind: 'extracted'; page: FetchedPage; extracted: ExtractResult; servedBy: ServedBy; notes: string[] }
  | { kind: 'no-items'; page: FetchedPage; error: unknown; servedBy: ServedBy; notes: string[] };

/** Fetches or renders the source's page and extracts it; throws FetchError / BrowserError when no page came back. */
export async function obtainPage(source: SourceConfig, deps: PipelineDeps, state: SourceState): Promise<ObtainedPage> {
  const render = source.render;
  if (!render) return fetchAndExtract(source, deps, state, undefined, 'fetch');
  const url = new URL(source.url);
  const earned = await readEarnedCookies(deps, url.host);
  if (render.mode === 'browser' && !earned) return renderAndExtract(source, render, deps, undefined, []);

  const servedBy: ServedBy = earned ? 'fetch+cookies' : 'fetch';
  let plain: ObtainedPage;
  try {
    // After a render, the shell's validators say nothing about the list: ask unconditionally.
    const validators = state.health?.servedBy === 'browser' ? undefined : state.validators;
    plain = await fetchAndExtract(source, deps, { validators }, earned, servedBy);
  } catch (error) {
    if (!(error instanceof FetchError) || !error.challenge) throw error;
    return renderAndExtract(source, render, deps, earned, [
      describeFallback(servedBy, `a ${error.challenge} challenge`),
    ]);
  }
  if (plain.kind === 'extracted') {
    const menu = uncertainShellReason(render, plain.page.body, plain.extracted);
    return menu ? renderAndExtract(source, render, deps, earned, [describeFallback(servedBy, menu)]) : plain;
  }
  if (plain.kind !== 'no-items') return plain;
  const reason = fallbackReason(render, plain.page.body, plain.error);
  return reason ? renderAndExtract(source, render, deps, earned, [describeFallback(servedBy, reason)]) : plain;
}

// --- Internal helpers ---

async function fetchAndExtract(
  source: SourceConfig,
  deps: PipelineDeps,
  state: Pick<SourceState, 'validators'>,
  earned: EarnedCookie[] | undefined,
  servedBy: ServedBy,
): Promise<ObtainedPage> {
  const fetched = await deps.fetcher.fetch({
    sourceId: source.id,
    url: source.url,
    policy: withEarnedCookies(source.fetch, earned),
    validators: state.validators,
    purpose: 'page',
  });
  if (fetched.kind === 'not-modified') return { kind: 'not-modified', result: fetched, servedBy };
  return extractPage(source, deps, fetched, servedBy, []);
}

async function renderAndExtract(
  source: SourceConfig,
  render: RenderPolicy,
  deps: PipelineDeps,
  earned: EarnedCookie[] | undefined,
  notes: string[],
): Promise<ObtainedPage> {
  const url = new URL(source.url);
  const own = configuredCookies(source.fetch, url);
  const ownNames = new Set(own.map((cookie) => cookie.name));
  const cookies = [...(earned ?? []).filter((cookie) => !ownNames.has(cookie.name)), ...own];
  const { page, rendered } = await renderSourcePage(source, render, deps, cookies);
  const kept = rendered.challenge
    ? await keepEarnedCookies(
        deps,
        source.id,
        new URL(rendered.finalUrl).host,
        rendered.cookies.filter((cookie) => !ownNames.has(cookie.name)),
        rendered.challenge,
      )
    : undefined;
  const passed = rendered.challenge
    ? [`browser: passed a JavaScript challenge (${rendered.challenge}); its cookies are kept for plain fetches`]
    : [];
  return extractPage(source, deps, page, 'browser', [...notes, ...passed, ...(kept ? [kept] : [])]);
}

async function extractPage(
  source: SourceConfig,
  deps: PipelineDeps,
  page: FetchedPage,
  servedBy: ServedBy,
  notes: string[],
): Promise<ObtainedPage> {
  try {
    const input = { body: page.body, contentType: page.contentType, url: page.finalUrl };
    const options = extractOptionsFor(source, deps.now());
    const extracted = deps.extract ? await deps.extract(input, options) : extractItems(input, options);
    return { kind: 'extracted', page, extracted, servedBy, notes };
  } catch (error) {
    return { kind: 'no-items', page, error, servedBy, notes };
  }
}

/** Why a page that yielded nothing goes to the browser, or undefined when the browser would not help. */
export function fallbackReason(render: RenderPolicy, body: string, error: unknown): string | undefined {
  if (!(error instanceof ExtractError)) return undefined;
  if (error.code === 'EXTRACT_CHALLENGE') return `a ${recognizeChallengeText(body) ?? 'JavaScript'} challenge`;
  if (error.code !== 'EXTRACT_NO_CONTAINER' && error.code !== 'EXTRACT_NO_ITEMS') return undefined;
  // `browser` only fetched because it had cookies: a page without the list means they no longer work.
  if (render.mode === 'browser') return 'no list in the plain answer';
  const shell = describeScriptShell(body);
  return shell ? `a page built by script: ${shell}` : undefined;
}

/**
 * `auto` without `items:`: on a script-built shell, automatic detection finds the shell's own menus
 * (navigation, side columns) with low confidence while the real list is still to be loaded. Such an
 * answer goes to the browser; a confident list, or a page that is no shell, stays a plain fetch.
 */
export function uncertainShellReason(render: RenderPolicy, body: string, extracted: ExtractResult): string | undefined {
  const confidence = extracted.selectors?.confidence;
  if (render.mode !== 'auto' || extracted.mode !== 'auto' || confidence === undefined) return undefined;
  if (confidence >= UNCERTAIN_CONFIDENCE) return undefined;
  const shell = describeScriptShell(body);
  if (!shell) return undefined;
  return `a page built by script (${shell}) where the list found automatically, ${extracted.selectors?.items}, is uncertain (confidence ${confidence.toFixed(2)}: likely a menu)`;
}

function describeFallback(servedBy: ServedBy, reason: string): string {
  const how = servedBy === 'fetch+cookies' ? 'the plain fetch with earned cookies' : 'the plain fetch';
  return `browser: ${how} got ${reason}; the page was rendered in the browser`;
}
