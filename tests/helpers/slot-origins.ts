/**
 * The origins of the scale-out test and scenario: one HTTP server per host on its own loopback
 * address (127.0.0.<host+1>), each serving `/s<host>-<n>/` list pages whose newest item changes every
 * slot (the two before it stay on the page), a robots.txt that disallows `/private/`, and 404
 * elsewhere. Every request is recorded as a hit (host, path, time, client port), so a test can count
 * fetches per page per slot and measure spacing per host. The slow source answers after 3 s while
 * a slow-request hook is set (a test kills the worker that sent it).
 */
import { createServer, type Server } from 'node:http';

/** One request as the origin saw it. */
export interface OriginHit {
  host: number;
  path: string;
  at: number;
  remotePort: number;
}

export interface SlotOriginOptions {
  hosts: number;
  slotMs: number;
  /** Source id whose page is answered late while `slowHook()` returns a hook. */
  slowSource: string;
  /** Receives every hit, in arrival order. */
  hits: OriginHit[];
  /** The hook for a request of the slow source, read at each request (undefined: answer at once). */
  slowHook: () => ((hit: OriginHit) => void) | undefined;
}

/** Starts the origins, listening on 127.0.0.1 … 127.0.0.<hosts> (ephemeral ports). */
export async function startSlotOrigins(options: SlotOriginOptions): Promise<Server[]> {
  const servers: Server[] = [];
  for (let host = 0; host < options.hosts; host += 1) {
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      const hit = { host, path, at: Date.now(), remotePort: req.socket.remotePort ?? 0 };
      options.hits.push(hit);
      if (path === '/robots.txt')
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
      const id = /^\/(s\d+-\d+)\/$/.exec(path)?.[1];
      if (!id) return void res.writeHead(404).end();
      const slot = Math.floor(Date.now() / options.slotMs);
      // Each slot adds one item; the two before it stay on the page.
      const items = [slot, slot - 1, slot - 2]
        .map((n) => `<li><a href="/${id}/${n}.html">${id} item ${n}</a></li>`)
        .join('');
      const send = () =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<html><body><ul>${items}</ul></body></html>`);
      const slow = id === options.slowSource ? options.slowHook() : undefined;
      if (slow) {
        slow(hit);
        setTimeout(send, 3_000);
      } else send();
    });
    await new Promise<void>((resolve) => server.listen(0, `127.0.0.${host + 1}`, resolve));
    servers.push(server);
  }
  return servers;
}
