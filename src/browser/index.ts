/**
 * browser stage: one page URL → the DOM headless Chromium built from it (scripts run, challenges
 * followed), politely and within limits. playwright-core is imported only when a page is rendered.
 */
export { createRenderer } from './create-renderer.js';
export type {
  NavigationTurn,
  Renderer,
  RendererOptions,
  RendererStats,
  RenderRequest,
  RenderedPage,
} from './renderer-types.js';
export { BrowserError } from './browser-error.js';
export { CHROMIUM_ARGS } from './launch-browser.js';
export { isProcessAlive, measureBrowserCpuMs, measureBrowserMemory } from './browser-processes.js';
