/**
 * WebSockets a rendered page opens go through the same private-network rule as its other requests
 * (`RenderRequest.mayReach`): `context.route` does not see them, so a public page's script could
 * otherwise read a service on the worker's network into the DOM over `ws://10.0.0.5/…`.
 *
 * playwright-core routes WebSockets per context and cannot take a route back, while a context
 * serves many renders (page-pool.ts). So each context gets one route, installed with its first
 * render, that asks whichever render holds the context now; between renders nothing may connect.
 * (Chromium's own Local Network Access checks are off: see launch-browser.ts.)
 */
import type { BrowserContext, WebSocketRoute } from 'playwright-core';

/** Asks whether the page of the render holding a context may open a WebSocket to a URL. */
export type SocketCheck = (url: string) => Promise<boolean>;

/**
 * Makes `check` the judge of the context's WebSockets until the returned function is called (the
 * render is over); `onRefused` counts each one closed.
 */
export async function guardWebSockets(
  context: BrowserContext,
  check: SocketCheck,
  onRefused: () => void,
): Promise<() => void> {
  const holder = { check, onRefused };
  holders.set(context, holder);
  if (!routed.has(context)) {
    routed.add(context);
    await context.routeWebSocket(
      () => true,
      (socket) => decide(context, socket),
    );
  }
  return () => {
    if (holders.get(context) === holder) holders.delete(context);
  };
}

// --- Internal helpers ---

const routed = new WeakSet<BrowserContext>();
const holders = new WeakMap<BrowserContext, { check: SocketCheck; onRefused: () => void }>();

async function decide(context: BrowserContext, socket: WebSocketRoute): Promise<void> {
  const holder = holders.get(context);
  const allowed = holder ? await holder.check(socket.url()).catch(() => false) : false;
  if (allowed) {
    socket.connectToServer();
    return;
  }
  holder?.onRefused();
  // 1008: policy violation, as a server refusing the connection would say.
  await socket.close({ code: 1008, reason: 'refused by feedwright: private-network address' }).catch(() => undefined);
}
