import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { WorkspaceRole } from '../../policy/viewer.js';
import { User } from '../users/user.entity.js';
import { Workspace } from './workspace.entity.js';

export const WorkspaceRoleEnum = { OWNER: 'OWNER', ADMIN: 'ADMIN', MEMBER: 'MEMBER' } as const satisfies Record<WorkspaceRole, WorkspaceRole>;
registerEnumType(WorkspaceRoleEnum, { name: 'WorkspaceRole' });

/** A person's place in a workspace. Exposed as WorkspaceMember; its `user` field resolves through the policy. */
@ObjectType('WorkspaceMember')
@Entity()
@Unique({ properties: ['workspace', 'user'] })
export class Membership {
  [OptionalProps]?: 'joinedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Workspace, { ref: true, deleteRule: 'cascade' })
  workspace!: Ref<Workspace>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: true })
  user!: Ref<User>;

  @Field(() => WorkspaceRoleEnum)
  @Enum({ items: ['OWNER', 'ADMIN', 'MEMBER'], columnType: 'varchar(16)' })
  role!: WorkspaceRole;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  joinedAt: Date = new Date();
}
