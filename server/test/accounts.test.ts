import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, SIGN_IN, SIGN_UP } from './support/accounts.js';
import { startTestServer, type TestServer } from './support/server.js';

const ME = `{ me { id username lastName firstName email newsletterOptIn platformRole totpEnabled hasTransactionPin } }`;
const UPDATE = `mutation U($input: UpdateProfileInput!) { updateProfile(input: $input) { id username lastName firstName email } }`;
const CHANGE_PASSWORD = `mutation C($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SIGNIN_MAX_FAILURES_PER_LOGIN: '3' });
});
afterAll(() => server?.close());

const countUsers = async () => Number((await server.sql<{ n: string }>('select count(*) as n from users'))[0].n);

describe('accounts', () => {
  it('signs up, signs in, reads and updates the profile, changes the password, signs out', async () => {
    const anonymous = server.client();
    const signUp = await anonymous.data(SIGN_UP, {
      input: { username: 'Marieke', lastName: 'de Vries', email: 'Marieke@Example.test', password: 'tulips in the spring', newsletterOptIn: true },
    });
    expect(signUp.signUp.user).toMatchObject({ username: 'Marieke', lastName: 'de Vries', firstName: null, email: 'Marieke@Example.test' });
    expect(signUp.signUp.token).toMatch(/^cos_/);

    // sign in by email, case-insensitively
    const signIn = await anonymous.data(SIGN_IN, { input: { login: 'marieke@example.test', password: 'tulips in the spring' } });
    const token: string = signIn.signIn.token;
    const me = server.client(token);
    expect((await me.data(ME)).me).toEqual({
      id: signUp.signUp.user.id,
      username: 'Marieke',
      lastName: 'de Vries',
      firstName: null,
      email: 'Marieke@Example.test',
      newsletterOptIn: true,
      platformRole: 'USER',
      totpEnabled: false,
      hasTransactionPin: false,
    });

    const updated = await me.data(UPDATE, { input: { firstName: 'Marieke', lastName: 'Jansen' } });
    expect(updated.updateProfile).toMatchObject({ firstName: 'Marieke', lastName: 'Jansen', email: 'Marieke@Example.test' });

    // the email changes only with the current password
    expect(await me.errorCode(UPDATE, { input: { email: 'new@example.test' } })).toBe('BAD_USER_INPUT');
    expect(await me.errorCode(UPDATE, { input: { email: 'new@example.test', currentPassword: 'wrong password!' } })).toBe('BAD_USER_INPUT');
    expect((await me.data(UPDATE, { input: { email: 'new@example.test', currentPassword: 'tulips in the spring' } })).updateProfile.email).toBe('new@example.test');

    // changing the password keeps this session and ends the others
    const first = server.client(signUp.signUp.token);
    expect(await me.data(CHANGE_PASSWORD, { c: 'tulips in the spring', n: 'windmills and canals' })).toEqual({ changePassword: true });
    expect((await first.request(ME)).status).toBe(401);
    expect((await me.data(ME)).me.username).toBe('Marieke');
    expect(await anonymous.errorCode(SIGN_IN, { input: { login: 'Marieke', password: 'tulips in the spring' } })).toBe('UNAUTHENTICATED');
    await anonymous.data(SIGN_IN, { input: { login: 'Marieke', password: 'windmills and canals' } });

    // signing out revokes the token
    expect(await me.data(`mutation { signOut }`)).toEqual({ signOut: true });
    const after = await me.request(ME);
    expect(after.status).toBe(401);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await anonymous.data(ME)).me).toBeNull();
  });

  it('refuses a taken username or email, case-insensitively, with CONFLICT and writes nothing', async () => {
    const anonymous = server.client();
    const person = await signUpPerson(anonymous);
    const before = await countUsers();
    const byUsername = await anonymous.request(SIGN_UP, {
      input: { username: person.username.toUpperCase(), lastName: 'X', email: 'other1@example.test', password: 'a fine password' },
    });
    expect(byUsername.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
    const byEmail = await anonymous.request(SIGN_UP, {
      input: { username: 'someone_else', lastName: 'X', email: person.email.toUpperCase(), password: 'a fine password' },
    });
    expect(byEmail.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect(await countUsers()).toBe(before);
  });

  it('settles two simultaneous sign-ups for one username: one account, one CONFLICT', async () => {
    const anonymous = server.client();
    const input = (n: number) => ({ username: 'race_winner', lastName: 'Race', email: `race${n}@example.test`, password: 'a fine password' });
    const results = await Promise.all([1, 2, 3].map((n) => anonymous.request(SIGN_UP, { input: input(n) })));
    expect(results.filter((r) => r.data?.signUp).length).toBe(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT').length).toBe(2);
    expect((await server.sql(`select id from users where lower(username) = 'race_winner'`)).length).toBe(1);
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['the username as password', { username: 'piet_puk', password: 'piet_puk' + '' }, 'password'],
    ['an empty last name', { lastName: '   ' }, 'lastName'],
    ['a username with spaces', { username: 'two words' }, 'username'],
    ['control characters in a name', { lastName: 'Bad\u0000Name' }, 'lastName'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, override, field) => {
    const anonymous = server.client();
    const before = await countUsers();
    const result = await anonymous.request(SIGN_UP, {
      input: { username: 'valid_name', lastName: 'Valid', email: 'valid@example.test', password: 'a fine password', ...override },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0].message.length).toBeGreaterThan(10);
    expect(await countUsers()).toBe(before);
  });

  it('needs only username, last name, email and password; the newsletter stays off unless ticked', async () => {
    const anonymous = server.client();
    const person = await signUpPerson(anonymous);
    const me = (await server.client(person.token).data(ME)).me;
    expect(me).toMatchObject({ firstName: null, newsletterOptIn: false });
    expect(await server.sql(`select * from consent where user_id = $1`, [person.id])).toEqual([]);
  });

  it('gives the same error for a wrong password and an unknown login', async () => {
    const anonymous = server.client();
    const person = await signUpPerson(anonymous);
    const wrongPassword = await anonymous.request(SIGN_IN, { input: { login: person.username, password: 'not the password' } });
    const unknownLogin = await anonymous.request(SIGN_IN, { input: { login: 'nobody_at_all', password: 'not the password' } });
    expect(wrongPassword.errors?.[0]).toMatchObject({ message: 'Wrong login or password.', extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknownLogin.errors?.[0]).toMatchObject({ message: 'Wrong login or password.', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('rate-limits sign-in per login after repeated failures, also for the right password, and says when to retry', async () => {
    const anonymous = server.client();
    const person = await signUpPerson(anonymous);
    for (let i = 0; i < 3; i++) {
      expect(await anonymous.errorCode(SIGN_IN, { input: { login: person.email, password: `guess number ${i}` } })).toBe('UNAUTHENTICATED');
    }
    const blocked = await anonymous.request(SIGN_IN, { input: { login: person.email, password: person.password } });
    expect(blocked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(blocked.errors?.[0].extensions?.retryAfter).toBeGreaterThan(0);
    // the limiter's table holds hashes, not the login
    const keys = await server.sql<{ key: string }>('select key from rate_limit');
    expect(keys.some((k) => k.key.includes(person.email) || k.key.includes(person.username))).toBe(false);
    // another account is not affected
    const other = await signUpPerson(anonymous);
    await anonymous.data(SIGN_IN, { input: { login: other.username, password: other.password } });
  });

  it('sets the session as an httpOnly, SameSite=Lax cookie that works without the header', async () => {
    const anonymous = server.client();
    const person = await signUpPerson(anonymous);
    const response = await anonymous.request(SIGN_IN, { input: { login: person.username, password: person.password } });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^co_session=cos_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP here; Secure over HTTPS
    const viaCookie = await anonymous.request(ME, undefined, { cookie: cookie.split(';')[0] });
    expect(viaCookie.data?.me.username).toBe(person.username);
  });

  it('shows another user only the username; personal fields are null', async () => {
    const anonymous = server.client();
    const subject = await signUpPerson(anonymous);
    const reader = await signUpPerson(anonymous);
    const result = await server.client(reader.token).data(`query($id: ID!) { user(id: $id) { id username lastName firstName email newsletterOptIn platformRole } }`, { id: subject.id });
    expect(result.user).toEqual({ id: subject.id, username: subject.username, lastName: null, firstName: null, email: null, newsletterOptIn: null, platformRole: null });
    expect(await server.client(reader.token).errorCode(`query($id: ID!) { user(id: $id) { id } }`, { id: '00000000-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
    expect(await anonymous.errorCode(`query($id: ID!) { user(id: $id) { id } }`, { id: subject.id })).toBe('UNAUTHENTICATED');
  });

  it('shows a platform admin every field', async () => {
    const anonymous = server.client();
    const subject = await signUpPerson(anonymous);
    const admin = await signUpPerson(anonymous);
    await server.services.accounts.grantPlatformAdmin(server.orm.em.fork(), admin.username);
    const result = await server.client(admin.token).data(`query($id: ID!) { user(id: $id) { username lastName email newsletterOptIn platformRole } }`, { id: subject.id });
    expect(result.user).toEqual({ username: subject.username, lastName: subject.lastName, email: subject.email, newsletterOptIn: false, platformRole: 'USER' });
  });
});
