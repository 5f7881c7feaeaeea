import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { databaseDigest } from '../support/snapshot.js';
import { firstConnectionEvent, wsClient, wsQuery } from '../support/ws-client.js';

let server: TestServer;
let digest: string;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production', ALLOWED_ORIGINS: 'https://app.example.test' });
});
afterAll(() => server?.close());

const rawPost = (body: string) => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('what an attacker sends over HTTP (the database is unchanged afterwards)', () => {
  beforeAll(async () => {
    digest = await databaseDigest(server);
  });

  it('a mutation wrapped in a depth bomb, oversized lists and a 2,000-alias token bomb change nothing', async () => {
    const person = await signUpPerson(server.client());
    digest = await databaseDigest(server);
    const deep = `mutation { createWorkspace(input: { name: "bomb" }) { ${'members { user { ... on User { '.repeat(8)} id ${'} } }'.repeat(8)} } }`;
    const tokenBomb = `mutation { createWorkspace(input: { name: "bomb" }) { id } ${Array.from({ length: 2000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    for (const query of [deep, tokenBomb]) {
      const result = await server.client(person.token).request(query);
      expect(result.status).toBe(400);
      expect(result.data ?? null).toBeNull();
    }
    // as a literal the cost limit refuses it before running; through a variable the page size check does
    const literal = await server.client(person.token).request(`{ workspaces(first: 99999999) { edges { node { id } } } }`);
    expect(literal.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await server.client(person.token).request(`query($n: Int) { workspaces(first: $n) { edges { node { id } } } }`, { n: 99999999 });
    expect(variable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await databaseDigest(server)).toBe(digest);
  });

  it('circular fragments are rejected before running', async () => {
    const result = await server.client().request(`query { me { ...A } } fragment A on User { id ...B } fragment B on User { username ...A }`);
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
  });

  it('a cost bomb (wide lists of lists) is rejected', async () => {
    const wide = `{ workspaces(first: 100) { edges { node { threads(first: 100) { edges { node { messages(last: 100) { edges { node { author { username } } } } } } } members { user { username } } } } } }`;
    const result = await server.client().request(wide);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].message).toMatch(/cost/i);
  });

  it('20+ aliases of a sensitive field are refused', async () => {
    const person = await signUpPerson(server.client());
    const result = await server.client(person.token).request(`{ ${Array.from({ length: 25 }, (_, i) => `e${i}: me { email }`).join(' ')} }`);
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
  });

  it('huge variables and malformed JSON get a 4xx, never a 500, and write nothing', async () => {
    const before = await databaseDigest(server);
    const huge = await rawPost(JSON.stringify({ query: 'query($x: String) { __typename }', variables: { x: 'y'.repeat(1_500_000) } }));
    expect(huge.status).toBe(413);
    for (const body of ['{"query": ', '[]', '{"query": 42}', 'null']) {
      const response = await rawPost(body);
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
    }
    expect(await databaseDigest(server)).toBe(before);
  });

  it('expired and revoked tokens are refused on HTTP, and a signed-out session\u2019s open socket is closed with 4403', async () => {
    const person = await signUpPerson(server.client());
    const socket = wsClient(server.url, { token: person.token });
    expect(await firstConnectionEvent(socket)).toEqual({ event: 'connected' });
    const closed = new Promise<number>((resolve) => socket.on('closed', (e) => resolve((e as { code: number }).code)));
    await server.client(person.token).data(`mutation { signOut }`);
    expect(await closed).toBe(4403);
    expect((await server.client(person.token).request(`{ me { id } }`)).status).toBe(401);
    await socket.dispose();

    const other = await signUpPerson(server.client());
    await server.sql(`update session set expires_at = now() - interval '1 minute' where user_id = $1`, [other.id]);
    expect((await server.client(other.token).request(`{ me { id } }`)).status).toBe(401);
    const refused = wsClient(server.url, { token: other.token });
    expect(await firstConnectionEvent(refused)).toMatchObject({ event: 'closed', code: 4403 });
    await refused.dispose();
  });
});

describe('CORS', () => {
  it('answers preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight('https://app.example.test');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('what an attacker sends over the WebSocket', () => {
  it('malformed protocol messages close that socket only', async () => {
    const person = await signUpPerson(server.client());
    const bystander = wsClient(server.url, { token: person.token });
    await firstConnectionEvent(bystander);
    for (const garbage of ['not json', JSON.stringify({ type: 'subscribe' }), JSON.stringify({ type: 'unknown-type' }), JSON.stringify({ id: 1, type: 'subscribe', payload: 'x' })]) {
      const ws = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
      await new Promise((resolve) => ws.on('open', resolve));
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${person.token}` } }));
      await new Promise((resolve) => ws.on('message', resolve)); // connection_ack
      ws.send(garbage);
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      expect(code, garbage).toBe(4400);
    }
    expect((await wsQuery(bystander, `{ me { id } }`)).data).toEqual({ me: { id: person.id } });
    await bystander.dispose();
  });
});
