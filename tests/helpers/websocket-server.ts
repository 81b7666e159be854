/**
 * A WebSocket server on 127.0.0.1 that greets every connection with one text message and counts the
 * connections: the handshake (RFC 6455 §4.2) and one unmasked text frame, written by hand, since
 * Node 20 has a WebSocket client but no server.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A running server. */
export interface WebSocketServer {
  port: number;
  /** Connections upgraded so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a server that sends `greeting` to every client once connected. */
export async function startWebSocketServer(greeting: string): Promise<WebSocketServer> {
  const sockets = new Set<Duplex>();
  let connections = 0;
  const server = createServer((_req, res) => void res.writeHead(426).end());
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const key = request.headers['sec-websocket-key'];
    if (typeof key !== 'string') return void socket.destroy();
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const payload = Buffer.from(greeting, 'utf8');
    if (payload.length > 125) throw new Error('websocket-server: a greeting of at most 125 bytes');
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('websocket-server: no port');
  return {
    port: address.port,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
