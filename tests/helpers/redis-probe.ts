/** Checks whether the test Redis at 127.0.0.1:6379 accepts connections (no client library needed). */
import { connect } from 'node:net';

/** URL of the Redis the tests use. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Resolves true when Redis answers PING within `timeoutMs`. */
export function isRedisReachable(timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

/** Like {@link isRedisReachable}, but under CI an unreachable Redis throws instead of letting the tests skip. */
export async function checkRedisForTests(): Promise<boolean> {
  const reachable = await isRedisReachable();
  if (!reachable && process.env.CI)
    throw new Error(`Redis is not reachable at ${REDIS_URL} and CI is set: start Redis`);
  return reachable;
}
