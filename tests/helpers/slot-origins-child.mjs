// The origins of slot-origins.ts, in a process of their own: they time each request as it arrives,
// whatever the test process is doing (a synchronous `ss`, a collection, a stall under `npm test`'s
// load once held its event loop for 468 ms, and requests that arrived meanwhile were timed late, so
// the spacing measured between two workers' requests looked 434 ms shorter than the site saw it).
// argv[2]: {"hosts", "slotMs", "slowSource"}. Sends {type: 'ready', ports}, then {type: 'hit', hit}
// per request; for a request of the slow source also an `id`, and answers it only when the parent
// replies {type: 'answer', id, delayMs}.
import { createServer } from 'node:http';

const { hosts, slotMs, slowSource } = JSON.parse(process.argv[2]);
const waiting = new Map();
let nextId = 0;

process.on('message', (message) => {
  if (message.type !== 'answer') return;
  const send = waiting.get(message.id);
  waiting.delete(message.id);
  if (send) setTimeout(send, message.delayMs);
});
// The parent went away (its test ended or died): so do the origins.
process.on('disconnect', () => process.exit(0));

const servers = [];
for (let host = 0; host < hosts; host += 1) {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const hit = { host, path, at: Date.now(), remotePort: req.socket.remotePort ?? 0 };
    if (path === '/robots.txt') {
      process.send({ type: 'hit', hit });
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
    }
    const id = /^\/(s\d+-\d+)\/$/.exec(path)?.[1];
    if (!id) {
      process.send({ type: 'hit', hit });
      return void res.writeHead(404).end();
    }
    const slot = Math.floor(Date.now() / slotMs);
    // Each slot adds one item; the two before it stay on the page.
    const items = [slot, slot - 1, slot - 2]
      .map((n) => `<li><a href="/${id}/${n}.html">${id} item ${n}</a></li>`)
      .join('');
    const send = () =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><body><ul>${items}</ul></body></html>`);
    if (id !== slowSource) {
      process.send({ type: 'hit', hit });
      return void send();
    }
    const ask = nextId++;
    waiting.set(ask, send);
    process.send({ type: 'hit', hit, id: ask });
  });
  await new Promise((resolve) => server.listen(0, `127.0.0.${host + 1}`, resolve));
  servers.push(server);
}
process.send({ type: 'ready', ports: servers.map((server) => server.address().port) });
