import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationRuleAssignments } from '../../src/policy/matrix.js';
import { appSchema } from '../../src/schema.js';
import { signUpPerson, type Person } from '../support/accounts.js';
import { DECIDE, REQUEST_APPROVAL, setPin, upload } from '../support/documents.js';
import type { GraphQLClient } from '../support/graphql-client.js';
import { createPartner, GRANT, platformAdmin } from '../support/partners.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { databaseDigest } from '../support/snapshot.js';
import { addMember, createThread, createWorkspace, post } from '../support/workspaces.js';

let server: TestServer;
let schema: GraphQLSchema;
let victim: Person, outsider: Person, admin: Person;
let partnerKey: string;
/** ids of the victim's objects, by kind */
const victimIds: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production' });
  schema = await appSchema();
  [victim, outsider, admin] = await Promise.all([0, 1, 2].map(() => signUpPerson(server.client())));
  const adminPin = await platformAdmin(server, admin);
  const office = await signUpPerson(server.client());
  const c = server.client(office.token);
  victimIds.workspace = await createWorkspace(c, 'Victim BV');
  await addMember(c, victimIds.workspace, victim.username);
  victimIds.thread = await createThread(c, victimIds.workspace, 'Private');
  victimIds.message = (await post(server.client(victim.token), victimIds.thread, 'private words')).id;
  victimIds.document = (await upload(c, victimIds.workspace)).id;
  victimIds.approvalRequest = (await c.data(REQUEST_APPROVAL, { d: victimIds.document, a: [victim.id] })).requestApproval.id;
  await setPin(server.client(victim.token), '1357', victim.password);
  await server.client(victim.token).data(DECIDE, { r: victimIds.approvalRequest, approve: true, pin: '1357' });
  victimIds.user = victim.id;
  victimIds.privacyRequest = (await server.client(victim.token).data(`mutation { submitPrivacyRequest(input: { type: ACCESS }) { id } }`)).submitPrivacyRequest.id;
  const partner = await createPartner(server, admin, adminPin, 'Access test partner');
  victimIds.partner = partner.id;
  partnerKey = partner.apiKey;
  // the partner may read this one workspace, not the victim's
  const own = await createWorkspace(server.client(outsider.token), 'Outsider BV');
  await server.client(outsider.token).data(GRANT, { w: own, p: partner.id });
});
afterAll(() => server?.close());

/** A value of the type that parses, for arguments other than the ones under test. */
function sample(type: GraphQLInputType, idValue: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, idValue);
  if (isListType(type)) return [sample(type.ofType, idValue)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) if (isNonNullType(field.type)) out[field.name] = sample(field.type, idValue);
    return out;
  }
  if (isScalarType(type)) {
    return { ID: idValue, String: 'probe text long enough', Int: 1, Boolean: true, DateTimeISO: new Date().toISOString() }[type.name] ?? 'x';
  }
  return null;
}

function hasId(type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  return isInputObjectType(named) && Object.values(named.getFields()).some((f) => isNonNullType(f.type) && hasId(f.type));
}

function operationText(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a: GraphQLArgument) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

const roots = () =>
  (['query', 'mutation'] as const).flatMap((kind) => Object.values((kind === 'query' ? schema.getQueryType() : schema.getMutationType())!.getFields()).map((field) => ({ kind, field })));

const snapshot = () => databaseDigest(server);

describe('function-level: every admin operation, generated from the schema', () => {
  it('is FORBIDDEN to a person who is not a platform admin and to a partner, and UNAUTHENTICATED anonymously, changing nothing', async () => {
    const adminOnly = new Set(operationRuleAssignments(schema).filter((o) => o.rule === 'platformAdmin').map((o) => o.operation));
    expect(adminOnly.size).toBeGreaterThanOrEqual(8);
    const before = await snapshot();
    const callers: [string, GraphQLClient, string][] = [
      ['a person', server.client(outsider.token), 'FORBIDDEN'],
      ['a partner', server.partnerClient(partnerKey), 'FORBIDDEN'],
      ['anonymous', server.client(), 'UNAUTHENTICATED'],
    ];
    const wrong: string[] = [];
    for (const { kind, field } of roots()) {
      const name = `${kind === 'query' ? 'Query' : 'Mutation'}.${field.name}`;
      if (!adminOnly.has(name)) continue;
      const variables = Object.fromEntries(field.args.map((a) => [a.name, sample(a.type, victimIds.user)]));
      for (const [who, client, expected] of callers) {
        const result = await client.request(operationText(kind, field), variables);
        const code = result.errors?.[0]?.extensions?.code;
        if (code !== expected || result.data?.[field.name]) wrong.push(`${name} by ${who}: ${code ?? 'no error'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});

describe("object-level (IDOR): every operation that takes an id, with another person's ids, generated from the schema", () => {
  /** where an id of someone else's object is not a secret, and why */
  const allowed: Record<string, string> = {
    'Query.user': "a signed-in person may see another's username (and nothing personal): members are found by it",
    'Mutation.setConsent': 'consenting (or not) to a partner is the person\u2019s own choice; partners are not secret',
  };

  it('answers NOT_FOUND, FORBIDDEN or BAD_USER_INPUT to an outsider and changes nothing', async () => {
    const before = await snapshot();
    const outsiderClient = server.client(outsider.token);
    const leaks: string[] = [];
    let tried = 0;
    for (const { kind, field } of roots()) {
      const name = `${kind === 'query' ? 'Query' : 'Mutation'}.${field.name}`;
      if (!field.args.some((a) => hasId(a.type)) || name in allowed) continue;
      for (const [idKind, id] of Object.entries(victimIds)) {
        const variables = Object.fromEntries(field.args.map((a) => [a.name, sample(a.type, id)]));
        const result = await outsiderClient.request(operationText(kind, field), variables);
        tried++;
        const code = result.errors?.[0]?.extensions?.code;
        if (!['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT'].includes(String(code))) leaks.push(`${name} with the victim's ${idKind}: ${code ?? JSON.stringify(result.data)}`);
      }
    }
    console.log(`IDOR cases tried: ${tried}`);
    expect(tried).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});
