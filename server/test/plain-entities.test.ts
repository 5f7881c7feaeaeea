import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlainEntities, WITHHELD } from '../src/db/plain-entities.js';
import { Message } from '../src/modules/threads/message.entity.js';
import { Thread } from '../src/modules/threads/thread.entity.js';
import { User } from '../src/modules/users/user.entity.js';
import { signUpPerson } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createThread, createWorkspace, post } from './support/workspaces.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** Every stored property, as the ORM's own entity has it. */
const stored = (entity: object, names: string[]) => Object.fromEntries(names.map((n) => [n, (entity as Record<string, unknown>)[n]]));

describe('entities built from hand-written SELECTs', () => {
  it('carry every column the ORM loads, with the same values and types, and keep their class', async () => {
    const person = await signUpPerson(server.client());
    const w = await createWorkspace(server.client(person.token));
    const t = await createThread(server.client(person.token), w, 'Vergelijk');
    const posted = await post(server.client(person.token), t, 'een bericht');
    const em = server.orm.em.fork();
    const plain = new PlainEntities(em);
    const names = (entity: { name: string }) => em.getMetadata().get(entity.name).props.filter((p) => p.persist !== false && !p.lazy).map((p) => p.name);
    const secrets = new Set(em.getMetadata().get(User.name).props.filter((p) => p.hidden).map((p) => p.name));

    for (const [entity, table, id] of [[User, 'users', person.id], [Thread, 'thread', t], [Message, 'message', posted.id]] as const) {
      const [row] = await em.execute(`select ${plain.columns(entity, 'x')} from ${table} x where x.id = ?`, [id]);
      // as a thread page reads its messages and authors: inside JSON
      const [{ r: fromJson }] = await em.execute(`select row_to_json(s) as r from (select ${plain.columns(entity, 'x')} from ${table} x where x.id = ?) s`, [id]);
      // as a thread page reads them now: one JSON array per entity
      const [{ a: fromArray }] = await em.execute(`select ${plain.jsonArray(entity, 'x')} as a from ${table} x where x.id = ?`, [id]);
      const managed = (await em.fork().findOneOrFail(entity as new () => object, { id } as never)) as object;
      const props = names(entity);
      const managedValues = stored(managed, props);
      const builds = [plain.build(entity as new () => object, row, 'x')!, plain.build(entity as new () => object, fromJson, 'x')!, plain.buildFromArray(entity as new () => object, fromArray)!];
      for (const built of builds) {
        expect(built).toBeInstanceOf(entity);
        const plainValues = stored(built, props);
        for (const prop of props) {
          const [a, b] = [plainValues[prop], managedValues[prop]];
          // references: the same row's key
          if (a && typeof a === 'object' && 'id' in a) expect((a as { id: string }).id).toBe((b as { id: string }).id);
          // a secret stays in PostgreSQL: only whether it is set
          else if (entity === User && secrets.has(prop)) expect(a, `User.${prop}`).toBe(b === null ? null : WITHHELD);
          else expect(a, `${entity.name}.${prop}`).toEqual(b);
        }
      }
    }
    const [row] = await em.execute(`select ${plain.columns(User, 'u')} from users u where u.id = ?`, [person.id]);
    const user = plain.build(User, row, 'u')!;
    expect([user.totpEnabled, user.hasTransactionPin, user.createdAt instanceof Date]).toEqual([false, false, true]);
    expect(secrets).toEqual(new Set(['passwordHash', 'pinHash', 'totpSecret', 'totpPendingSecret', 'totpLastStep']));
    expect(user.passwordHash).toBe(WITHHELD);

    // with a PIN and TOTP set, the getters still tell so, and neither secret comes out of the database
    await em.execute(`update users set pin_hash = 'argon2-pin-hash', totp_secret = 'sealed-totp-secret' where id = ?`, [person.id]);
    const [withSecrets] = await em.execute(`select ${plain.columns(User, 'u')} from users u where u.id = ?`, [person.id]);
    expect(JSON.stringify(withSecrets)).not.toMatch(/argon2-pin-hash|sealed-totp-secret|\$argon2/);
    const guarded = plain.build(User, withSecrets, 'u')!;
    expect([guarded.totpEnabled, guarded.hasTransactionPin, guarded.pinHash, guarded.totpSecret]).toEqual([true, true, WITHHELD, WITHHELD]);
    expect(plain.build(User, { 'u.id': null }, 'u')).toBeNull();
    const [{ a: withSecretsArray }] = await em.execute(`select ${plain.jsonArray(User, 'u')} as a from users u where u.id = ?`, [person.id]);
    expect(JSON.stringify(withSecretsArray)).not.toMatch(/argon2-pin-hash|sealed-totp-secret|\$argon2/);
    expect(plain.buildFromArray(User, withSecretsArray)!.totpEnabled).toBe(true);
    expect(plain.buildFromArray(User, [])).toBeNull();
  });

  it('make a reference when it is first read, and tell its key without making it', async () => {
    const person = await signUpPerson(server.client());
    const w = await createWorkspace(server.client(person.token));
    const t = await createThread(server.client(person.token), w, 'Lui');
    const em = server.orm.em.fork();
    const plain = new PlainEntities(em);
    const [row] = await em.execute(`select ${plain.columns(Thread, 't')} from thread t where t.id = ?`, [t]);
    const thread = plain.build(Thread, row, 't')!;
    expect(Object.prototype.hasOwnProperty.call(thread, 'workspace')).toBe(false);
    expect(PlainEntities.keyOf(thread, 'workspace')).toBe(w);
    expect(Object.prototype.hasOwnProperty.call(thread, 'workspace')).toBe(false);
    expect(thread.workspace.id).toBe(w);
    expect(thread.workspace).toBe(thread.workspace);
    expect(PlainEntities.keyOf(thread, 'workspace')).toBe(w);
    expect((await thread.createdBy!.load())!.id).toBe(person.id);
    // an assignment replaces the reference, as on any object
    thread.createdBy = null;
    expect([thread.createdBy, PlainEntities.keyOf(thread, 'createdBy')]).toEqual([null, null]);
    const orphan = plain.build(Thread, { ...row, 't.created_by_id': null }, 't')!;
    expect([orphan.createdBy, PlainEntities.keyOf(orphan, 'createdBy')]).toEqual([null, null]);
  });
});
