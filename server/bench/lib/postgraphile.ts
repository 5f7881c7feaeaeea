import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../../test/support/ports.js';
import { start, type Child } from './processes.js';

/**
 * PostGraphile 5, the query baseline. It needs Node 22 (Promise.withResolvers), so the benchmark installs Node 22
 * from the `node` npm package beside it, in server/bench/.postgraphile (not part of the workspace, not committed),
 * and runs it there: only in the benchmark, on 127.0.0.1, for the length of the measurement.
 */
const dir = fileURLToPath(new URL('../.postgraphile', import.meta.url));
const NODE = 'node@22.23.3';
const POSTGRAPHILE = 'postgraphile@5.1.5';

export const POSTGRAPHILE_THREAD_QUERY = `query($id: UUID!) { threadByRowId(rowId: $id) { rowId title messagesByThreadId(last: 20, orderBy: SEQ_ASC) { nodes { rowId seq body createdAt userByAuthorId { rowId username lastName } } } } }`;

async function install(): Promise<void> {
  if (existsSync(join(dir, 'node_modules', '.bin', 'postgraphile')) && existsSync(join(dir, 'node_modules', '.bin', 'node'))) return;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'bench-postgraphile', private: true }));
  await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--no-save', NODE, POSTGRAPHILE], { cwd: dir, timeout: 300_000 });
}

/** The Node 22 installed beside PostGraphile: its path and version. */
async function node22(): Promise<{ node: string; nodeVersion: string }> {
  await install();
  const node = join(dir, 'node_modules', '.bin', 'node');
  return { node, nodeVersion: (await promisify(execFile)(node, ['--version'])).stdout.trim() };
}

export async function startPostGraphile(databaseUrl: string): Promise<Child & { url: string; node: string; nodeVersion: string }> {
  const { node, nodeVersion } = await node22();
  const port = await freePort();
  const child = await start(
    join(dir, 'node_modules', '.bin', 'postgraphile'),
    { GRAPHILE_ENV: 'production' },
    'Server listening',
    120_000,
    [],
    { command: node, cwd: dir, args: ['--preset', 'postgraphile/presets/amber', '-c', databaseUrl, '-s', 'public', '-p', String(port), '-n', '127.0.0.1'] },
  );
  return { ...child, url: `http://127.0.0.1:${port}`, node, nodeVersion };
}
