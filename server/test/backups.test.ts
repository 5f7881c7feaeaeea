import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_MAX_AGE_DAYS, createBackup, pruneBackups, restoreBackup } from '../src/db/backup.js';
import { signUpPerson } from './support/accounts.js';
import { createTestDatabase } from './support/database.js';
import { upload } from './support/documents.js';
import { runEntry } from './support/process.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createThread, createWorkspace, post } from './support/workspaces.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'client-online-backups-'));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const TABLES = ['users', 'workspace', 'membership', 'thread', 'message', 'message_event', 'document', 'document_content', 'consent', 'privacy_statement'];
const snapshot = async (query: (sql: string) => Promise<unknown[]>) => {
  const out: Record<string, unknown> = {};
  for (const table of TABLES) out[table] = await query(`select md5(string_agg(t::text, '|' order by t::text)) as digest, count(*) as n from "${table}" t`);
  return out;
};

/** pg_dump and pg_restore come from PATH (Debian's postgresql-client-15); a machine without them skips this. */
const hasPgTools = spawnSync('pg_dump', ['--version']).status === 0;

describe.skipIf(!hasPgTools)('backups (skipped: pg_dump is not on PATH; install postgresql-client-15)', () => {
  it('create → into an empty database → restore gives identical data, documents included', { timeout: 120_000 }, async () => {
    const person = await signUpPerson(server.client());
    const c = server.client(person.token);
    const w = await createWorkspace(c, 'Backup BV');
    await post(c, await createThread(c, w, 'Back me up'), 'Een bericht dat de back-up overleeft.');
    await upload(c, w);
    const before = await snapshot((sql) => server.sql(sql));

    const file = await createBackup(server.databaseUrl, dir);
    expect(file).toMatch(/client-online-\d{8}T\d{6}Z\.dump$/);

    const target = await createTestDatabase();
    try {
      await restoreBackup(target.url, file);
      const after = await snapshot(async (sql) => (await target.query(sql)).rows);
      expect(after).toEqual(before);
      // and restoring over data is refused: nothing is overwritten
      await expect(restoreBackup(target.url, file)).rejects.toThrow(/not empty/);
    } finally {
      await target.drop();
    }
  });

  it(`prune keeps none older than ${BACKUP_MAX_AGE_DAYS} days: a 57-day-old backup goes, a 55-day-old one stays`, async () => {
    const now = new Date('2026-11-24T03:00:00Z');
    const name = (daysAgo: number) => `client-online-${new Date(now.getTime() - daysAgo * 86_400_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.dump`;
    const pruneDir = await mkdtemp(join(dir, 'prune-'));
    for (const file of [name(57), name(55), 'notes.txt']) await writeFile(join(pruneDir, file), 'x');
    expect(await pruneBackups(pruneDir, now)).toEqual([name(57)]);
    expect((await readdir(pruneDir)).sort()).toEqual([name(55), 'notes.txt'].sort());
  });

  it('is one command: pnpm cli backup create', { timeout: 60_000 }, async () => {
    const cliDir = await mkdtemp(join(dir, 'cli-'));
    const cli = runEntry('src/cli.ts', ['backup', 'create'], { DATABASE_URL: server.databaseUrl, BACKUP_DIR: cliDir });
    expect(await cli.exited).toBe(0);
    expect(await readdir(cliDir)).toEqual([expect.stringMatching(/^client-online-.*\.dump$/)]);
  });
});
