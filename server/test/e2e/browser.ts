import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot } from '../../src/config.js';
import { SESSION_COOKIE } from '../../src/http/credentials.js';
import type { Person } from '../support/accounts.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Debian's Chromium (CI installs it with apt; Playwright's own download cannot run here). */
const CHROMIUM = '/usr/bin/chromium';
export const browserReady = existsSync(CHROMIUM) && existsSync(join(repoRoot, 'client', 'dist', 'index.html'));
export const skipReason = '(skipped: needs /usr/bin/chromium and a built client; pnpm test builds it)';
const screenshots = join(repoRoot, 'client', 'e2e', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A browser context already signed in as the person: their session token as the app's httpOnly cookie. */
export async function signedInContext(browser: Browser, server: TestServer, person: Person, options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, acceptDownloads: true });
  await context.addCookies([{ name: SESSION_COOKIE, value: person.token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

/** Opens a page of the app and waits until it shows the signed-in header. */
export async function openApp(context: BrowserContext, server: TestServer, path = '/'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url + path);
  await page.getByRole('button', { name: /Uitloggen/ }).waitFor();
  return page;
}

/** Saved under client/e2e/screenshots (committed), so a reviewer sees the pages as the test left them. */
export function screenshot(page: Page, name: string) {
  return page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** A server with a fresh database and a browser for the test file, started before its tests and closed after. */
export function serverAndBrowser(): { server: TestServer; browser: Browser } {
  const running = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    running.server = await startTestServer();
    running.browser = await launchBrowser();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.close();
  });
  return running;
}
