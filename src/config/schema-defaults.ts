/**
 * The blocks the config schema fills in when a file omits them, in the config's own syntax; shared
 * by the zod schema and the quick validator (which must fill them in identically).
 */
import { DEFAULT_BROWSER_CONFIG } from '../defaults/browser.js';
import { DEFAULT_WORKER_CONFIG, toConfigDuration } from '../defaults/config-defaults.js';

/** The built-in `worker:` block, in the config's own syntax. */
export const WORKER_DEFAULTS = {
  concurrency: DEFAULT_WORKER_CONFIG.concurrency,
  initialRun: DEFAULT_WORKER_CONFIG.initialRun,
  jitter: toConfigDuration(DEFAULT_WORKER_CONFIG.jitterMs),
  shutdownTimeout: toConfigDuration(DEFAULT_WORKER_CONFIG.shutdownTimeoutMs),
};

/** The built-in `browser:` block, in the config's own syntax. */
export const BROWSER_DEFAULTS = {
  maxPages: DEFAULT_BROWSER_CONFIG.maxPages,
  idleClose: toConfigDuration(DEFAULT_BROWSER_CONFIG.idleCloseMs),
  maxRequests: DEFAULT_BROWSER_CONFIG.maxRequests,
};
