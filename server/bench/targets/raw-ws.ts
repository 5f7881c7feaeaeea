import { WebSocketServer } from 'ws';
import { eventFor, postServer } from './shared.js';

/**
 * The wire's limit on this machine: every post is serialized once and written to every socket as it is, in
 * the graphql-transport-ws `next` frame the product sends. No protocol, no auth, no execution.
 */
const server = postServer((body) => {
  const frame = JSON.stringify({ id: '1', type: 'next', payload: { data: { messageEvents: eventFor(body) } } });
  for (const socket of wss.clients) socket.send(frame);
});
const wss = new WebSocketServer({ server, path: '/graphql' });
