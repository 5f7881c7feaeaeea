import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger } from '../../src/log.js';
import { freePort } from '../../test/support/ports.js';
import { post } from './http-client.js';
import { start, type Child } from './processes.js';

/** The PostgreSQL server the run uses: DATABASE_URL when given, else an embedded one that goes away after. */
export async function benchDatabaseServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: await mkdtemp(join(tmpdir(), 'client-online-bench-pg-')),
    port: await freePort(),
    database: 'postgres',
    log: createLogger('warn'),
    persistent: false,
  });
  return { url: embedded.url, stop: () => embedded.stop() };
}

/** A fresh database on that server, for one product instance (or two sharing it). */
export async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

/** tsc to server/dist, as `pnpm start` does before running it. */
export async function buildProduct(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(serverDir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: serverDir });
}

export type Product = Child & { url: string; pid: number };

/** The Node options of `pnpm start` (server/package.json's start script), so that the product runs here as it is run. */
function startOptions(): string[] {
  const script: string = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')).scripts.start;
  const options = /\bnode ((?:--\S+ )*)dist\/main\.js/.exec(script);
  if (!options) throw new Error(`server/package.json's start script does not run "node [options] dist/main.js": ${script}`);
  return options[1].split(' ').filter(Boolean);
}

/**
 * The product as `pnpm start` runs it (tsc's output: buildProduct first), on a free port; with `node`, on that Node
 * (the thread query on PostGraphile's Node 22, beside the product as it runs here). One process, as one is run:
 * with the in-process pubsub, even when the run's own environment has a REDIS_URL (for the two-process figure,
 * which passes it in `env`).
 */
export async function startProduct(databaseUrl: string, env: Record<string, string> = {}, node?: string): Promise<Product> {
  const port = await freePort();
  // BENCH_PROFILE=dir writes a CPU profile of each product process there (node --cpu-prof), to see what limits it
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_NODE_ARGS adds Node options to the product processes (e.g. --heapsnapshot-signal=SIGUSR2, V8 heap flags)
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const other = node ? { command: node, cwd: serverDir, args: [] } : undefined;
  const child = await start('dist/main.js', { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production', REDIS_URL: undefined, ...env }, 'Client Online is listening', 120_000, [...startOptions(), ...(node ? ['--max-old-space-size=4096'] : []), ...profile, ...nodeArgs], other);
  return { ...child, url: `http://127.0.0.1:${port}`, pid: child.child.pid! };
}

export async function graphql<T = any>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const answer = await post(`${url}/graphql`, JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});
  const result = JSON.parse(answer) as { data?: T; errors?: { message: string }[] };
  if (result.errors?.length) throw new Error(`${result.errors[0].message} (${query.slice(0, 60)})`);
  return result.data as T;
}

export type Seeded = { office: { token: string; id: string }; workspaceId: string; threadId: string; tokens: string[]; password: string; usernames: string[] };

/**
 * An office with a workspace and a thread, and `members` people in it with open sessions. The office signs up
 * through the API; the members are written in SQL (with a real argon2 hash) because signing up a thousand people
 * through argon2 would take the benchmark's whole time budget. Done before anyone subscribes, so the server's
 * in-memory audiences load them.
 */
export async function seed(product: Product, databaseUrl: string, members: number): Promise<Seeded> {
  const password = 'a long bench password';
  const signUp = await graphql(product.url, `mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } } }`, {
    i: { username: 'office_bench', lastName: 'Kantoor', email: 'office@bench.test', password },
  });
  const office = { token: signUp.signUp.token, id: signUp.signUp.user.id };
  const workspaceId = (await graphql(product.url, `mutation { createWorkspace(input: { name: "Bench BV" }) { id } }`, {}, office.token)).createWorkspace.id;
  const threadId = (await graphql(product.url, `mutation($w: ID!) { createThread(input: { workspaceId: $w, title: "Fan-out" }) { id } }`, { w: workspaceId }, office.token)).createThread.id;

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query(`select password_hash from users where id = $1`, [office.id]);
  const tokens: string[] = [];
  const usernames: string[] = [];
  const now = new Date();
  const expires = new Date(now.getTime() + 24 * 3600_000);
  for (let start = 0; start < members; start += 500) {
    const users: unknown[] = [];
    const sessions: unknown[] = [];
    const memberships: unknown[] = [];
    for (let i = start; i < Math.min(members, start + 500); i++) {
      const id = randomUUID();
      const token = `cos_${randomBytes(32).toString('base64url')}`;
      tokens.push(token);
      usernames.push(`member_${i}`);
      users.push([id, `member_${i}`, `Lid ${i}`, `member${i}@bench.test`, rows[0].password_hash]);
      sessions.push([randomUUID(), id, createHash('sha256').update(token).digest('hex')]);
      memberships.push([randomUUID(), workspaceId, id]);
    }
    const values = (list: unknown[], columns: number) => list.map((_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`).join(', ');
    await db.query(`insert into users (id, username, last_name, email, password_hash, created_at, updated_at) select v.id::uuid, v.username, v.last_name, v.email, v.password_hash, now(), now() from (values ${values(users, 5)}) as v(id, username, last_name, email, password_hash)`, users.flat() as unknown[]);
    await db.query(`insert into session (id, user_id, token_hash, created_at, last_used_at, expires_at) select v.id::uuid, v.user_id::uuid, v.token_hash, $${sessions.length * 3 + 1}::timestamptz, $${sessions.length * 3 + 1}::timestamptz, $${sessions.length * 3 + 2}::timestamptz from (values ${values(sessions, 3)}) as v(id, user_id, token_hash)`, [...(sessions.flat() as unknown[]), now, expires]);
    await db.query(`insert into membership (id, workspace_id, user_id, role, joined_at) select v.id::uuid, v.workspace_id::uuid, v.user_id::uuid, 'MEMBER', now() from (values ${values(memberships, 3)}) as v(id, workspace_id, user_id)`, memberships.flat() as unknown[]);
  }
  // what autovacuum would do after such a load, so that plans are those of a database in use
  await db.query('analyze users; analyze session; analyze membership');
  await db.end();
  return { office, workspaceId, threadId, tokens, password, usernames };
}
