import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUpPerson } from '../support/accounts.js';
import { pdfBytes, setPin } from '../support/documents.js';
import { addMember, createWorkspace } from '../support/workspaces.js';
import { browserReady, serverAndBrowser, openApp, screenshot, signedInContext, skipReason } from './browser.js';


/** Drops a file on the drop zone the way a running.browser does: a drop event whose DataTransfer holds the file. */
async function dropFile(page: Page, name: string, bytes: Buffer, mimeType: string) {
  const transfer = await page.evaluateHandle(
    ({ name, base64, mimeType }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: mimeType }));
      return transfer;
    },
    { name, base64: bytes.toString('base64'), mimeType },
  );
  await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: transfer });
}

describe.skipIf(!browserReady)(`documents and approvals in a real browser ${skipReason}`, () => {
  const running = serverAndBrowser();

  it('the office uploads a PDF by drag and drop and asks the client; the client approves with a PIN; both see APPROVED live', { timeout: 90_000 }, async () => {
    const office = await signUpPerson(running.server.client(), { firstName: 'Olga' });
    const client = await signUpPerson(running.server.client(), { firstName: 'Kees' });
    const w = await createWorkspace(running.server.client(office.token), 'Kantoor Olga');
    await addMember(running.server.client(office.token), w, client.username);
    await setPin(running.server.client(client.token), '24680', client.password);

    const officePage = await openApp(await signedInContext(running.browser, running.server, office), running.server, '/documents');
    const clientPage = await openApp(await signedInContext(running.browser, running.server, client), running.server, '/documents');
    await clientPage.getByText('Nog geen documenten.').waitFor();

    await dropFile(officePage, 'Aangifte 2025.pdf', pdfBytes('Aangifte 2025 van Kees'), 'application/pdf');
    await officePage.getByText('Gekozen: Aangifte 2025.pdf').waitFor();
    await officePage.getByRole('combobox', { name: /^Soort/ }).selectOption('TAX_RETURN');
    await officePage.getByRole('button', { name: 'Uploaden' }).click();
    await officePage.getByRole('link', { name: 'Aangifte 2025.pdf' }).waitFor();
    // the client's list follows live (DOCUMENT_ADDED)
    await clientPage.getByRole('link', { name: 'Aangifte 2025.pdf' }).waitFor();

    await officePage.getByRole('button', { name: 'Akkoord voor Aangifte 2025.pdf' }).click();
    await officePage.getByRole('checkbox', { name: client.username }).check();
    await officePage.getByRole('button', { name: 'Akkoord vragen' }).click();
    const clientRow = clientPage.getByRole('row', { name: /Aangifte 2025\.pdf/ });
    await clientRow.getByText('In afwachting').waitFor();

    await clientPage.getByRole('button', { name: 'Akkoord voor Aangifte 2025.pdf' }).click();
    await clientPage.getByRole('button', { name: 'Beoordelen' }).click();
    const dialog = clientPage.getByRole('dialog');
    // a wrong PIN is refused with a clear message, and the dialog stays
    await dialog.getByLabel('Transactiepincode').fill('11111');
    await dialog.getByRole('button', { name: 'Bevestigen' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('pincode');
    await dialog.getByLabel('Toelichting').fill('Akkoord, dank je');
    await dialog.getByLabel('Transactiepincode').fill('24680');
    await dialog.getByRole('button', { name: 'Bevestigen' }).click();

    await clientRow.getByText('Akkoord', { exact: true }).waitFor();
    const officeRow = officePage.getByRole('row', { name: /Aangifte 2025\.pdf/ });
    await officeRow.getByText('Akkoord', { exact: true }).waitFor();
    // the office (owner) reads the approval log with the approver's name
    const log = officePage.getByRole('table', { name: 'Akkoordlog' });
    await log.getByText('Akkoord, dank je').waitFor();
    expect(await log.textContent()).toContain('Kees');
    await screenshot(officePage, 'documents');

    // the download is the uploaded file
    const [download] = await Promise.all([clientPage.waitForEvent('download'), clientPage.getByRole('link', { name: 'Aangifte 2025.pdf' }).click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(pdfBytes('Aangifte 2025 van Kees'))).toBe(true);
  });

  it('refuses a file that is not a PDF, PNG or JPEG with a clear error and stores nothing', { timeout: 60_000 }, async () => {
    const office = await signUpPerson(running.server.client());
    await createWorkspace(running.server.client(office.token), 'Kantoor Test');
    const page = await openApp(await signedInContext(running.browser, running.server, office), running.server, '/documents');
    await dropFile(page, 'notes.pdf', Buffer.from('just some text, not a pdf'), 'application/pdf');
    await page.getByRole('button', { name: 'Uploaden' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Controleer de invoer');
    expect(await page.getByText('Nog geen documenten.').isVisible()).toBe(true);
  });
});
