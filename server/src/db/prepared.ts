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
 * Connections told to keep one plan per named statement. Left to choose, PostgreSQL tries a plan made for the
 * parameters at hand five times, then keeps a generic one only if it does not look dearer; for a thread page its
 * guess at `limit $n` (a tenth of the longest thread) made the generic plan look dear once a thread was long, and
 * every later run was planned again (0.25 ms, as long as running it). The statements here are written so that
 * the generic plan is the right one for every value (the page by its index, authors by key). The setting touches
 * nothing else: the ORM's statements are unnamed, and PostgreSQL plans those for their values each time anyway.
 */
const planOnce = new WeakSet<object>();

/**
 * Runs one of the hottest statements (a thread page, a post) as a named prepared statement on a connection of the
 * ORM's own pool: PostgreSQL plans it once per connection instead of at every request (for a thread page, planning
 * took as long as running it), and the ORM's query path (inlining the parameters into the text, knex's runner) is
 * skipped. The SQL uses `?` placeholders, as em.execute does; a `?` cannot appear otherwise. Inside a
 * transaction it runs in the transaction, through the ORM. Errors come out as the ORM's (a unique violation as
 * UniqueConstraintViolationException), as from em.execute.
 */
export async function preparedRows(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  if (em.isInTransaction()) return em.execute(sql, params);
  const { name, text } = statementOf(sql);
  const pool = em.getConnection().getKnex().client as PoolClient;
  const connection = await pool.acquireConnection();
  try {
    if (!planOnce.has(connection)) {
      await connection.query({ name: '', text: 'set plan_cache_mode = force_generic_plan', values: [] });
      planOnce.add(connection);
    }
    return (await connection.query({ name, text, values: params })).rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  } finally {
    await pool.releaseConnection(connection);
  }
}
