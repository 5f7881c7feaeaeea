import { ReferenceKind, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

type Column = { prop: string; column: string; date: boolean; secret: boolean };
type Reference = { prop: string; column: string; target: EntityMetadata };
/** builds one entity from a row with a given prefix, or returns null when the row has no key for it */
type Builder = (row: Record<string, unknown>, em: EntityManager, given: Record<string, unknown>) => object | null;
type Shape = { columns: Column[]; references: Reference[]; prototype: object; builders: Map<string, Builder> };
type EntityClass<T> = abstract new (...args: never[]) => T;

const shapes = new WeakMap<EntityMetadata, Shape>();

/** What a built entity holds in place of a secret that is set (see PlainEntities.columns). */
export const WITHHELD = 'withheld';

/**
 * A built entity's references: the keys read from its row, and the references given or made from them (when
 * first read) or assigned since. Kept in one slot, not as own properties: defining a property per reference on
 * every row cost more than building the row.
 */
const LINKS = Symbol('references');
type Links = { em: EntityManager; keys: Record<string, unknown>; made: Record<string, unknown> };
type Built = Record<string, unknown> & { [LINKS]?: Links };

function shapeOf(meta: EntityMetadata): Shape {
  let shape = shapes.get(meta);
  if (shape) return shape;
  const stored = (p: EntityProperty) => p.persist !== false && !p.lazy && p.fieldNames?.length === 1;
  const columns = meta.props
    .filter((p) => p.kind === ReferenceKind.SCALAR && stored(p))
    .map((p) => ({ prop: p.name, column: p.fieldNames[0], date: p.runtimeType === 'Date', secret: p.hidden === true }));
  const references = meta.props
    .filter((p) => p.kind === ReferenceKind.MANY_TO_ONE && stored(p))
    .map((p) => ({ prop: p.name, column: p.fieldNames[0], target: p.targetMeta! }));
  // The ORM puts a setter for every property on the entity's prototype, which makes a change-tracking wrapper
  // per entity on the first assignment. Writable data properties in between shadow those setters: assigning
  // then just makes an own property, as on any object (an unmanaged entity tracks nothing).
  const prototype = Object.create(meta.prototype as object) as object;
  for (const { prop } of columns) Object.defineProperty(prototype, prop, { value: undefined, writable: true, configurable: true });
  // A reference is made when first read: the ORM makes and registers an entity for each, which costs more than
  // building the row, and a request often needs only the key (keyOf).
  for (const { prop, target } of references) {
    Object.defineProperty(prototype, prop, {
      configurable: true,
      // only entities build() made have this prototype, and build() gives each its links
      get(this: Built) {
        const links = this[LINKS]!;
        if (prop in links.made) return links.made[prop];
        const id = links.keys[prop];
        return (links.made[prop] = id == null ? null : links.em.getReference(target.class, id as never, { wrapped: true }));
      },
      set(this: Built, value: unknown) {
        this[LINKS]!.made[prop] = value;
      },
    });
  }
  shape = { columns, references, prototype, builders: new Map() };
  shapes.set(meta, shape);
  return shape;
}

const toDate = (value: unknown) => (value != null && !(value instanceof Date) ? new Date(value as number) : value);

/**
 * The SQL for each column's value, then each many-to-one key's: a secret only as whether it is set, a time as
 * milliseconds since the epoch (whole ones, as a Date holds). Inside the JSON a thread page is read as, a time
 * would be text, and making a Date from text took 4x as long as from a number.
 */
function valuesOf(shape: Shape, alias: string): string[] {
  const value = ({ column, secret, date }: Pick<Column, 'column' | 'secret' | 'date'>) =>
    secret
      ? `case when ${alias}."${column}" is null then null else '${WITHHELD}' end`
      : date
        ? `floor(extract(epoch from ${alias}."${column}") * 1000)::float8`
        : `${alias}."${column}"`;
  return [...shape.columns.map(value), ...shape.references.map(({ column }) => value({ column, secret: false, date: false }))];
}

/** Where a builder finds a column's value: a row's `prefix.column`, or a JSON array's nth value. */
type ValueAt = (index: number, column: string) => string | number;
const keyedBy = (prefix: string): ValueAt => (_index, column) => `${prefix}.${column}`;
const inOrder: ValueAt = (index) => index;
/** the builders' key for entities read as JSON arrays (a prefix is an SQL alias, never this) */
const IN_ORDER = '[]';

/**
 * The builder of one entity from rows with one prefix (or from JSON arrays), as code made once: a constructor
 * that assigns each column by name, so that V8 gives the entities one hidden class with their fields inside the
 * object. Assigned by a computed name in a loop, each entity's fields went to a store outside it that grew as
 * they came, and building was the largest single cost of reading a thread page. Names and keys come from the
 * ORM's metadata, each written as a JSON string.
 */
function compileBuilder(shape: Shape, at: ValueAt, primaryKey: string): Builder {
  const field = (prop: string) => `[${JSON.stringify(prop)}]`;
  const value = (index: number, column: string) => `row[${JSON.stringify(at(index, column))}]`;
  const width = shape.columns.length;
  const body = [
    ...shape.columns.map(({ prop, column, date }, i) => `this${field(prop)} = ${date ? `toDate(${value(i, column)})` : value(i, column)};`),
    'const keys = {}, made = {};',
    ...shape.references.map(({ prop, column }, i) => `if (${JSON.stringify(prop)} in given) made${field(prop)} = given${field(prop)}; else keys${field(prop)} = ${value(width + i, column)} ?? null;`),
    'this[LINKS] = { em, keys, made };',
  ].join('\n');
  const Built = new Function('toDate', 'LINKS', `return function Built(row, em, given) {\n${body}\n}`)(toDate, LINKS) as new (row: Record<string, unknown>, em: EntityManager, given: Record<string, unknown>) => object;
  Built.prototype = shape.prototype;
  const keyIndex = shape.columns.findIndex((c) => c.prop === primaryKey);
  const key = at(keyIndex, shape.columns[keyIndex].column);
  return (row, em, given) => (row[key] == null ? null : new Built(row, em, given));
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

  /**
   * `alias.column as "prefix.column", …` for the entity's columns and its many-to-one keys. Secrets (hidden
   * properties: password and PIN hashes, TOTP secrets) stay in PostgreSQL: only whether one is set comes back,
   * as WITHHELD or null, which is all the getters built on them (totpEnabled, hasTransactionPin) ask. These reads
   * show people to others (a thread page's authors); what checks a secret loads its user through the ORM.
   * Times come as milliseconds since the epoch; build() makes them Dates.
   */
  columns(entity: EntityClass<unknown>, alias: string, prefix = alias): string {
    const shape = shapeOf(this.meta(entity));
    const names = [...shape.columns.map((c) => c.column), ...shape.references.map((r) => r.column)];
    return valuesOf(shape, alias).map((value, i) => `${value} as "${prefix}.${names[i]}"`).join(', ');
  }

  /**
   * The same values as one JSON array, in the order buildFromArray reads them: for lists read as JSON, where an
   * array per row is a third smaller than an object with every column's name, for PostgreSQL to write and V8 to read.
   */
  jsonArray(entity: EntityClass<unknown>, alias: string): string {
    return `json_build_array(${valuesOf(shapeOf(this.meta(entity)), alias).join(', ')})`;
  }

  /**
   * One entity from a row selected with `columns(entity, _, prefix)`, or null when its key is null (an outer
   * join that found nothing). References not given are the EntityManager's (loaded on demand, batched).
   */
  build<T extends object>(entity: EntityClass<T>, row: Record<string, unknown>, prefix: string, given: Partial<Record<keyof T, object | null>> = {}): T | null {
    return this.builder(entity, prefix, keyedBy(prefix))(row, this.em, given) as T | null;
  }

  /** One entity from a JSON array made by `jsonArray(entity, _)`, or null when its key is null. */
  buildFromArray<T extends object>(entity: EntityClass<T>, values: unknown[], given: Partial<Record<keyof T, object | null>> = {}): T | null {
    return this.builder(entity, IN_ORDER, inOrder)(values as unknown as Record<string, unknown>, this.em, given) as T | null;
  }

  private builder(entity: EntityClass<unknown>, name: string, at: ValueAt): Builder {
    const meta = this.meta(entity);
    const shape = shapeOf(meta);
    let builder = shape.builders.get(name);
    if (!builder) shape.builders.set(name, (builder = compileBuilder(shape, at, meta.primaryKeys[0])));
    return builder;
  }

  /**
   * The key of an entity's many-to-one `prop` (null when there is none), without making its reference when the
   * entity was built here and the reference was not read yet; of any other entity, its reference's id.
   */
  static keyOf<T extends object>(entity: T, prop: keyof T & string): string | null {
    const links = (entity as Built)[LINKS];
    if (links && !(prop in links.made) && prop in links.keys) return (links.keys[prop] as string | null) ?? null;
    return ((entity[prop] as { id?: string } | null)?.id as string | undefined) ?? null;
  }
}
