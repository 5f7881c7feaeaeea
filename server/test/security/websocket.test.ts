import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { firstConnectionEvent, wsClient, wsQuery } from '../support/ws-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production', WS_CONNECTION_INIT_TIMEOUT_MS: '500', WS_MAX_PAYLOAD_BYTES: '4096', WS_KEEPALIVE_MS: '1000' });
});
afterAll(() => server?.close());

describe('GraphQL over WebSocket (graphql-ws) on the same port and path', () => {
  it('runs operations for a signed-in person with the same policy as HTTP', async () => {
    const person = await signUpPerson(server.client());
    const other = await signUpPerson(server.client());
    const client = wsClient(server.url, { token: person.token });
    try {
      expect(await firstConnectionEvent(client)).toEqual({ event: 'connected' });
      const me = await wsQuery(client, `{ me { id email } }`);
      expect(me.data).toEqual({ me: { id: person.id, email: person.email } });
      const them = await wsQuery(client, `query($id: ID!) { user(id: $id) { username email } }`, { id: other.id });
      expect(them.data).toEqual({ user: { username: other.username, email: null } });
    } finally {
      await client.dispose();
    }
  });

  it('closes the socket with 4403 for a bad token', async () => {
    const client = wsClient(server.url, { token: 'cos_not-a-real-token' });
    expect(await firstConnectionEvent(client)).toMatchObject({ event: 'closed', code: 4403 });
    await client.dispose();
  });

  it('closes with 4403 once the session is signed out (new connections)', async () => {
    const person = await signUpPerson(server.client());
    await server.client(person.token).data(`mutation { signOut }`);
    const client = wsClient(server.url, { token: person.token });
    expect(await firstConnectionEvent(client)).toMatchObject({ event: 'closed', code: 4403 });
    await client.dispose();
  });

  it('treats a connection without a token as anonymous', async () => {
    const client = wsClient(server.url);
    try {
      expect((await wsQuery(client, `{ me { id } }`)).data).toEqual({ me: null });
      const refused = await wsQuery(client, `{ __schema { types { name } } }`);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const typo = await wsQuery(client, `{ mee { id } }`);
      expect(JSON.stringify(typo.errors)).not.toMatch(/did you mean/i);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an upgrade from a foreign Origin', async () => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(undefined));
    });
    expect(status).toBe(403);
    ws.terminate();
  });

  it('closes with 4408 when connection_init does not arrive in time', async () => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4408);
  });

  it('closes a socket that sends a message over maxPayload, and others keep working', async () => {
    const person = await signUpPerson(server.client());
    const bystander = wsClient(server.url, { token: person.token });
    await firstConnectionEvent(bystander);
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(10_000) } }));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1009); // message too big
    expect((await wsQuery(bystander, `{ me { id } }`)).data).toEqual({ me: { id: person.id } });
    await bystander.dispose();
  });

  it('pings, and drops a connection that stops answering (a phone that went away) while answering ones stay', async () => {
    const person = await signUpPerson(server.client());
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve) => {
        const ws = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws', { autoPong });
        ws.on('open', () => {
          ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${person.token}` } }));
          resolve(ws);
        });
      });
    const silent = await open(false);
    const healthy = await open(true);
    const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    const code = await closed; // terminated after one unanswered ping interval (1 s here)
    expect(code).toBe(1006);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  });
});
