import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from './support/accounts.js';
import { platformAdmin, SET_CONSENT } from './support/partners.js';
import { startTestServer, type TestServer } from './support/server.js';
import { startSmtpServer } from './support/smtp.js';

let server: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let admin: Person;
const flaky = 'flaky@example.test';

beforeAll(async () => {
  // the flaky recipient's mailbox refuses the first attempt: the delivery is retried, and arrives once
  smtp = await startSmtpServer({ refuseFirst: (to) => (to === flaky ? 1 : 0) });
  server = await startTestServer({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://portal.example.test' });
  admin = await signUpPerson(server.client());
  await platformAdmin(server, admin);
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const SEND = `mutation($s: String!, $b: String!) { sendNewsletter(subject: $s, body: $b) }`;
const PROGRESS = `{ newsletters { newsletter { subject } recipients sent failed pending } }`;
/** A header as it was sent (mailparser folds the List-* headers into one object). */
const rawHeader = (mail: { headerLines: readonly { key: string; line: string }[] }, key: string) =>
  (mail.headerLines.find((h) => h.key === key)?.line ?? '').replace(/^[^:]+:\s*/, '').replace(/\r?\n\s*/g, ' ').trim();
const until = async (done: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('newsletters', () => {
  it('go to opted-in people only, once each, with a working unsubscribe link and headers; the next one skips who left', async () => {
    const anonymous = server.client();
    const optedIn = await signUpPerson(anonymous, { newsletterOptIn: true });
    const alsoIn = await signUpPerson(anonymous, { email: flaky });
    await server.client(alsoIn.token).data(SET_CONSENT, { purpose: 'NEWSLETTER', granted: true });
    const neverAsked = await signUpPerson(anonymous);
    const leftAgain = await signUpPerson(anonymous, { newsletterOptIn: true });
    await server.client(leftAgain.token).data(SET_CONSENT, { purpose: 'NEWSLETTER', granted: false });

    expect(await server.client(optedIn.token).errorCode(SEND, { s: 'x', b: 'y' })).toBe('FORBIDDEN');
    const recipients = (await server.client(admin.token).data(SEND, { s: 'Nieuw in Client Online', b: 'Vanaf vandaag kunt u documenten slepen.' })).sendNewsletter;
    expect(recipients).toBe(2);
    await until(async () => (await server.client(admin.token).data(PROGRESS)).newsletters[0].sent === 2);
    expect((await server.client(admin.token).data(PROGRESS)).newsletters[0]).toEqual({ newsletter: { subject: 'Nieuw in Client Online' }, recipients: 2, sent: 2, failed: 0, pending: 0 });
    expect(smtp.to(optedIn.email)).toHaveLength(1);
    expect(smtp.to(flaky)).toHaveLength(1); // refused once, retried, delivered once
    expect(smtp.to(neverAsked.email)).toHaveLength(0);
    expect(smtp.to(leftAgain.email)).toHaveLength(0);

    const mail = smtp.to(optedIn.email)[0];
    expect(mail.subject).toBe('Nieuw in Client Online');
    const header = rawHeader(mail, 'list-unsubscribe');
    const link = /<(https:\/\/portal\.example\.test\/unsubscribe\?token=[^>]+)>/.exec(header)?.[1];
    expect(link).toBeDefined();
    expect(mail.text).toContain(link);
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // follow the link with no session at all
    const page = await fetch(link!.replace('https://portal.example.test', server.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('afgemeld');
    const ledger = await server.client(optedIn.token).data(`{ myConsents { purpose granted source } }`);
    expect(ledger.myConsents[0]).toEqual({ purpose: 'NEWSLETTER', granted: false, source: 'NEWSLETTER_LINK' });
    // a forged token does nothing
    expect((await fetch(`${server.url}/unsubscribe?token=${Buffer.from(alsoIn.id).toString('base64url')}.forged`)).status).toBe(400);
    expect(await server.client().errorCode(`mutation($t: String!) { unsubscribeNewsletter(token: $t) }`, { t: 'nonsense' })).toBe('BAD_USER_INPUT');

    const second = (await server.client(admin.token).data(SEND, { s: 'Tweede nieuwsbrief', b: 'Onderhoud zaterdag.' })).sendNewsletter;
    expect(second).toBe(1);
    await until(async () => (await server.client(admin.token).data(PROGRESS)).newsletters[0].sent === 1);
    expect(smtp.to(optedIn.email)).toHaveLength(1);
    expect(smtp.to(flaky)).toHaveLength(2);
    // the one-click POST a mail client sends works too
    const oneClickLink = /<([^>]+)>/.exec(rawHeader(smtp.to(flaky)[1], 'list-unsubscribe'))![1].replace('https://portal.example.test', server.url);
    const oneClick = await fetch(oneClickLink, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.status).toBe(200);
    expect((await server.client(alsoIn.token).data(`{ me { newsletterOptIn } }`)).me.newsletterOptIn).toBe(false);
  });
});
