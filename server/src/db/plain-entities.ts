import { ReferenceKind, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

type Column = { prop: string; column: string; date: boolean };
type Shape = { columns: Column[]; references: { prop: string; column: string; target: EntityMetadata }[] };
type EntityClass<T> = abstract new (...args: never[]) => T;

/**
 * A plain own property: the ORM's prototype setters would make a change-tracking wrapper per entity, which
 * an unmanaged entity does not need (and which was most of the cost of building one).
 */
const own = (target: object, prop: string, value: unknown) => Object.defineProperty(target, prop, { value, writable: true, enumerable: true, configurable: true });

const shapes = new WeakMap<EntityMetadata, Shape>();

function shapeOf(meta: EntityMetadata): Shape {
  let shape = shapes.get(meta);
  if (shape) return shape;
  const stored = (p: EntityProperty) => p.persist !== false && !p.lazy && p.fieldNames?.length === 1;
  shape = {
    columns: meta.props
      .filter((p) => p.kind === ReferenceKind.SCALAR && stored(p))
      .map((p) => ({ prop: p.name, column: p.fieldNames[0], date: p.runtimeType === 'Date' })),
    references: meta.props
      .filter((p) => p.kind === ReferenceKind.MANY_TO_ONE && stored(p))
      .map((p) => ({ prop: p.name, column: p.fieldNames[0], target: p.targetMeta! })),
  };
  shapes.set(meta, shape);
  return shape;
}

/**
 * Entities for the hottest reads (a thread page: the thread, its messages, their authors), built from the
 * rows of one hand-written SELECT instead of through the unit of work. The ORM's hydration and identity map
 * cost about 0.15 ms of CPU per row, more than the statement itself; these objects have the entity's class
 * (so its getters and the GraphQL type work) and every stored, non-lazy column the ORM would have loaded,
 * read from the entity's metadata so a new column cannot be forgotten. They are not managed: a service that
 * changes one loads it through the EntityManager.
 */
export class PlainEntities {
  constructor(private readonly em: EntityManager) {}

  private meta(entity: EntityClass<unknown>): EntityMetadata {
    return this.em.getMetadata().get(entity.name);
  }

  /** `alias.column as "prefix.column", …` for the entity's columns and its many-to-one keys. */
  columns(entity: EntityClass<unknown>, alias: string, prefix = alias): string {
    const { columns, references } = shapeOf(this.meta(entity));
    return [...columns, ...references].map(({ column }) => `${alias}."${column}" as "${prefix}.${column}"`).join(', ');
  }

  /**
   * One entity from a row selected with `columns(entity, _, prefix)`, or null when its key is null (an outer
   * join that found nothing). References not given are the EntityManager's (loaded on demand, batched).
   */
  build<T extends object>(entity: EntityClass<T>, row: Record<string, unknown>, prefix: string, given: Partial<Record<keyof T, object | null>> = {}): T | null {
    const meta = this.meta(entity);
    const { columns, references } = shapeOf(meta);
    if (row[`${prefix}.${meta.primaryKeys[0]}`] == null) return null;
    const built = Object.create(entity.prototype) as object;
    for (const { prop, column, date } of columns) {
      const value = row[`${prefix}.${column}`];
      own(built, prop, date && value != null && !(value instanceof Date) ? new Date(value as string) : value);
    }
    for (const { prop, column, target } of references) {
      const id = row[`${prefix}.${column}`];
      own(built, prop, prop in given ? given[prop as keyof T] : id == null ? null : this.em.getReference(target.class, id as never, { wrapped: true }));
    }
    return built as T;
  }
}
