import type { TestServer } from './server.js';

/** A digest of every table's content, but the bookkeeping of an attempt itself (sessions touched, audit, counters). */
export async function databaseDigest(server: TestServer): Promise<string> {
  const tables = await server.sql<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const skip = new Set(['session', 'audit_event', 'usage_count', 'rate_limit', 'mikro_orm_migrations']);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    if (skip.has(table_name)) continue;
    const [row] = await server.sql<{ d: string | null }>(`select md5(string_agg(t::text, '|' order by t::text)) as d from "${table_name}" t`);
    parts.push(`${table_name}:${row.d}`);
  }
  return parts.join('\n');
}
