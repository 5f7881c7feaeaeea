import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUpPerson, type Person } from '../support/accounts.js';
import { addMember, createThread, createWorkspace, post } from '../support/workspaces.js';
import { browserReady, serverAndBrowser, openApp, screenshot, signedInContext, skipReason } from './browser.js';


describe.skipIf(!browserReady)(`people and chat in a real browser ${skipReason}`, () => {
  const running = serverAndBrowser();

  async function signIn(page: Page, person: Person) {
    await page.goto(running.server.url);
    await page.getByLabel('Gebruikersnaam of e-mailadres').fill(person.username);
    await page.getByLabel('Wachtwoord').fill(person.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('heading', { name: 'Werkruimtes' }).waitFor();
  }

  it('signs up with only what the privacy statement asks, newsletter unticked, and shows a clear error for a taken name', async () => {
    const context = await running.browser.newContext();
    const page = await context.newPage();
    await page.goto(running.server.url);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await page.getByLabel('Gebruikersnaam').fill('anna_e2e');
    await page.getByLabel('Achternaam').fill('Jansen');
    await page.getByLabel('E-mailadres').fill('anna@e2e.test');
    await page.getByLabel('Wachtwoord').fill('a long password for anna');
    expect(await page.getByRole('checkbox').isChecked()).toBe(false);
    expect(await page.getByLabel('Achternaam').getAttribute('autocomplete')).toBe('family-name');
    await screenshot(page, 'sign-up');
    await page.getByRole('button', { name: 'Account aanmaken' }).last().click();
    await page.getByRole('heading', { name: 'Werkruimtes' }).waitFor();
    await page.getByRole('button', { name: /Uitloggen/ }).click();
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await page.getByLabel('Gebruikersnaam').fill('ANNA_E2E');
    await page.getByLabel('Achternaam').fill('Jansen');
    await page.getByLabel('E-mailadres').fill('other@e2e.test');
    await page.getByLabel('Wachtwoord').fill('a long password for anna');
    await page.getByRole('button', { name: 'Account aanmaken' }).last().click();
    expect(await page.getByRole('alert').textContent()).toContain('al in gebruik');
    await context.close();
  });

  it('two people chat live; one goes offline and back and misses nothing, with nothing doubled', { timeout: 90_000 }, async () => {
    const office = await signUpPerson(running.server.client(), { firstName: 'Olga' });
    const client = await signUpPerson(running.server.client(), { firstName: 'Kees' });
    const w = await createWorkspace(running.server.client(office.token), 'Kantoor Olga');
    await addMember(running.server.client(office.token), w, client.username);
    await createThread(running.server.client(office.token), w, 'Jaarrekening 2025');

    const officeContext = await running.browser.newContext();
    const clientContext = await running.browser.newContext();
    const officePage = await officeContext.newPage();
    const clientPage = await clientContext.newPage();
    await signIn(officePage, office);
    await signIn(clientPage, client);
    for (const page of [officePage, clientPage]) await page.getByRole('button', { name: 'Jaarrekening 2025' }).click();

    const say = async (page: Page, text: string) => {
      await page.getByLabel('Bericht').fill(text);
      await page.getByRole('button', { name: 'Versturen' }).click();
    };
    const bodies = (page: Page) => page.locator('.messages li[data-seq] .body').allTextContents();

    await say(officePage, 'Goedemorgen Kees, de jaarrekening staat klaar.');
    await clientPage.getByText('de jaarrekening staat klaar').waitFor();
    await say(clientPage, 'Dank je, ik kijk ernaar.');
    await officePage.getByText('ik kijk ernaar').waitFor();

    await clientContext.setOffline(true);
    await say(officePage, 'Nog één vraag over de auto van de zaak.');
    await say(officePage, 'En over de kilometerregistratie.');
    await clientContext.setOffline(false);
    await clientPage.getByText('kilometerregistratie').waitFor({ timeout: 60_000 });
    const seen = await bodies(clientPage);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    await screenshot(clientPage, 'chat');
    await officeContext.close();
    await clientContext.close();
  });

  it('shows who is typing, carries edits and deletions live, scrolls back through history and marks what is new', { timeout: 90_000 }, async () => {
    const office = await signUpPerson(running.server.client(), { firstName: 'Piet' });
    const client = await signUpPerson(running.server.client(), { firstName: 'Marie' });
    const w = await createWorkspace(running.server.client(office.token), 'Kantoor Piet');
    await addMember(running.server.client(office.token), w, client.username);
    const thread = await createThread(running.server.client(office.token), w, 'Loonheffing');
    for (let i = 1; i <= 45; i++) await post(running.server.client(office.token), thread, `Bericht nummer ${i}`);

    const clientContext = await signedInContext(running.browser, running.server, client);
    let clientPage = await openApp(clientContext, running.server);
    await clientPage.getByRole('button', { name: 'Loonheffing' }).click();
    const seqs = (page: Page) => page.locator('.messages li[data-seq]').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq'))));
    await clientPage.getByText('Bericht nummer 45').waitFor();
    expect(await seqs(clientPage)).toHaveLength(30);
    // scrolling to the top loads the page before
    await clientPage.locator('.messages').evaluate((list) => (list.scrollTop = 0));
    await clientPage.getByText('Bericht nummer 1', { exact: true }).waitFor();
    expect(await seqs(clientPage)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    await clientPage.close();

    // two messages arrive while the client is away: the marker sits before the first of them
    await post(running.server.client(office.token), thread, 'Nieuw: de loonstroken staan klaar');
    await post(running.server.client(office.token), thread, 'Nieuw: graag akkoord voor vrijdag');
    clientPage = await clientContext.newPage();
    await clientPage.goto(running.server.url);
    await clientPage.getByRole('button', { name: 'Loonheffing' }).click();
    const marker = clientPage.getByRole('separator', { name: 'Nieuwe berichten' });
    await marker.waitFor();
    expect(await marker.evaluate((li) => li.nextElementSibling?.getAttribute('data-seq'))).toBe('46');

    const officeContext = await signedInContext(running.browser, running.server, office);
    const officePage = await openApp(officeContext, running.server);
    await officePage.getByRole('button', { name: 'Loonheffing' }).click();
    await officePage.getByText('graag akkoord voor vrijdag').waitFor();
    await officePage.getByLabel('Bericht', { exact: true }).pressSequentially('Even kijken', { delay: 20 });
    await clientPage.getByText(`${office.username} typt`).waitFor();

    await officePage.getByLabel('Bericht', { exact: true }).press('Enter');
    await clientPage.getByText('Even kijken').waitFor();
    const own = officePage.locator('.messages li.own', { hasText: 'Even kijken' });
    await own.getByRole('button', { name: 'Bewerken' }).click();
    await officePage.getByLabel('Bericht bewerken').fill('Even kijken, ik bel u morgen');
    await officePage.getByRole('button', { name: 'Opslaan' }).click();
    await clientPage.getByText('Even kijken, ik bel u morgen').waitFor();
    expect(await clientPage.locator('.messages li', { hasText: 'ik bel u morgen' }).textContent()).toContain('(bewerkt)');
    await officePage.locator('.messages li.own', { hasText: 'ik bel u morgen' }).getByRole('button', { name: 'Verwijderen' }).click();
    await clientPage.getByText('Bericht verwijderd').waitFor();
    expect(await clientPage.getByText('ik bel u morgen').count()).toBe(0);
    // the client cannot edit the office's messages: no buttons on them
    expect(await clientPage.locator('.messages li:not(.own)').getByRole('button', { name: 'Bewerken' }).count()).toBe(0);
    await officeContext.close();
    await clientContext.close();
  });

  it('works at phone width with the keyboard, and the language switch changes the text and the page\u2019s lang', { timeout: 60_000 }, async () => {
    const person = await signUpPerson(running.server.client(), { firstName: 'Noor' });
    const w = await createWorkspace(running.server.client(person.token), 'Noor BV');
    await createThread(running.server.client(person.token), w, 'Btw kwartaal 3');
    const context = await signedInContext(running.browser, running.server, person, { viewport: { width: 390, height: 844 } });
    const page = await openApp(context, running.server);
    await page.getByRole('button', { name: 'Btw kwartaal 3' }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // every form field on the page has an accessible name
    const unlabelled = await page.locator('input, textarea, select').evaluateAll((fields) =>
      fields.filter((f) => !(f as HTMLInputElement).labels?.length && !f.getAttribute('aria-label')).map((f) => f.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    // the message box is reachable by keyboard and sends with Enter
    await page.getByLabel('Bericht', { exact: true }).focus();
    await page.keyboard.type('Via het toetsenbord');
    await page.keyboard.press('Enter');
    await page.locator('.messages li[data-seq]', { hasText: 'Via het toetsenbord' }).waitFor();
    await screenshot(page, 'chat-phone');

    await page.getByRole('combobox', { name: 'Taal', exact: true }).selectOption('en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('link', { name: 'Privacy centre' }).waitFor();
    await context.close();
  });
});
