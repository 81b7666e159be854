/**
 * fetch stage: one source URL → FetchResult. Contract (implementation in this folder):
 *
 *   createFetcher(options) → Fetcher
 *   fetcher.fetch(request: FetchRequest) → Promise<FetchResult>   // throws FetchError
 *   fetcher.close()
 */
export {};
