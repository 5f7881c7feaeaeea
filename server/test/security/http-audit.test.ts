import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production' });
});
afterAll(() => server?.close());

describe('GraphQL over HTTP (graphql-http auditServer against the running server)', () => {
  it('has no errors; every warning and notice is listed with why it is accepted', async () => {
    // the audit's requests use __type; in production only platform admins may introspect, so it runs as one
    const admin = await signUpPerson(server.client());
    await server.services.accounts.grantPlatformAdmin(server.orm.em.fork(), admin.username);
    const results = await auditServer({
      url: `${server.url}/graphql`,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${admin.token}` } }),
    });
    const summary = { ok: 0, notice: 0, warn: 0, error: 0 } as Record<string, number>;
    for (const r of results) summary[r.status]++;
    console.log('graphql-http audit:', JSON.stringify(summary));
    const errors = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    console.log(errors.join('\n'));
    expect(errors).toEqual([]);
    const accepted: Record<string, string> = {
      '5A70': "CSRF prevention: a GET without a preflight-forcing header is refused (Apollo's csrfPrevention)",
      D6D5: "CSRF prevention blocks the audit's plain GETs (Apollo's csrfPrevention); GET with the header works",
      '6A70': "CSRF prevention blocks the audit's plain GETs (Apollo's csrfPrevention); GET with the header works",
      '572B': "Apollo Server answers 400 to a document that does not parse (its documented behaviour; clients read extensions.code)",
      FDE2: 'Apollo Server answers 400 to a document that fails validation (GRAPHQL_VALIDATION_FAILED)',
      '7B9B': 'Apollo Server answers 400 to variables that do not coerce (BAD_USER_INPUT)',
    };
    const unexplained = results.filter((r) => (r.status === 'warn' || r.status === 'notice') && !(r.id in accepted)).map((r) => `${r.status} ${r.id} ${r.name}`);
    expect(unexplained).toEqual([]);
  });
});
