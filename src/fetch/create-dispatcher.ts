/**
 * The shared undici dispatcher: keep-alive connections, the connect timeout, and proxies from
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (undici's EnvHttpProxyAgent). Loopback addresses are never
 * proxied, as in curl's and Go's defaults for localhost: a proxy cannot reach our own 127.0.0.1.
 */
import type { Dispatcher } from 'undici';
import { undiciAgent, undiciEnvHttpProxyAgent } from './undici-modules.js';

/** Settings that shape the connection pool. */
export interface DispatcherSettings {
  connectTimeoutMs: number;
  /** Proxy settings; default from the environment. */
  env?: NodeJS.ProcessEnv;
}

/** Creates a keep-alive dispatcher that honours proxy environment variables. */
export function createDispatcher(settings: DispatcherSettings): Dispatcher {
  const env = settings.env ?? process.env;
  const proxy = readProxyEnv(env);
  const pool = {
    connect: { timeout: settings.connectTimeoutMs },
    // Sources are polled every few minutes; keep idle sockets briefly for redirects and detail pages.
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  };
  // Without a proxy a plain Agent does the same job without parsing every request's origin again.
  if (!proxy.httpProxy && !proxy.httpsProxy) return new (undiciAgent())(pool);
  return new (undiciEnvHttpProxyAgent())({
    ...pool,
    ...proxy,
    noProxy: [proxy.noProxy, ...LOOPBACK_HOSTS].filter(Boolean).join(','),
  });
}

/** Proxy settings as read from the environment (lower-case names win, as in curl). */
function readProxyEnv(env: NodeJS.ProcessEnv): { httpProxy?: string; httpsProxy?: string; noProxy?: string } {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || undefined;
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || httpProxy;
  const noProxy = env.no_proxy || env.NO_PROXY || undefined;
  return { httpProxy, httpsProxy, noProxy };
}

// --- Internal helpers ---

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
