import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** How often an operation ran on a day, by people who allow usage analytics. No person, IP or free text. */
@Entity()
export class UsageCount {
  @PrimaryKey({ type: 'date' })
  day!: string;

  /** a schema field such as Mutation.postMessage: never a client-chosen name */
  @PrimaryKey({ type: 'string', length: 128 })
  key!: string;

  @Property({ type: 'integer' })
  count!: number;
}
