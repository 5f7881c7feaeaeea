import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config.js';
import { signUpPerson, type Person } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addMember, createThread, createWorkspace } from '../support/workspaces.js';

const CHROMIUM = '/usr/bin/chromium';
const ready = existsSync(CHROMIUM) && existsSync(join(repoRoot, 'client', 'dist', 'index.html'));
const screenshots = join(repoRoot, 'client', 'e2e', 'screenshots');

let server: TestServer;
let browser: Browser;

describe.skipIf(!ready)('the app in a real browser (skipped: needs /usr/bin/chromium and a built client; pnpm test builds it)', () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, person: Person) {
    await page.goto(server.url);
    await page.getByLabel('Gebruikersnaam of e-mailadres').fill(person.username);
    await page.getByLabel('Wachtwoord').fill(person.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('heading', { name: 'Werkruimtes' }).waitFor();
  }

  it('signs up with only what the privacy statement asks, newsletter unticked, and shows a clear error for a taken name', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await page.getByLabel('Gebruikersnaam').fill('anna_e2e');
    await page.getByLabel('Achternaam').fill('Jansen');
    await page.getByLabel('E-mailadres').fill('anna@e2e.test');
    await page.getByLabel('Wachtwoord').fill('a long password for anna');
    expect(await page.getByRole('checkbox').isChecked()).toBe(false);
    expect(await page.getByLabel('Achternaam').getAttribute('autocomplete')).toBe('family-name');
    await page.screenshot({ path: join(screenshots, 'sign-up.png') });
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
    const office = await signUpPerson(server.client(), { firstName: 'Olga' });
    const client = await signUpPerson(server.client(), { firstName: 'Kees' });
    const w = await createWorkspace(server.client(office.token), 'Kantoor Olga');
    await addMember(server.client(office.token), w, client.username);
    await createThread(server.client(office.token), w, 'Jaarrekening 2025');

    const officeContext = await browser.newContext();
    const clientContext = await browser.newContext();
    const officePage = await officeContext.newPage();
    const clientPage = await clientContext.newPage();
    await signIn(officePage, office);
    await signIn(clientPage, client);
    for (const page of [officePage, clientPage]) await page.getByRole('button', { name: 'Jaarrekening 2025' }).click();

    const say = async (page: Page, text: string) => {
      await page.getByLabel('Bericht').fill(text);
      await page.getByRole('button', { name: 'Versturen' }).click();
    };
    const bodies = (page: Page) => page.locator('.messages li').allTextContents();

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
    await clientPage.screenshot({ path: join(screenshots, 'chat.png') });
    await officeContext.close();
    await clientContext.close();
  });
});
