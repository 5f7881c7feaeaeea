import { setPin } from './documents.js';
import type { Person } from './accounts.js';
import type { TestServer } from './server.js';

export const CREATE_PARTNER = `mutation($name: String!, $pin: String) { createPartner(name: $name, stepUp: { pin: $pin }) { apiKey partner { id name } } }`;
export const GRANT = `mutation($w: ID!, $p: ID!) { grantPartnerAccess(workspaceId: $w, partnerId: $p) }`;
export const REVOKE = `mutation($w: ID!, $p: ID!) { revokePartnerAccess(workspaceId: $w, partnerId: $p) }`;
export const SET_CONSENT = `mutation($purpose: ConsentPurpose!, $p: ID, $granted: Boolean!) { setConsent(input: { purpose: $purpose, partnerId: $p, granted: $granted }) { purpose granted source partner { id } } }`;

/** Makes the person a platform admin with a transaction PIN (for step-up), as the CLI and the privacy centre would. */
export async function platformAdmin(server: TestServer, person: Person, pin = '97531'): Promise<string> {
  await server.services.accounts.grantPlatformAdmin(server.orm.em.fork(), person.username);
  await setPin(server.client(person.token), pin, person.password);
  return pin;
}

export async function createPartner(server: TestServer, admin: Person, pin: string, name: string): Promise<{ id: string; apiKey: string }> {
  const created = (await server.client(admin.token).data(CREATE_PARTNER, { name, pin })).createPartner;
  return { id: created.partner.id, apiKey: created.apiKey };
}
