import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { Kind, parse, print, specifiedRules, validate, visit, type ASTNode, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config.js';
import { armor, operationLimits } from '../src/http/operation-limits.js';
import { appSchema } from '../src/schema.js';

/** As Apollo Client sends them: __typename in every selection set below the root. */
function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: {
      leave(node: SelectionSetNode, _key, parent) {
        if (parent && 'kind' in parent && parent.kind === Kind.OPERATION_DEFINITION) return node;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename')) return node;
        return { ...node, selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
      },
    },
  });
}

/** The fragments a node spreads, and the ones those spread, by name. */
function usedFragments(node: ASTNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, found = new Map<string, FragmentDefinitionNode>()): FragmentDefinitionNode[] {
  visit(node, {
    FragmentSpread(spread) {
      const fragment = fragments.get(spread.name.value);
      if (fragment && !found.has(fragment.name.value)) {
        found.set(fragment.name.value, fragment);
        usedFragments(fragment, fragments, found);
      }
    },
  });
  return [...found.values()];
}

describe("the React app's operations", () => {
  it('all fit the server\u2019s operation limits (depth, cost, aliases, tokens) and validate against the schema', async () => {
    const schema = await appSchema();
    const dir = join(repoRoot, 'client', 'src', 'graphql');
    const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
    expect(files.length).toBeGreaterThan(0);
    // fragments may be shared between files, as codegen reads them all as one document
    const all = parse(files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n'));
    const fragments = new Map(all.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
    for (const operation of all.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)) {
      // each operation is sent on its own with the fragments it uses (as Apollo Client does): it must fit the limits that way
      const document = withTypenames(parse(print({ kind: Kind.DOCUMENT, definitions: [operation, ...usedFragments(operation, fragments)] }), { maxTokens: operationLimits.maxTokens }));
      const errors = validate(schema, document, [...specifiedRules, ...armor().validationRules]);
      expect(errors.map((e) => `${operation.name?.value}: ${e.message}`)).toEqual([]);
    }
  });
});

describe("the React app's generated types", () => {
  it('are what codegen.ts makes from the committed schema (run `pnpm codegen` when this fails)', async () => {
    const { generate } = await import('@graphql-codegen/cli');
    const config = (await import(join(repoRoot, 'codegen.ts'))).default;
    const previous = process.cwd();
    process.chdir(repoRoot);
    try {
      const [output] = await generate(config, false);
      expect(readFileSync(join(repoRoot, output.filename), 'utf8')).toBe(output.content);
    } finally {
      process.chdir(previous);
    }
  });
});
