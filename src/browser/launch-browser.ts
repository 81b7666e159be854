/**
 * Starts the system's Chromium through playwright-core, which is imported only here and only when
 * a source first needs a browser: the default mode never loads it. No browser is ever downloaded.
 */
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { describeError } from '../errors.js';
import { INSTALL_CHROMIUM_HINT, locateChromium } from '../defaults/browser.js';
import { BrowserError } from './browser-error.js';
import { listBrowserProcesses } from './browser-processes.js';

/** A launched browser and its process id (undefined when it could not be told apart, or without /proc). */
export interface LaunchedBrowser {
  browser: Browser;
  pid?: number;
}

/**
 * Chromium's switches: headless without a sandbox or GPU (containers, servers), and none of its own
 * traffic (component updates, sync, field trials, QUIC probes): a closed network refuses those
 * connections, and a feed tool has no business making them. playwright-core gives every launch a
 * fresh temporary profile (user-data-dir) and deletes it on close.
 *
 * Chromium's Local Network Access checks are off: the request guard hands every document over
 * itself, and Chromium counts such a document as public, so an intranet page could not call its
 * intranet API on another host (`Permission was denied … to access the loopback address space`).
 * Which pages may reach a private network is decided by feedwright's own rule instead (the guard's
 * `mayReach` for requests and WebSockets, the fetch stage for navigations): a public page may not,
 * a page of a source on a private network may.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
];

/** Launches headless Chromium; throws BROWSER_NOT_FOUND (with the install hint) or BROWSER_LAUNCH. */
export async function launchBrowser(configured: string | undefined, sourceId: string): Promise<LaunchedBrowser> {
  const executablePath = locateChromium(configured);
  if (executablePath === undefined) {
    const where = configured ? `${configured} is not an executable file` : 'no Chromium on this machine';
    throw new BrowserError(
      'BROWSER_NOT_FOUND',
      `browser: source "${sourceId}": cannot render the page: ${where} (the source has render: browser or auto)`,
      { sourceId, hint: INSTALL_CHROMIUM_HINT },
    );
  }
  let chromium: typeof import('playwright-core').chromium;
  try {
    // Required, not imported: import() fails in the CLI's bundle (src/vendor/vendor-bundle.ts).
    ({ chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core'));
  } catch (cause) {
    throw new BrowserError('BROWSER_LAUNCH', `browser: source "${sourceId}": playwright-core is not installed`, {
      sourceId,
      cause,
      hint: 'Reinstall feedwright with its dependencies (`npm ci`); playwright-core drives the system Chromium.',
    });
  }
  try {
    // playwright-core keeps the process to itself: the new child of this process is ours.
    const before = new Set(listBrowserProcesses());
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 30_000,
      // The worker handles signals itself and closes the browser on the way out.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const added = listBrowserProcesses().filter((pid) => !before.has(pid));
    return { browser, pid: added.length === 1 ? added[0] : undefined };
  } catch (cause) {
    throw new BrowserError(
      'BROWSER_LAUNCH',
      `browser: source "${sourceId}": Chromium at ${executablePath} did not start (${firstLine(describeError(cause))})`,
      {
        sourceId,
        cause,
        hint: `Run \`${executablePath} --headless --no-sandbox --dump-dom about:blank\` to see why; a broken or partial install is fixed by reinstalling the package.`,
      },
    );
  }
}

// --- Internal helpers ---

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
