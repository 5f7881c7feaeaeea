import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { setPin } from '../support/documents.js';
import { platformAdmin } from '../support/partners.js';
import { browserReady, serverAndBrowser, openApp, screenshot, signedInContext, skipReason } from './browser.js';


describe.skipIf(!browserReady)(`the privacy centre in a real browser ${skipReason}`, () => {
  const running = serverAndBrowser();

  it('toggles a consent with its history, downloads the export as JSON, follows a request live, enrols TOTP by QR code, and deletes the account', { timeout: 90_000 }, async () => {
    const person = await signUpPerson(running.server.client(), { firstName: 'Sanne' });
    const admin = await signUpPerson(running.server.client());
    await platformAdmin(running.server, admin);
    await setPin(running.server.client(person.token), '13579', person.password);
    const context = await signedInContext(running.browser, running.server, person);
    const page = await openApp(context, running.server, '/privacy');

    const analytics = page.getByRole('switch', { name: 'Gebruiksgegevens voor geanonimiseerde statistieken' });
    const before = await analytics.isChecked();
    await analytics.click();
    await expect.poll(() => analytics.isChecked()).toBe(!before);
    const ledger = (await running.server.client(person.token).data(`{ myConsents { purpose granted source } }`)).myConsents;
    expect(ledger.find((c: { purpose: string }) => c.purpose === 'USAGE_ANALYTICS')).toEqual({ purpose: 'USAGE_ANALYTICS', granted: !before, source: 'ACCOUNT' });
    await page.locator('.consent', { has: analytics }).getByText('Geschiedenis').click();
    await page.locator('.consent', { has: analytics }).getByText('in het privacycentrum').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download mijn gegevens (JSON)' }).click()]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(JSON.stringify(exported)).toContain(person.email);
    expect(download.suggestedFilename()).toMatch(/\.json$/);

    await page.getByLabel('Soort verzoek').selectOption('RECTIFICATION');
    await page.getByLabel('Toelichting (optioneel)').fill('Mijn adres is veranderd.');
    await page.getByRole('button', { name: 'Verzoek indienen' }).click();
    await page.getByRole('cell', { name: 'In behandeling' }).waitFor();
    const [request] = (await running.server.client(admin.token).data(`{ privacyRequests(status: OPEN) { id requester { id } } }`)).privacyRequests.filter(
      (r: { requester: { id: string } }) => r.requester.id === person.id,
    );
    await running.server.client(admin.token).data(`mutation($id: ID!) { resolvePrivacyRequest(input: { id: $id, status: COMPLETED }) { id } }`, { id: request.id });
    await page.getByRole('cell', { name: /Afgehandeld/ }).waitFor(); // live, without reloading

    await page.getByRole('button', { name: 'Authenticator-app koppelen' }).click();
    const qr = page.getByRole('img', { name: 'QR-code om uw authenticator-app te koppelen' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.getByLabel('Code uit uw authenticator-app').getAttribute('autocomplete')).toBe('one-time-code');
    await screenshot(page, 'privacy-centre');

    await page.getByRole('region', { name: 'Account verwijderen' }).getByLabel('Wachtwoord').fill(person.password);
    await page.getByRole('region', { name: 'Account verwijderen' }).getByLabel('Transactiepincode').fill('13579');
    await page.getByRole('checkbox', { name: /niet ongedaan/ }).check();
    await page.getByRole('button', { name: 'Account definitief verwijderen' }).click();
    await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
    expect(await running.server.client().errorCode(`mutation($i: SignInInput!) { signIn(input: $i) { token } }`, { i: { login: person.username, password: person.password } })).toBe('UNAUTHENTICATED');
    await context.close();
  });
});
