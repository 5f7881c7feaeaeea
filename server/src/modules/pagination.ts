import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from '../errors.js';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export type Edge<T> = { cursor: string; node: T };
export type Connection<T> = { edges: Edge<T>[]; pageInfo: PageInfo };

/** The Relay connection types of one node type: <Name>Edge and <Name>Connection. */
export function connectionTypes<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => Node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return { EdgeType, ConnectionType };
}

export const MAX_PAGE = 100;

/** A page size from the arguments: within 0..MAX_PAGE, else BAD_USER_INPUT (never silently huge). */
export function pageSize(value: number | null | undefined, fallback: number, name: string): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw badInput(`${name} must be between 0 and ${MAX_PAGE}.`, name);
  return value;
}

/** Cursors are opaque to clients: base64url of a small JSON array. */
export const encodeCursor = (parts: (string | number)[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');
export function decodeCursor(cursor: string | null | undefined, name: string): (string | number)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string' || typeof p === 'number')) return parts;
  } catch {
    // falls through to the error
  }
  throw badInput(`${name} is not a valid cursor.`, name);
}

/** An edge whose cursor is encoded when it is read: a page of 20 rows is mostly asked for its nodes. */
class Edged<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => string,
  ) {}
  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** Makes a connection from rows fetched with one extra (to know whether more exist), in display order. */
export function toConnection<T>(rows: T[], limit: number, cursorOf: (row: T) => string, direction: 'forward' | 'backward', hasCursor: boolean): Connection<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  if (direction === 'backward') page.reverse();
  const edges: Edge<T>[] = page.map((node) => new Edged(node, cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: direction === 'forward' ? more : hasCursor,
      hasPreviousPage: direction === 'backward' ? more : hasCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A page of rows ordered by (createdAt, id), oldest or newest first, with a keyset cursor. */
export async function pageByCreation<T extends { createdAt: Date; id: string }>(
  em: EntityManager,
  entity: ClassType<T>,
  where: Record<string, unknown>,
  args: { first?: number | null; after?: string | null },
  order: 'asc' | 'desc',
): Promise<Connection<T>> {
  const limit = pageSize(args.first, 50, 'first');
  const after = decodeCursor(args.after, 'after');
  const beyond = order === 'asc' ? '$gt' : '$lt';
  const filter = after
    ? { ...where, $or: [{ createdAt: { [beyond]: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { [beyond]: String(after[1]) } }] }
    : where;
  const rows = (await em.find(entity, filter as never, { orderBy: [{ createdAt: order }, { id: order }] as never, limit: limit + 1 })) as T[];
  return toConnection(rows, limit, (r) => encodeCursor([r.createdAt.toISOString(), r.id]), 'forward', after !== null);
}
