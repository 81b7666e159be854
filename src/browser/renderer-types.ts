/** The browser stage's public contract: what a render is asked for and what it returns. */
import type { EarnedCookie, PageWarning } from '../model.js';

/** Options for createRenderer (the worker-wide `browser:` settings). */
export interface RendererOptions {
  /** Chromium to launch; undefined = the first of the usual places that exists. */
  executablePath?: string;
  /** Pages rendered at once (default 2); further renders wait for a free page. */
  maxPages?: number;
  /** Close the browser after this long without a page (default 60 s). */
  idleCloseMs?: number;
  /** Requests one page may make; later ones are refused (default 300). */
  maxRequests?: number;
  /** Logger for launch, close and forced kills. */
  logger?: import('../log.js').Logger;
}

/** One page to render. */
export interface RenderRequest {
  sourceId: string;
  url: string;
  userAgent: string;
  /** Extra request headers (the source's `headers:`; never Cookie, which goes in `cookies`). */
  headers: Record<string, string>;
  /** Cookies to start with (earned earlier, or the source's own). */
  cookies: EarnedCookie[];
  /** The list is there once this selector matches; without one, once the network is quiet. */
  waitFor?: string;
  /** Hard limit for the whole page, navigation to snapshot. */
  timeoutMs: number;
  /**
   * Politeness for each top-level navigation (robots.txt, the host's turn): resolves with the turn,
   * or rejects (the render then fails with that error).
   */
  admit(url: string): Promise<NavigationTurn>;
  /**
   * Whether the page may send a request to this URL: false for a host on a private network that a
   * public source may not reach (see `privateNetwork`). Without it every host is reachable.
   */
  mayReach?(url: string): Promise<boolean>;
}

/**
 * One navigation's politeness turn: called when the hop is over. `sent`, when there, is called once
 * the hop's request has gone out (when its answer arrives, the first moment the render can tell), so
 * the host's next turn counts from then rather than from when this turn was granted.
 */
export type NavigationTurn = (() => void) & { sent?: () => void };

/** What the browser saw. */
export interface RenderedPage {
  requestedUrl: string;
  finalUrl: string;
  /** HTTP status of the last main document. */
  status: number;
  /** The DOM as HTML once the wait was over. */
  html: string;
  /** Cookies for the final URL's host at the end (what a passed challenge set). */
  cookies: EarnedCookie[];
  /** Main-frame documents loaded (2 or more: a challenge reloaded the page, or it redirected by script). */
  documents: number;
  /** The recognised challenge vendor of the first document, or `reload` for an unnamed stub that reloaded. */
  challenge?: string;
  /** What ended the wait. */
  waited: 'selector' | 'network-idle' | 'deadline';
  /** Requests refused: images/fonts/media, navigations off the host, and requests over the page's limit. */
  blocked: { resources: number; offHost: number; overLimit: number; privateNetwork: number };
  /** Requests the page made (including refused ones). */
  requests: number;
  durationMs: number;
  /** Time spent waiting for the host's turn (politeness). */
  waitMs: number;
  warnings: PageWarning[];
}

/** Counters and the browser's state, for /metrics. */
export interface RendererStats {
  running: boolean;
  /** Chromium processes' memory (PSS summed over the browser's process tree), when running on Linux. */
  memoryBytes?: number;
  pagesOpen: number;
  pagesRendered: number;
  /** Renders served by a page kept from an earlier render of the same host. */
  pagesReused: number;
  launches: number;
  /** Hung pages whose browser had to be killed. */
  kills: number;
  /** The browser's process id while running (Linux). */
  pid?: number;
}

/** Renders pages in one lazily started headless Chromium per process. */
export interface Renderer {
  /** Renders one page; throws BrowserError (or the admit function's error). */
  render(request: RenderRequest): Promise<RenderedPage>;
  /** A snapshot of the counters, with the browser's current memory. */
  stats(): RendererStats;
  /** Closes the browser now (the next render starts it again); resolves once it has exited. */
  close(): Promise<void>;
}
