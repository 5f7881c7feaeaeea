import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from '../support/accounts.js';
import { createTestDatabase } from '../support/database.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { freePort } from '../support/ports.js';
import { runEntry, waitForOutput, type ServerProcess } from '../support/process.js';
import { startTestServer } from '../support/server.js';
import { addMember, createThread, createWorkspace, POST } from '../support/workspaces.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(100);
  }
}

async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const proc = runEntry('src/main.ts', [], { NODE_ENV: 'test', ...env });
  await waitForOutput(proc, 'Client Online is listening');
  return proc;
}

/** A mobile app's subscription: on any drop it reconnects (to whatever answers) and resumes after the last seq it has. */
class ResumingSubscriber {
  seqs: number[] = [];
  private client?: Client;
  private stopped = false;
  constructor(private readonly url: () => string, private readonly token: string, private readonly threadId: string) {}

  start() {
    if (this.stopped) return;
    const client = createClient({ url: this.url(), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${this.token}` }, lazy: false, retryAttempts: 0, onNonLazyError: () => {} });
    this.client = client;
    let again = false;
    const reconnect = () => {
      if (again || this.stopped) return;
      again = true;
      void client.dispose();
      setTimeout(() => this.start(), 200);
    };
    client.on('closed', reconnect);
    client.subscribe<{ messageEvents: { seq: number } }>(
      { query: `subscription($t: ID!, $after: Int) { messageEvents(threadId: $t, afterSeq: $after) { seq } }`, variables: { t: this.threadId, after: this.seqs.at(-1) ?? 0 } },
      { next: (v) => v.data && this.seqs.push(v.data.messageEvents.seq), error: reconnect, complete: reconnect },
    );
  }

  async stop() {
    this.stopped = true;
    await this.client?.dispose();
  }
}

/** Posts with a client id and retries until the server answers: a lost response never becomes a lost or double message. */
async function postSurely(client: () => GraphQLClient, threadId: string, body: string): Promise<void> {
  const clientId = randomBytes(8).toString('hex');
  for (;;) {
    try {
      const result = await client().request(POST, { t: threadId, body, clientId });
      if (result.data?.postMessage) return;
    } catch {
      // connection refused while the server is down
    }
    await sleep(100);
  }
}

describe('faults', () => {
  it('kill -9 while clients are subscribed and others post: after the restart every client has every message once', { timeout: 180_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServerProcess({ DATABASE_URL: database.url, PORT: String(port) });
    cleanups.push(() => server.child.kill('SIGKILL'));

    const poster = await signUpPerson(new GraphQLClient(base));
    const readers = await Promise.all([0, 1, 2].map(() => signUpPerson(new GraphQLClient(base))));
    const w = await createWorkspace(new GraphQLClient(base, poster.token));
    for (const r of readers) await addMember(new GraphQLClient(base, poster.token), w, r.username);
    const t = await createThread(new GraphQLClient(base, poster.token), w, 'Crash test');
    const subscribers = readers.map((r) => new ResumingSubscriber(() => base.replace('http', 'ws') + '/graphql', r.token, t));
    subscribers.forEach((s) => s.start());
    cleanups.push(() => Promise.all(subscribers.map((s) => s.stop())));
    await sleep(500);

    const TOTAL = 40;
    const posting = (async () => {
      for (let i = 0; i < TOTAL; i++) await postSurely(() => new GraphQLClient(base, poster.token), t, `message ${i}`);
    })();
    await until(() => subscribers[0].seqs.length >= 10, 30_000, 'first messages');
    server.child.kill('SIGKILL');
    await server.exited;
    await sleep(500);
    server = await startServerProcess({ DATABASE_URL: database.url, PORT: String(port) });
    await posting;

    const stored = (await database.query(`select seq from message_event where thread_id = $1 order by seq`, [t])).rows.map((r) => r.seq as number);
    expect(stored).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    await until(() => subscribers.every((s) => s.seqs.length >= TOTAL), 30_000, 'every subscriber caught up');
    for (const s of subscribers) {
      expect(s.seqs).toEqual(stored); // nothing lost, nothing twice, in order
    }
    console.log(`kill -9: ${TOTAL} sent, ${subscribers.map((s) => s.seqs.length).join('/')} received, lost 0, duplicated 0`);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('recovers without a restart when PostgreSQL drops its connections', { timeout: 60_000 }, async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const person = await signUpPerson(server.client());
    await server.sql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
    let ok = false;
    for (let attempt = 0; attempt < 10 && !ok; attempt++) {
      ok = (await server.client(person.token).request(`{ me { id } }`)).data?.me?.id === person.id;
      if (!ok) await sleep(200);
    }
    expect(ok).toBe(true);
    // and keeps working afterwards
    for (let i = 0; i < 5; i++) expect((await server.client(person.token).data(`{ me { id } }`)).me.id).toBe(person.id);
  });

  it('closes sockets with 1001 (going away, reconnect) on SIGTERM, finishes what it accepted, and exits cleanly', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const port = await freePort();
    const server = await startServerProcess({ DATABASE_URL: database.url, PORT: String(port) });
    const person: Person = await signUpPerson(new GraphQLClient(`http://127.0.0.1:${port}`));
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${person.token}` } }));
    await new Promise((resolve) => ws.on('message', resolve));
    const code = new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    const base = `http://127.0.0.1:${port}`;
    const w = await createWorkspace(new GraphQLClient(base, person.token));
    const t = await createThread(new GraphQLClient(base, person.token), w, 'In flight');
    // posts in flight when the signal comes: each either got its answer (and is stored) or never reached the server
    const inFlight = Array.from({ length: 20 }, (_, i) => new GraphQLClient(base, person.token).request(POST, { t, body: `in flight ${i}` }).catch(() => null));
    await sleep(20);
    server.child.kill('SIGTERM');
    expect(await code).toBe(1001);
    expect(await server.exited).toBe(0);
    const answered = (await Promise.all(inFlight)).filter((r) => r?.data?.postMessage).map((r) => r!.data!.postMessage.body as string);
    const stored = (await database.query(`select body from message where thread_id = $1`, [t])).rows.map((r) => r.body as string);
    expect(stored.sort()).toEqual(answered.sort());
    console.log(`SIGTERM with 20 posts in flight: ${answered.length} answered and stored, ${20 - answered.length} refused, 0 lost`);
  });
});

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

