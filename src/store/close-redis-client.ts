/**
 * Closing a node-redis client without hanging the process. node-redis' close() waits for every queued
 * command to be answered: a command still queued when Redis went away (or a Redis that stopped
 * answering) keeps it waiting for ever, and a caller awaiting it never closes anything else — such as
 * the store's own client, whose reconnect timers then keep a finished `feedwright run` alive.
 */

/** The part of a node-redis client this needs. */
export interface ClosableRedisClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  close(): Promise<unknown>;
  destroy(): unknown;
  unref(): unknown;
}

/** How long a connected client gets to answer what it has queued before it is dropped. */
export const CLOSE_GRACE_MS = 2_000;

/**
 * Closes `client`: gracefully while it is connected (queued commands are answered first, for at most
 * `graceMs`), at once while it is not (nothing queued can be answered, and reconnecting stops).
 * Never rejects, and resolves within `graceMs`.
 */
export async function closeRedisClient(client: ClosableRedisClient, graceMs = CLOSE_GRACE_MS): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return void destroyQuietly(client);
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    client.close().then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(resolve, graceMs, false);
    }),
  ]).finally(() => clearTimeout(timer));
  if (closed) return;
  // Redis stopped answering: fail what is still queued, and let the socket no longer hold the process.
  destroyQuietly(client);
  client.unref();
}

// --- Internal helpers ---

/** destroy() fails what is queued, then throws ClientClosedError when close() already marked the socket closed. */
function destroyQuietly(client: ClosableRedisClient): void {
  try {
    client.destroy();
  } catch {
    // Already closing: the queued commands were failed before the throw.
  }
}
