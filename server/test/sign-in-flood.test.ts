import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, SIGN_IN, type Person } from './support/accounts.js';
import type { GraphQLResponse } from './support/graphql-client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { countStatements } from './support/statements.js';

let server: TestServer;
let person: Person;
beforeAll(async () => {
  server = await startTestServer({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_MAX_WAITING: '3' });
  person = await signUpPerson(server.client());
});
afterAll(() => server?.close());

const userLookups = (statements: string[]) => statements.filter((s) => /from "users"/.test(s) && /lower\(username\)/.test(s));

describe('a flood of sign-ins', () => {
  it('admits a few at a time to their lookups; beyond the waiting room they are refused before any database work', async () => {
    const anonymous = server.client();
    let outcomes: GraphQLResponse[] = [];
    const { statements } = await countStatements(async () => {
      outcomes = await Promise.all(Array.from({ length: 12 }, () => anonymous.request(SIGN_IN, { input: { login: person.username, password: person.password } })));
    });
    const signedIn = outcomes.filter((r) => r.data?.signIn?.token);
    const refused = outcomes.filter((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    // two admitted (one in argon2, the next one's lookups done) and three waiting; the rest are refused at once
    expect(signedIn.length + refused.length).toBe(12);
    expect(refused.length).toBeGreaterThan(0);
    expect(signedIn.length).toBeGreaterThanOrEqual(5);
    // only admitted sign-ins reached the users table
    expect(userLookups(statements)).toHaveLength(signedIn.length);
  });
});
