import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../src/config.js';
import { appSchema, printAppSchema } from '../src/schema.js';
import { permissionsMarkdown, privacyMatrixMarkdown } from '../src/policy/matrix.js';

/** The committed files made from the code: the emitted schema and the policy's documents. Tests fail when they are stale. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const schema = await appSchema();
  return {
    'schema/schema.graphql': printAppSchema(schema),
    'docs/privacy-matrix.md': await privacyMatrixMarkdown(schema),
    'docs/permissions.md': permissionsMarkdown(schema),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  for (const [path, content] of Object.entries(await generatedFiles())) {
    await writeFile(join(repoRoot, path), content);
    console.log(`wrote ${path}`);
  }
}
