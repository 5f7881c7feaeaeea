import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, SIGN_IN } from '../support/accounts.js';
import { setPin } from '../support/documents.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { databaseDigest } from '../support/snapshot.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production', SIGNIN_MAX_FAILURES_PER_LOGIN: '5', STEP_UP_MAX_FAILURES: '5' });
});
afterAll(() => server?.close());

const DELETE = `mutation($pw: String!, $pin: String, $totp: String) { deleteAccount(password: $pw, stepUp: { pin: $pin, totpCode: $totp }) }`;

describe('brute force', () => {
  it('on signIn: RATE_LIMITED after 5 failures, then even the right password waits', async () => {
    const person = await signUpPerson(server.client());
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 7; i++) codes.push(await server.client().errorCode(SIGN_IN, { input: { login: person.email, password: `guess ${i} of many` } }));
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(await server.client().errorCode(SIGN_IN, { input: { login: person.username, password: person.password } })).toBe('RATE_LIMITED');
  });

  it('on the PIN: locked after 5 wrong ones, nothing done', async () => {
    const person = await signUpPerson(server.client());
    await setPin(server.client(person.token), '246810', person.password);
    const before = await databaseDigest(server);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) codes.push(await server.client(person.token).errorCode(DELETE, { pw: person.password, pin: String(100000 + i) }));
    expect(codes).toEqual(['STEP_UP_REQUIRED', 'STEP_UP_REQUIRED', 'STEP_UP_REQUIRED', 'STEP_UP_REQUIRED', 'STEP_UP_REQUIRED', 'RATE_LIMITED']);
    expect(await server.client(person.token).errorCode(DELETE, { pw: person.password, pin: '246810' })).toBe('RATE_LIMITED');
    expect(await databaseDigest(server)).toBe(before);
  });

  it('on TOTP codes: locked after 5 wrong ones, and a right code is refused while locked', async () => {
    const person = await signUpPerson(server.client());
    const c = server.client(person.token);
    const { secret } = (await c.data(`mutation { enrollTotp { secret } }`)).enrollTotp;
    await c.data(`mutation($code: String!) { confirmTotp(code: $code) }`, { code: await generate({ secret }) });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) codes.push(await c.errorCode(DELETE, { pw: person.password, totp: String(100000 + i).padStart(6, '0') }));
    expect(codes.slice(0, 5).every((code) => code === 'STEP_UP_REQUIRED')).toBe(true);
    expect(codes[5]).toBe('RATE_LIMITED');
    const right = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await c.errorCode(DELETE, { pw: person.password, totp: right })).toBe('RATE_LIMITED');
    expect((await server.sql('select erased_at from users where id = $1', [person.id]))[0].erased_at).toBeNull();
  });
});
