/**
 * The shared undici dispatcher: keep-alive connections, the connect timeout, and proxies from
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (undici's EnvHttpProxyAgent). Loopback addresses are never
 * proxied, as in curl's and Go's defaults for localhost: a proxy cannot reach our own 127.0.0.1.
 */
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { undiciAgent, undiciEnvHttpProxyAgent } from './undici-modules.js';

/** Settings that shape the connection pool. */
export interface DispatcherSettings {
  connectTimeoutMs: number;
  /** Proxy settings; default from the environment. */
  env?: NodeJS.ProcessEnv;
  /** How direct connections resolve host names (the private-network rule's lookup). */
  lookup?: LookupFunction;
}

/** Whether the environment names a proxy (then the proxy, not this process, connects to the sites). */
export function usesProxy(env: NodeJS.ProcessEnv = process.env): boolean {
  const proxy = readProxyEnv(env);
  return Boolean(proxy.httpProxy || proxy.httpsProxy);
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
  // The lookup is only used without one: with a proxy it would screen the proxy's own address.
  if (!proxy.httpProxy && !proxy.httpsProxy)
    return new (undiciAgent())({ ...pool, connect: { ...pool.connect, lookup: settings.lookup } });
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
