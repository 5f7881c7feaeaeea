import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { serve } from '../lib/processes.js';
import { nowMs, sentAtOf } from '../lib/stats.js';

/**
 * Many subscribers in one process: raw sockets that count what arrives, or graphql-transport-ws clients that
 * init (with a token), subscribe, and time each `next` from the send time in its body.
 */
type Connect = { url: string; count: number; protocol: 'raw' | 'graphql-ws'; tokens?: string[]; query?: string; variables?: object; batch?: number };

const sockets: WebSocket[] = [];
let received = 0;
let errors = 0;
let closedByServer = 0;
let closing = false;
let firstAt = 0;
let lastAt = 0;
let latencies: number[] = [];

function onFrame(text: string) {
  if (text.includes('"type":"next"') || text.includes('"next"')) {
    const now = nowMs();
    received++;
    if (firstAt === 0) firstAt = now;
    lastAt = now;
    const sentAt = sentAtOf(text);
    if (sentAt !== null && latencies.length < 200_000) latencies.push(now - sentAt);
  } else if (text.includes('"type":"error"')) errors++;
}

function open(options: Connect, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, options.protocol === 'graphql-ws' ? 'graphql-transport-ws' : undefined, { perMessageDeflate: false });
    sockets.push(socket);
    socket.once('error', reject);
    socket.on('close', () => !closing && closedByServer++);
    if (options.protocol === 'raw') {
      socket.on('message', (data) => onFrame(data.toString()));
      socket.once('open', () => resolve());
      return;
    }
    socket.once('open', () => {
      const token = options.tokens?.[index % options.tokens.length];
      socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
    });
    socket.on('message', function first(data) {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        socket.off('message', first);
        socket.on('message', (data) => {
          // answer the server's keep-alive pings of the protocol, as clients do (one toString per frame: this
          // process's CPU is the servers' loss on the same cores)
          const text = data.toString();
          if (text === '{"type":"ping"}') socket.send('{"type":"pong"}');
          else onFrame(text);
        });
        // a fresh id per subscription, as graphql-ws's client makes them: a server cannot share one frame between sockets
        socket.send(JSON.stringify({ id: randomUUID(), type: 'subscribe', payload: { query: options.query, variables: options.variables } }));
        resolve();
      }
    });
  });
}

serve({
  async connect(options: Connect) {
    const batch = options.batch ?? 200;
    for (let i = 0; i < options.count; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, options.count - i) }, (_, j) => open(options, i + j)));
    }
    return sockets.length;
  },
  async reset() {
    received = 0;
    closedByServer = 0;
    errors = 0;
    firstAt = 0;
    lastAt = 0;
    latencies = [];
    return true;
  },
  async count() {
    return { received };
  },
  async stats() {
    return { received, errors, closedByServer, firstAt, lastAt, latencies, open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length };
  },
  async close() {
    closing = true;
    for (const socket of sockets.splice(0)) socket.terminate();
    await new Promise((resolve) => setTimeout(resolve, 100));
    closing = false;
    closedByServer = 0;
    return true;
  },
});
