import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import {
  buildSchema,
  findBreakingChanges,
  isObjectType,
  printSchema,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../scripts/docs.js';
import { repoRoot } from '../src/config.js';
import { FIELD_RULE, OPERATION_RULE } from '../src/policy/decorators.js';
import { fieldRules } from '../src/policy/field-rules.js';
import { operationRules } from '../src/policy/operation-rules.js';
import { appSchema } from '../src/schema.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const contract = buildSchema(read('schema/contract.graphql'));
const ROOTS = ['Query', 'Mutation', 'Subscription'];

describe('the emitted schema', () => {
  it('is committed as schema/schema.graphql, and the policy documents are not stale (run `pnpm schema`)', async () => {
    for (const [path, content] of Object.entries(await generatedFiles())) {
      expect(read(path), `${path} is stale: run pnpm schema`).toBe(content);
    }
  });

  it('keeps the whole contract: findBreakingChanges(contract, emitted) is empty', async () => {
    const emitted = buildSchema(read('schema/schema.graphql'));
    expect(findBreakingChanges(contract, emitted)).toEqual([]);
  });

  it('adds no operation the contract does not have but these, each with its reason (a misspelt name would slip through otherwise)', async () => {
    const emitted = await appSchema();
    const allowedAdditions: Record<string, string> = {
      'Mutation.revokePartnerKey': 'partner keys must be revocable (issue 5); the contract has no operation for it',
      'Query.newsletters': "a newsletter's delivery progress must be visible (issue 5); the contract has no query for it",
      'Query.partnerDirectory': 'a workspace admin chooses whom to let in (issue 7); the contract lists partners to platform admins only',
      'Mutation.liftProcessingRestriction': 'a restriction of processing holds until lifted (issue 6); the contract has no operation for it',
    };
    const additions: string[] = [];
    for (const root of ROOTS) {
      const ours = emitted.getType(root) as GraphQLObjectType | undefined;
      const theirs = contract.getType(root) as GraphQLObjectType;
      for (const name of Object.keys(ours?.getFields() ?? {})) if (!(name in theirs.getFields())) additions.push(`${root}.${name}`);
    }
    expect(additions.sort()).toEqual(Object.keys(allowedAdditions).sort());
  });

  it('reads plain fields as properties: only fields that compute something or carry a rule have a resolver', async () => {
    const emitted = await appSchema();
    const fields = (type: string) => (emitted.getType(type) as GraphQLObjectType).getFields();
    // a thread page's rows: each plain field read straight from the entity, no per-field wrapper
    for (const name of ['id', 'seq', 'createdAt']) expect(fields('Message')[name].resolve, `Message.${name}`).toBeUndefined();
    for (const name of ['id', 'username']) expect(fields('User')[name].resolve, `User.${name}`).toBeUndefined();
    // a field resolver stays, and a [personal] field keeps its rule in front
    expect(fields('Message').author.resolve).toBeTypeOf('function');
    for (const [type, name] of [['User', 'lastName'], ['Message', 'body']]) {
      expect(fields(type)[name].extensions[FIELD_RULE], `${type}.${name}`).toBeDefined();
      expect(fields(type)[name].resolve, `${type}.${name}`).toBeTypeOf('function');
    }
  });

  it('ships schema/contract.graphql unchanged from the shared contract (when ../shared is there)', () => {
    const shared = join(repoRoot, '..', 'shared', 'contract', 'schema.graphql');
    if (!existsSync(shared)) return; // a user's clone: the copy is all there is
    expect(read('schema/contract.graphql')).toBe(readFileSync(shared, 'utf8'));
  });
});

describe('the policy', () => {
  it('names a rule for every personal field (marked [personal] here or in the contract)', async () => {
    const schema = await appSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const contractType = contract.getType(type.name);
      for (const field of Object.values(type.getFields())) {
        const contractField = isObjectType(contractType) ? contractType.getFields()[field.name] : undefined;
        const personal = [field.description, contractField?.description].some((d) => d?.includes('[personal]'));
        const rule = field.extensions?.[FIELD_RULE] as string | undefined;
        if (personal && !rule) missing.push(`${type.name}.${field.name}`);
        if (rule) expect(Object.keys(fieldRules)).toContain(rule);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names a rule for every query, mutation and subscription', async () => {
    const schema = await appSchema();
    const unguarded: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        const rule = field.extensions?.[OPERATION_RULE] as string | undefined;
        if (!rule || !(rule in operationRules)) unguarded.push(`${root!.name}.${field.name}`);
      }
    }
    expect(unguarded).toEqual([]);
  });

  it('prints the same schema on every build (sorted, stable)', async () => {
    expect(printSchema(await appSchema())).toBe(printSchema(await appSchema()));
  });
});