describe.skipIf(!hasRedisServer)('a Redis restart between two processes (skipped: no redis-server binary to start one of our own)', () => {
  it('delivery resumes after Redis comes back, and the gap is filled from PostgreSQL', { timeout: 120_000 }, async () => {
    const redisPort = await freePort();
    const startRedis = (): ChildProcess => spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let redis = startRedis();
    cleanups.push(() => redis.kill('SIGKILL'));
    await sleep(500);
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const env = { DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await startServerProcess({ ...env, PORT: String(portA) });
    const b = await startServerProcess({ ...env, PORT: String(portB) });
    cleanups.push(() => a.child.kill('SIGKILL'), () => b.child.kill('SIGKILL'));
    const onA = `http://127.0.0.1:${portA}`;
    const owner = await signUpPerson(new GraphQLClient(onA));
    const reader = await signUpPerson(new GraphQLClient(onA));
    const w = await createWorkspace(new GraphQLClient(onA, owner.token));
    await addMember(new GraphQLClient(onA, owner.token), w, reader.username);
    const t = await createThread(new GraphQLClient(onA, owner.token), w, 'Redis restart');
    const subscriber = new ResumingSubscriber(() => `ws://127.0.0.1:${portB}/graphql`, reader.token, t);
    subscriber.start();
    cleanups.push(() => subscriber.stop());
    await sleep(500);
    const post = (body: string) => postSurely(() => new GraphQLClient(onA, owner.token), t, body);

    await post('before');
    await until(() => subscriber.seqs.length === 1, 10_000, 'delivery through Redis');
    redis.kill('SIGKILL');
    await sleep(300);
    await post('while Redis is down 1');
    await post('while Redis is down 2');
    redis = startRedis();
    await sleep(3000); // ioredis reconnects and subscribes again
    await post('after');
    await until(() => subscriber.seqs.length === 4, 20_000, 'resumed delivery');
    expect(subscriber.seqs).toEqual([1, 2, 3, 4]);
  });
});
