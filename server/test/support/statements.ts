import pg from 'pg';

/**
 * Counts the SQL statements the server sends while `work` runs (the server runs in this process in tests,
 * and every statement goes through pg's Client.query). The job queue's own polling (schema pgboss) runs on
 * its timer, not for the request, and is left out.
 */
export async function countStatements(work: () => Promise<unknown>): Promise<{ count: number; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '?');
    if (!/\bpgboss\./.test(text)) statements.push(text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return { count: statements.length, statements };
}
