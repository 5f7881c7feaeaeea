import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production' });
});
afterAll(() => server?.close());

const INTROSPECTION = `{ __schema { queryType { name } types { name } } }`;

describe('baseline protection (production mode)', () => {
  it('refuses introspection to anonymous viewers and normal users, allows it to platform admins', async () => {
    const person = await signUpPerson(server.client());
    for (const client of [server.client(), server.client(person.token)]) {
      const result = await client.request(INTROSPECTION);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(result)).not.toContain('"User"');
    }
    const admin = await signUpPerson(server.client());
    await server.services.accounts.grantPlatformAdmin(server.orm.em.fork(), admin.email);
    const allowed = await server.client(admin.token).data(INTROSPECTION);
    expect(allowed.__schema.queryType.name).toBe('Query');
  });

  it('gives no "Did you mean" hints', async () => {
    const result = await server.client().request(`{ mee { id } }`);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(result.errors)).not.toMatch(/did you mean/i);
  });

  it('rejects a depth bomb before running it', async () => {
    // nesting through inline fragments: depth counts them, so no real type graph is needed for the bomb
    const nested = `{ ${'me { ... on User { '.repeat(15)} id ${'} }'.repeat(15)} }`;
    const fragments = `{ ${'... on Query { '.repeat(40)} __typename ${'} '.repeat(40)} }`;
    for (const query of [nested, fragments]) {
      const result = await server.client().request(query);
      expect(result.status).toBe(400);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.length).toBeGreaterThan(0);
    }
  });

  it('rejects too many aliases and too many tokens', async () => {
    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: me { email }`).join(' ')} }`;
    const aliasResult = await server.client().request(aliases);
    expect(aliasResult.status).toBe(400);
    expect(aliasResult.errors?.[0].message).toMatch(/alias/i);
    const tokens = `{ ${Array.from({ length: 2000 }, (_, i) => `b${i}: __typename`).join(' ')} }`;
    const tokenResult = await server.client().request(tokens);
    expect(tokenResult.status).toBe(400);
    expect(tokenResult.data ?? null).toBeNull();
  });

  it('masks unexpected errors: no internal message, no stack trace', async () => {
    const person = await signUpPerson(server.client());
    await server.sql('alter table consent rename to consent_moved');
    try {
      const result = await server.client(person.token).request(`{ me { id newsletterOptIn } }`);
      expect(result.errors?.[0]).toEqual({ message: 'Internal server error', locations: expect.any(Array), path: ['me', 'newsletterOptIn'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(result)).not.toMatch(/consent|relation|select|stack/i);
    } finally {
      await server.sql('alter table consent_moved rename to consent');
    }
  });

  it('refuses batched requests, mutations over GET and simple (CSRF-able) requests', async () => {
    const batched = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    expect(batched.status).toBe(400);

    const getMutation = await fetch(`${server.url}/graphql?query=${encodeURIComponent('mutation { signOut }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(getMutation.status).toBe(405);

    const textPlain = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { signOut }' }),
    });
    expect(textPlain.status).toBe(400);

    const form = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=mutation%20%7B%20signOut%20%7D',
    });
    expect(form.status).toBe(400);
  });

  it('refuses a body over the limit with 413 and writes nothing', async () => {
    const before = (await server.sql<{ n: string }>('select count(*) as n from users'))[0].n;
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
        variables: { i: { username: 'big_body', lastName: 'x'.repeat(2 * 1024 * 1024), email: 'big@example.test', password: 'a fine password' } },
      }),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).not.toMatch(/at .*\.js/);
    expect((await server.sql<{ n: string }>('select count(*) as n from users'))[0].n).toBe(before);
  });

  it('answers /healthz once the database is reachable', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
