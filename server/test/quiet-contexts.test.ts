import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contextsQuiet, freshUnitOfWork, QuietEntityManager, quietedStorages } from '../src/db/quiet-contexts.js';
import { User } from '../src/modules/users/user.entity.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("MikroORM's async contexts between writes (db/quiet-contexts.ts)", () => {
  it('are both found at start: the transaction context and the flush guard', () => {
    expect(quietedStorages()).toBe(2);
  });

  it('are off once no transaction or flush runs, and on again for the next transaction', async () => {
    await server.client().data(`mutation { signUp(input: { username: "quiet_one", lastName: "Stil", email: "quiet@example.test", password: "a long enough password" }) { token } }`);
    // the server's own jobs may write at any moment; they too end
    await vi.waitFor(() => expect(contextsQuiet()).toBe(true));
    const em = server.orm.em.fork();
    const inside = await em.transactional(async (tx) => ({ quiet: contextsQuiet(), context: server.orm.em.getContext() === tx }));
    // within it, the global EntityManager resolves to the transaction's, as MikroORM's context promises
    expect(inside).toEqual({ quiet: false, context: true });
  });

  it("stay on for a transaction while another one, not inside it, ends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = server.orm.em.fork().transactional(async (tx) => {
      await gate;
      return server.orm.em.getContext() === tx;
    });
    await server.orm.em.fork().transactional(async (tx) => tx.execute('select 1'));
    release();
    expect(await first).toBe(true);
    await vi.waitFor(() => expect(contextsQuiet()).toBe(true));
  });

  it('give each request a unit of work of its own, as fork() does, whose transactions count too', async () => {
    const [first, second] = [freshUnitOfWork(server.orm), freshUnitOfWork(server.orm)];
    expect(first).toBeInstanceOf(QuietEntityManager);
    const user = await first.findOneOrFail(User, { username: 'quiet_one' });
    expect(await first.findOneOrFail(User, { username: 'quiet_one' })).toBe(user);
    const elsewhere = await second.findOneOrFail(User, { username: 'quiet_one' });
    expect(elsewhere).not.toBe(user);
    expect(elsewhere.id).toBe(user.id);
    // a change made in one is written by its own flush, never by the other's
    user.lastName = 'Stiller';
    await second.flush();
    expect((await server.sql('select last_name from users where id = $1', [user.id]))[0].last_name).toBe('Stil');
    const inside = await first.transactional(async (tx) => {
      await tx.flush();
      return contextsQuiet();
    });
    expect(inside).toBe(false);
    expect((await server.sql('select last_name from users where id = $1', [user.id]))[0].last_name).toBe('Stiller');
    await vi.waitFor(() => expect(contextsQuiet()).toBe(true));
  });
});
