/**
 * Built-in browser defaults and where Chromium is looked for, in one place: the config stage warns
 * at load time when a source needs a browser and none is found, and the browser stage launches it.
 */
import { accessSync, constants } from 'node:fs';
import type { BrowserConfig } from '../model.js';

/** The `browser:` settings when the config gives none. */
export const DEFAULT_BROWSER_CONFIG: Readonly<BrowserConfig> = Object.freeze({
  maxPages: 2,
  idleCloseMs: 60_000,
  maxRequests: 300,
});

/** Hard limit for one page in the browser when the source sets no `renderTimeout`. */
export const DEFAULT_RENDER_TIMEOUT_MS = 30_000;

/** Where Debian, Ubuntu and Chrome packages put their executables, tried in this order. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/** What to tell an operator whose machine has no Chromium. */
export const INSTALL_CHROMIUM_HINT =
  'Install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set `browser.executablePath` to a Chromium or Chrome executable; feedwright never downloads a browser.';

/** The executable to launch: the configured one when it is executable, else the first candidate found; undefined when none. */
export function locateChromium(
  configured: string | undefined,
  isExecutable: (path: string) => boolean = canExecute,
): string | undefined {
  if (configured !== undefined) return isExecutable(configured) ? configured : undefined;
  return CHROMIUM_CANDIDATES.find((path) => isExecutable(path));
}

// --- Internal helpers ---

function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    // Missing or not executable: the caller reports it with the install hint.
    return false;
  }
}
