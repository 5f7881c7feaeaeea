import { describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { platformAdmin } from '../support/partners.js';
import { createWorkspace } from '../support/workspaces.js';
import { browserReady, serverAndBrowser, openApp, screenshot, signedInContext, skipReason } from './browser.js';


describe.skipIf(!browserReady)(`admin pages and GraphiQL in a real browser ${skipReason}`, () => {
  const running = serverAndBrowser();

  it('an admin publishes a privacy statement and a signed-in person sees the banner live until they acknowledge it', { timeout: 90_000 }, async () => {
    const admin = await signUpPerson(running.server.client());
    await platformAdmin(running.server, admin);
    const person = await signUpPerson(running.server.client());
    await running.server.client(person.token).data(`mutation { acknowledgePrivacyStatement(version: 1) }`);

    const personPage = await openApp(await signedInContext(running.browser, running.server, person), running.server);
    expect(await personPage.locator('.banner').count()).toBe(0);
    const adminPage = await openApp(await signedInContext(running.browser, running.server, admin), running.server, '/admin');
    await adminPage.getByRole('region', { name: 'Privacyverklaring publiceren' }).getByRole('textbox').fill('Versie 2 van onze privacyverklaring. Wij bewaren uw gegevens niet langer dan nodig.');
    await adminPage.getByRole('button', { name: 'Nieuwe versie publiceren' }).click();
    await adminPage.getByText('Versie 2 is gepubliceerd.').waitFor();

    const banner = personPage.getByRole('complementary', { name: /Privacyverklaring versie 2/ });
    await banner.waitFor();
    await banner.getByText('Privacyverklaring lezen').click();
    await banner.getByText('Wij bewaren uw gegevens niet langer dan nodig.').waitFor();
    await screenshot(personPage, 'statement-banner');
    await banner.getByRole('button', { name: 'Gelezen' }).click();
    await banner.waitFor({ state: 'detached' });
    await personPage.reload();
    await personPage.getByRole('button', { name: /Uitloggen/ }).waitFor();
    expect(await personPage.locator('.banner').count()).toBe(0);
    await screenshot(adminPage, 'platform-admin');
  });

  it('creates a partner with a PIN and shows its key once; a workspace owner lets it in; the member sees it among the consents', { timeout: 90_000 }, async () => {
    const admin = await signUpPerson(running.server.client());
    const pin = await platformAdmin(running.server, admin);
    const adminPage = await openApp(await signedInContext(running.browser, running.server, admin), running.server, '/admin');
    const partners = adminPage.getByRole('region', { name: 'Partners' });
    await partners.getByLabel('Naam van de partner').fill('Loket BV');
    await partners.getByLabel('Transactiepincode').fill(pin);
    await partners.getByRole('button', { name: 'Partner aanmaken' }).click();
    const key = await partners.locator('.key-once code').textContent();
    expect(key).toMatch(/^cop_/);
    await partners.getByRole('button', { name: 'Sleutel van Loket BV intrekken' }).waitFor();

    const owner = await signUpPerson(running.server.client());
    const member = await signUpPerson(running.server.client());
    await createWorkspace(running.server.client(owner.token), 'Bakkerij De Korrel');
    const ownerPage = await openApp(await signedInContext(running.browser, running.server, owner), running.server, '/workspace');
    await ownerPage.getByLabel('Gebruikersnaam of e-mailadres').fill(member.email);
    await ownerPage.getByRole('button', { name: 'Toevoegen' }).click();
    await ownerPage.getByRole('cell', { name: member.username, exact: true }).waitFor();
    await ownerPage.getByRole('combobox', { name: /^Partner/ }).selectOption({ label: 'Loket BV' });
    await ownerPage.getByRole('button', { name: 'Toegang geven' }).click();
    await ownerPage.getByRole('button', { name: 'Toegang van Loket BV intrekken' }).waitFor();
    await screenshot(ownerPage, 'workspace-admin');

    const memberPage = await openApp(await signedInContext(running.browser, running.server, member), running.server, '/privacy');
    const share = memberPage.getByRole('switch', { name: /delen met Loket BV \(werkruimte Bakkerij De Korrel\)/ });
    expect(await share.isChecked()).toBe(false);
    await share.click();
    await expect.poll(() => share.isChecked()).toBe(true);
    // a member who is not an admin is told so instead of getting the admin's forms
    await memberPage.getByRole('link', { name: 'Werkruimte' }).click();
    await memberPage.getByText('Alleen eigenaren en beheerders').waitFor();
  });

  it('serves GraphiQL to admins, which runs a query with their session, and an "admins only" page to others', { timeout: 90_000 }, async () => {
    const admin = await signUpPerson(running.server.client());
    await platformAdmin(running.server, admin);
    const page = await openApp(await signedInContext(running.browser, running.server, admin), running.server, '/graphiql');
    const run = page.getByRole('button', { name: /Execute query/ });
    await run.waitFor({ timeout: 30_000 });
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    await run.click();
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 20_000 }).toContain(admin.username);
    expect(await page.locator('.graphiql-response').textContent()).toContain('ADMIN');
    await screenshot(page, 'graphiql');

    const person = await signUpPerson(running.server.client());
    const other = await openApp(await signedInContext(running.browser, running.server, person), running.server, '/graphiql');
    await other.getByRole('heading', { name: 'Alleen voor beheerders' }).waitFor();
    expect(await other.getByRole('link', { name: 'GraphiQL' }).count()).toBe(0);
  });
});
