import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
/** The privacy statement's promise: no backup is kept past 56 days. */
export const BACKUP_MAX_AGE_DAYS = 56;
const NAME = /^client-online-(\d{8}T\d{6}Z)\.dump$/;

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
const parseStamp = (s: string) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);

/** A compressed pg_dump (custom format) of the whole database, documents included. Returns its path. */
export async function createBackup(url: string, dir: string, now = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `client-online-${stamp(now)}.dump`);
  await run('pg_dump', ['--format=custom', '--compress=6', '--no-owner', '--file', file, '--dbname', url]);
  return file;
}

/** Deletes backups older than 56 days (by the time in their name); returns what it deleted. */
export async function pruneBackups(dir: string, now = new Date(), maxAgeDays = BACKUP_MAX_AGE_DAYS): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const cutoff = now.getTime() - maxAgeDays * 86_400_000;
  const deleted: string[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const taken = parseStamp(match[1]).getTime();
    const time = Number.isNaN(taken) ? (await stat(join(dir, name))).mtimeMs : taken;
    if (time < cutoff) {
      await rm(join(dir, name));
      deleted.push(name);
    }
  }
  return deleted;
}

/** Restores a backup into an empty database (refuses one that has tables: nothing is overwritten). */
export async function restoreBackup(url: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`);
    if (rows[0].n > 0) throw new Error('The target database is not empty; restore into a new, empty database.');
  } finally {
    await client.end();
  }
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', url, file]);
}
