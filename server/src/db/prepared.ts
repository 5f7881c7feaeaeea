import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

type PgConnection = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }> };
type PoolClient = { acquireConnection(): Promise<PgConnection>; releaseConnection(connection: PgConnection): Promise<unknown> };

/** The statement with PostgreSQL's $1, $2… for its `?`s, and a name that is the same wherever the text is. */
const statements = new Map<string, { name: string; text: string }>();
function statementOf(sql: string) {
  let statement = statements.get(sql);
  if (!statement) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    statement = { name: `co_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`, text };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Runs one of the hottest reads (a thread page) as a named prepared statement on a connection of the ORM's own
 * pool: PostgreSQL plans it once per connection instead of at every request (for a thread page, planning took as
 * long as running it), and the ORM's query path (inlining the parameters into the text, knex's runner) is
 * skipped. The SQL uses `?` placeholders, as em.execute does; a `?` cannot appear otherwise. Inside a
 * transaction it runs in the transaction, through the ORM.
 */
export async function preparedRows(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  if (em.isInTransaction()) return em.execute(sql, params);
  const { name, text } = statementOf(sql);
  const pool = em.getConnection().getKnex().client as PoolClient;
  const connection = await pool.acquireConnection();
  try {
    return (await connection.query({ name, text, values: params })).rows;
  } finally {
    await pool.releaseConnection(connection);
  }
}
