import { EventEmitter, on } from 'node:events';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { eventFor, postServer } from './shared.js';

/** graphql-ws with graphql-js as they come: one execution and one JSON.stringify per subscriber per event. */
const schema = buildSchema(`
  type User { username: String! }
  type Message { id: ID! seq: Int! body: String createdAt: String! author: User }
  type MessageEvent { kind: String! seq: Int! message: Message! }
  type Query { ok: Boolean }
  type Subscription { messageEvents(threadId: ID!): MessageEvent! }
`);
const events = new EventEmitter();
events.setMaxListeners(0);

const rootValue = {
  messageEvents: async function* () {
    for await (const [event] of on(events, 'event')) yield { messageEvents: event };
  },
};

const server = postServer((body) => events.emit('event', eventFor(body)));
useServer({ schema, roots: { subscription: rootValue } }, new WebSocketServer({ server, path: '/graphql' }));
