/** Fetch and extract one source without touching the store or the output: what `preview` shows. */
import { extractItems } from '../extract/index.js';
import type { Fetcher } from '../fetch/index.js';
import type { ExtractResult, SourceConfig } from '../model.js';
import { extractOptionsFor, formatExtractWarning } from './extract-options.js';

/** What a preview found. */
export interface PreviewResult {
  finalUrl: string;
  charset: string;
  result: ExtractResult;
  /** Fetch and extraction warnings, one line each. */
  warnings: string[];
}

/** Fetches the page unconditionally and extracts it; throws FetchError / ExtractError like a run would fail. */
export async function previewSource(source: SourceConfig, fetcher: Fetcher, now: Date): Promise<PreviewResult> {
  const page = await fetcher.fetch({ sourceId: source.id, url: source.url, policy: source.fetch, purpose: 'page' });
  // Without validators the fetcher always answers with a page; a not-modified here would be a fetcher bug.
  if (page.kind !== 'fetched')
    throw new Error(`unexpected ${page.reason} answer to an unconditional request for ${source.url}`);
  const result = extractItems(
    { body: page.body, contentType: page.contentType, url: page.finalUrl },
    { ...extractOptionsFor(source, now), listAlternatives: true },
  );
  return {
    finalUrl: page.finalUrl,
    charset: page.charset,
    result,
    warnings: [...page.warnings, ...result.warnings.map(formatExtractWarning)],
  };
}
