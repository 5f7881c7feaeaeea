import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, SIGN_UP, type Person } from '../support/accounts.js';
import { UPLOAD } from '../support/documents.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createThread, createWorkspace, POST } from '../support/workspaces.js';

let server: TestServer;
let person: Person;
let workspaceId: string, threadId: string;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production', SIGNIN_MAX_FAILURES_PER_IP: '100000' });
  person = await signUpPerson(server.client());
  workspaceId = await createWorkspace(server.client(person.token), 'Fuzz BV');
  threadId = await createThread(server.client(person.token), workspaceId, 'Fuzz');
});
afterAll(() => server?.close());

/** Strings an attacker or a broken client sends: control characters, unicode, whitespace, empty, very long. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', '\t\n', '\u0000', '\u202e', '🙂'.repeat(500), 'a'.repeat(20_000), "'; drop table users; --", '<script>alert(1)</script>'),
);
const number = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)), fc.double({ noNaN: true }).map((d) => Math.floor(d)));

const counts = async () => JSON.stringify(await server.sql(`select (select count(*) from users) u, (select count(*) from message) m, (select count(*) from document) d, (select count(*) from consent) c, (select count(*) from privacy_request) p`));
// CI runs a sample; FUZZ_RUNS=500 pnpm test digs deeper
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/** Runs the operation with generated input: a result or a clear client error, never a 500, and nothing written on an error. */
async function holds(run: () => Promise<{ status: number; errors?: { extensions?: { code?: string } }[]; data?: unknown }>) {
  const before = await counts();
  const result = await run();
  expect(result.status).toBeLessThan(500);
  const code = result.errors?.[0]?.extensions?.code;
  expect(code).not.toBe('INTERNAL_SERVER_ERROR');
  if (result.errors?.length) {
    expect(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE']).toContain(code);
    expect(await counts()).toBe(before);
  }
}

describe('fuzzing the inputs of the contract (fast-check)', () => {
  it('signUp', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ username: nasty, lastName: nasty, email: nasty, password: nasty, firstName: fc.option(nasty) }), async (input) => {
        await holds(() => server.client().request(SIGN_UP, { input }));
      }),
      { numRuns: RUNS },
    );
  });

  it('updateProfile', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ username: fc.option(nasty), lastName: fc.option(nasty), firstName: fc.option(nasty), email: fc.option(nasty), currentPassword: fc.option(nasty) }), async (input) => {
        await holds(() => server.client(person.token).request(`mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`, { input }));
      }),
      { numRuns: RUNS },
    );
  });

  it('postMessage', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(nasty, fc.option(nasty), async (body, clientId) => {
        await holds(() => server.client(person.token).request(POST, { t: threadId, body, clientId }));
      }),
      { numRuns: RUNS },
    );
  });

  it('uploadDocument', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, fc.oneof(nasty, fc.base64String({ maxLength: 400 })), fc.constantFrom('TAX_RETURN', 'OTHER'), async (title, mimeType, contentBase64, type) => {
        await holds(() => server.client(person.token).request(UPLOAD, { input: { workspaceId, title, type, mimeType, contentBase64 } }));
      }),
      { numRuns: RUNS },
    );
  });

  it('setConsent and submitPrivacyRequest', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(nasty), fc.boolean(), fc.option(nasty), number, async (partnerId, granted, details, n) => {
        await holds(() => server.client(person.token).request(`mutation($p: ID, $g: Boolean!) { setConsent(input: { purpose: PARTNER_SHARING, partnerId: $p, granted: $g }) { granted } }`, { p: partnerId, g: granted }));
        await holds(() => server.client(person.token).request(`mutation($d: String) { submitPrivacyRequest(input: { type: RECTIFICATION, details: $d }) { id } }`, { d: details }));
        await holds(() => server.client(person.token).request(`mutation($v: Int!) { acknowledgePrivacyStatement(version: $v) }`, { v: n }));
      }),
      { numRuns: RUNS },
    );
  });
});
