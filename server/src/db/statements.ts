import type { EntityManager } from '@mikro-orm/postgresql';

/** Runs an update, insert or delete (in the manager's transaction, if any) and returns how many rows it touched. */
export async function affectedRows(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = (await em.execute(sql, params as never[], 'run')) as unknown as { affectedRows: number };
  return result.affectedRows;
}
