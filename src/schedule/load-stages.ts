/**
 * The stages a worker starts without, each imported here on first need: the pipeline's run path
 * (fetch, extract, store commit, feed rendering: cheerio, undici, luxon, npm `feed`) when the first
 * source runs or the site is first read, the feed server when the worker serves. A worker that
 * starts loads the scheduler and the store only (issue 15: start-up CPU ≤ 0.5 s);
 * tests/e2e/lazy-loading.test.ts fails if one of these stages is imported eagerly again.
 */

/** The pipeline stage as imported (runSource, the site reader…). */
export type PipelineStage = typeof import('../pipeline/index.js');
/** The serve stage as imported (createFeedServer, createHealthReader, createRenderedCache). */
export type ServeStage = typeof import('../serve/index.js');

let pipeline: Promise<PipelineStage> | undefined;
let serve: Promise<ServeStage> | undefined;

/** Imports the pipeline (once; later calls share the import). */
export function loadPipelineStage(): Promise<PipelineStage> {
  return (pipeline ??= import('../pipeline/index.js'));
}

/** Imports the feed server (once). */
export function loadServeStage(): Promise<ServeStage> {
  return (serve ??= import('../serve/index.js'));
}
