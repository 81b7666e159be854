/**
 * The parts of undici the fetch stage uses, loaded from their own modules. undici's index loads all
 * of undici (fetch, WebSocket, EventSource, the cache store, mock agents: 110 modules, about 95 ms of
 * CPU in a bare process here); the Agent and the header parser need 23 of them (about 30 ms). Every
 * process that fetches pays this once, so it is most of what a cold `run` spends loading undici.
 *
 * The paths are undici's own layout: undici 7 declares no `exports` map, so Node resolves them as
 * any file of the package. Only the plain Agent is taken this way: the fetch stage drives it through
 * `dispatch()` alone, the one request method a dispatcher has without the index. They are the very modules the index re-exports (one module cache), which a
 * test checks, so an undici release that moves them fails the tests rather than a run.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentClass, EnvHttpProxyAgent as EnvHttpProxyAgentClass, util as undiciUtil } from 'undici';

/** undici's `Agent`. */
export function undiciAgent(): typeof AgentClass {
  return (agent ??= requireModule('undici/lib/dispatcher/agent.js') as typeof AgentClass);
}

/**
 * undici's `EnvHttpProxyAgent`, from undici's index, loaded only when a proxy is configured: a proxy
 * tunnel calls `connect()`, one of the request methods the index adds to every dispatcher's prototype.
 */
export function undiciEnvHttpProxyAgent(): typeof EnvHttpProxyAgentClass {
  return (envHttpProxyAgent ??= (requireModule('undici') as typeof import('undici')).EnvHttpProxyAgent);
}

/** undici's `util.parseHeaders`. */
export function parseUndiciHeaders(rawHeaders: Buffer[]): ReturnType<typeof undiciUtil.parseHeaders> {
  util ??= requireModule('undici/lib/core/util.js') as typeof undiciUtil;
  return util.parseHeaders(rawHeaders);
}

// --- Internal helpers ---

const requireModule = createRequire(import.meta.url);
let agent: typeof AgentClass | undefined;
let envHttpProxyAgent: typeof EnvHttpProxyAgentClass | undefined;
let util: typeof undiciUtil | undefined;
