import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, SIGN_IN } from './support/accounts.js';
import { wsClient, wsQuery } from './support/ws-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const METRICS_TOKEN = 'metrics-token-for-the-test';
const APP_ORIGIN = 'https://app.client-online.test';

describe('monitoring and headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ METRICS_TOKEN, ALLOWED_ORIGINS: APP_ORIGIN });
  });
  afterAll(() => server?.close());

  it('serves Prometheus metrics with the token only, including sign-in failures and request latency by operation', async () => {
    const person = await signUpPerson(server.client());
    await server.client().request(SIGN_IN, { input: { login: person.username, password: 'wrong password!' } });
    await server.client(person.token).data(`{ me { id } }`);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^sign_in_failures_total 1$/m);
    expect(text).toMatch(/graphql_request_duration_seconds_count\{operation="Query\.me",outcome="ok"\} 1/);
    expect(text).toMatch(/graphql_resolver_duration_seconds_count\{field="Query\.me"\} 1/);
    for (const name of ['websocket_connections', 'graphql_subscriptions', 'realtime_events_published_total', 'rate_limit_hits_total', 'step_up_failures_total', 'privacy_requests_open', 'privacy_requests_overdue', 'job_runs_total']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain(person.username);
  });

  it('answers /readyz separately from /healthz', async () => {
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('answers GraphQL on /graphql in any letter case and with a trailing slash, over HTTP and WebSocket, as Express routed it', async () => {
    for (const path of ['/graphql', '/GraphQL', '/graphql/']) {
      const response = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
      const socket = new WebSocket(server.url.replace(/^http/, 'ws') + path, 'graphql-transport-ws');
      const acknowledged = await new Promise<unknown>((resolve, reject) => {
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => resolve(JSON.parse(String(data))));
        socket.on('unexpected-response', (_request, answer) => reject(new Error(`HTTP ${answer.statusCode}`)));
      });
      expect(acknowledged).toEqual({ type: 'connection_ack' });
      socket.close();
    }
    const elsewhere = new WebSocket(server.url.replace(/^http/, 'ws') + '/graphqlx', 'graphql-transport-ws');
    expect(await new Promise((resolve) => elsewhere.on('unexpected-response', (_request, answer) => resolve(answer.statusCode)))).toBe(404);
  });

  it("sends on /graphql, answers and errors alike, the headers helmet and cors send on the other routes (recorded once there)", async () => {
    const generic = new Set(['content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive', 'vary', 'access-control-allow-origin', 'access-control-allow-credentials']);
    const helmetHeaders = [...(await fetch(`${server.url}/healthz`)).headers].filter(([name]) => !generic.has(name));
    expect(helmetHeaders.map(([name]) => name)).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']));
    const post = (body: string, origin?: string) => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) }, body });
    // cors on a route that runs it at every request, for the same origin
    const corsOf = (response: Response) => ({ origin: response.headers.get('access-control-allow-origin'), credentials: response.headers.get('access-control-allow-credentials'), varyOrigin: /\borigin\b/i.test(response.headers.get('vary') ?? '') });
    const liveCors = async (origin: string) => corsOf(await fetch(`${server.url}/documents/00000000-0000-4000-8000-000000000000/content`, { headers: { origin } }));

    const answers = {
      ok: await post(JSON.stringify({ query: '{ __typename }' }), APP_ORIGIN),
      badJson: await post('{"query": ', APP_ORIGIN),
      tooLarge: await post(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(1024 * 1024 + 10) }), APP_ORIGIN),
      strangerOrigin: await post(JSON.stringify({ query: '{ __typename }' }), 'https://elsewhere.example'),
      noOrigin: await post(JSON.stringify({ query: '{ __typename }' })),
    };
    expect([answers.ok.status, answers.badJson.status, answers.tooLarge.status]).toEqual([200, 400, 413]);
    expect((await answers.tooLarge.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    for (const answer of Object.values(answers)) {
      for (const [name, value] of helmetHeaders) expect([name, answer.headers.get(name)]).toEqual([name, value]);
    }
    const allowed = await liveCors(APP_ORIGIN);
    expect(allowed).toEqual({ origin: APP_ORIGIN, credentials: 'true', varyOrigin: true });
    for (const answer of [answers.ok, answers.badJson, answers.tooLarge]) expect(corsOf(answer)).toEqual(allowed);
    const stranger = await liveCors('https://elsewhere.example');
    expect(stranger.origin).toBeNull();
    expect(corsOf(answers.strangerOrigin)).toEqual(stranger);
    expect(corsOf(answers.noOrigin).origin).toBeNull();

    // a preflight is answered by cors itself, with helmet's headers too
    const preflight = await fetch(`${server.url}/graphql`, { method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
    for (const [name, value] of helmetHeaders) expect([name, preflight.headers.get(name)]).toEqual([name, value]);
  });

  it('sends security headers on every response', async () => {
    for (const path of ['/healthz', '/graphql?query=%7B__typename%7D']) {
      const response = await fetch(server.url + path, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP here
    }
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!hasOpenssl)('TLS (skipped: no openssl to make a test certificate)', () => {
  let server: TestServer;
  let dir: string;
  let cert: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'client-online-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = await readFile(join(dir, 'cert.pem'));
    server = await startTestServer({ TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS and WSS only, with Secure cookies and HSTS', async () => {
    expect(server.url).toMatch(/^https:/);
    const body = JSON.stringify({ query: 'mutation($i: SignUpInput!) { signUp(input: $i) { token } }', variables: { i: { username: 'tls_user', lastName: 'Veilig', email: 'tls@example.test', password: 'a long password' } } });
    const response = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${server.url}/graphql`, { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } }, (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(response.status).toBe(200);
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
    expect(response.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    const token = JSON.parse(response.body).data.signUp.token;

    // plain HTTP on the same port is not served
    await expect(fetch(server.url.replace('https', 'http') + '/healthz')).rejects.toThrow();

    class TrustingWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { ca: cert });
      }
    }
    const client = createClient({ url: server.url.replace('https', 'wss') + '/graphql', webSocketImpl: TrustingWebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const result = await new Promise((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: '{ me { username } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
    });
    expect(result).toEqual({ data: { me: { username: 'tls_user' } } });
    await client.dispose();
  });
});

describe('behind a reverse proxy', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.7, 10.0.0.2', 'x-forwarded-proto': 'https' };
  const failedSignInIp = async (server: TestServer, person: { id: string; username: string }) => {
    await server.client().request(SIGN_IN, { input: { login: person.username, password: 'wrong password!' } }, forwarded);
    return (await server.sql<{ ip: string }>(`select ip from audit_event where action = 'sign-in-failed' and actor_id = $1`, [person.id]))[0]?.ip;
  };

  it('believes X-Forwarded-For and X-Forwarded-Proto only with TRUST_PROXY', async () => {
    const [trusting, direct] = await Promise.all([startTestServer({ TRUST_PROXY: 'true' }), startTestServer()]);
    try {
      const behindProxy = await signUpPerson(trusting.client());
      expect(await failedSignInIp(trusting, behindProxy)).toBe('203.0.113.7');
      const signedIn = await trusting.client().request(SIGN_IN, { input: { login: behindProxy.username, password: behindProxy.password } }, forwarded);
      expect(signedIn.headers.get('set-cookie')).toMatch(/; Secure/);
      // signing out clears the cookie the same way it was set
      const signedOut = await trusting.client().request(`mutation { signOut }`, undefined, { ...forwarded, cookie: signedIn.headers.get('set-cookie')!.split(';')[0] });
      expect(signedOut.headers.get('set-cookie')).toMatch(/^co_session=; .*Expires=Thu, 01 Jan 1970.*; Secure/);

      // the same over a WebSocket (mobile apps sign in there too)
      const socket = wsClient(trusting.url, { headers: forwarded });
      await wsQuery(socket, SIGN_IN, { input: { login: behindProxy.username, password: 'wrong again!' } });
      await socket.dispose();
      const ips = await trusting.sql<{ ip: string }>(`select ip from audit_event where action = 'sign-in-failed' and actor_id = $1`, [behindProxy.id]);
      expect(ips.map((e) => e.ip)).toEqual(['203.0.113.7', '203.0.113.7']);

      const reachedDirectly = await signUpPerson(direct.client());
      expect(await failedSignInIp(direct, reachedDirectly)).toMatch(/127\.0\.0\.1/);
      const plain = await direct.client().request(SIGN_IN, { input: { login: reachedDirectly.username, password: reachedDirectly.password } }, forwarded);
      expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      await Promise.all([trusting.close(), direct.close()]);
    }
  });
});
