import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { Kind, parse, specifiedRules, validate, visit, type DocumentNode, type SelectionSetNode } from 'graphql';
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

describe("the React app's operations", () => {
  it('all fit the server\u2019s operation limits (depth, cost, aliases, tokens) and validate against the schema', async () => {
    const schema = await appSchema();
    const dir = join(repoRoot, 'client', 'src', 'graphql');
    const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const document = withTypenames(parse(readFileSync(join(dir, file), 'utf8'), { maxTokens: operationLimits.maxTokens }));
      const errors = validate(schema, document, [...specifiedRules, ...armor().validationRules]);
      expect(errors.map((e) => `${file}: ${e.message}`)).toEqual([]);
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
