/**
 * The bundled demo site: a node:http server on 127.0.0.1 serving list pages modelled on real
 * announcement lists (a UTF-8 ministry news list, a GBK provincial notice table, a Big5 news list)
 * and an RSS feed, with the content types real sites send.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const SITE_DIR = fileURLToPath(new URL('./site/', import.meta.url));

/** Path → file and Content-Type. The GBK page declares its charset only in `<meta>`, like many old sites. */
const PAGES: Record<string, { file: string; type: string }> = {
  '/ywdt/': { file: 'ywdt/index.html', type: 'text/html; charset=utf-8' },
  '/hbt/tzgg/': { file: 'hbt/tzgg.html', type: 'text/html' },
  '/tw/news/': { file: 'tw/news.html', type: 'text/html; charset=big5' },
  '/feed.xml': { file: 'feed.xml', type: 'application/rss+xml; charset=utf-8' },
  '/robots.txt': { file: 'robots.txt', type: 'text/plain; charset=utf-8' },
};

/** A running demo site. */
export interface DemoSite {
  origin: string;
  close(): Promise<void>;
}

/** Starts the demo site on 127.0.0.1 (port 0 picks a free one). */
export async function startDemoSite(port = 0): Promise<DemoSite> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const page = PAGES[path];
    if (!page || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(`${SITE_DIR}${page.file}`).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': page.type, 'content-length': body.length })
          .end(req.method === 'HEAD' ? undefined : body),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
